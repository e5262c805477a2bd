/**
 * Verifies the committed bureau → invoicing pact against an invoicing program's base URL with
 * Pact's verifier; provider states go to its state-change URL (the contract-states route).
 */
import { fileURLToPath } from 'node:url';
import { Verifier } from '@pact-foundation/pact';
import { BUREAU_CONSUMER, INVOICING_PROVIDER } from './fixtures.ts';

export const BUREAU_PACT_FILE = fileURLToPath(new URL(`../pacts/bureau/${BUREAU_CONSUMER}-${INVOICING_PROVIDER}.json`, import.meta.url));

export async function verifyInvoicingPact(options: { providerBaseUrl: string; stateChangeUrl?: string; token?: string; logLevel?: 'error' | 'warn' | 'info' | 'debug' }): Promise<string> {
  const base = options.providerBaseUrl.replace(/\/$/, '');
  return new Verifier({
    provider: INVOICING_PROVIDER,
    providerBaseUrl: base,
    pactUrls: [BUREAU_PACT_FILE],
    logLevel: options.logLevel ?? 'error',
    providerStatesSetupUrl: options.stateChangeUrl ?? `${base}/setup/provider-states`,
    providerStatesSetupTeardown: true,
    providerStatesSetupBody: true,
    ...(options.token ? { customProviderHeaders: { Authorization: `Bearer ${options.token}` } } : {}),
  }).verifyProvider();
}
