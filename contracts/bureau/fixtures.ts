/**
 * What the bureau → invoicing consumer tests and the invoicing program's provider states
 * agree on: names, keys, the collaboration id and the state names.
 */
export const BUREAU_CONSUMER = 'sandbank-bureau';
export const INVOICING_PROVIDER = 'sandbank-invoicing';

/** A provider state starts a fresh in-memory invoicing program whose key generator yields these. */
export const CONTRACT_KEY_SEEDS = ['contract0company0000000000000000', 'contract0bureau00000000000000000'] as const;
export const CONTRACT_COMPANY_KEY = `inv_co_${CONTRACT_KEY_SEEDS[0]}`;
export const CONTRACT_BUREAU_KEY = `inv_bu_${CONTRACT_KEY_SEEDS[1]}`;
export const CONTRACT_COLLABORATION = 'collab_000001';

export const INVOICING_STATES = {
  collaboration: 'a collaboration',
  threeChanges: 'a collaboration with a customer, an article and an invoice',
  expired: 'a collaboration whose feed retains only its last change',
  document: 'a scanned document at version 1',
  rateLimited: "the bureau's key is over its rate limit",
} as const;
