/**
 * What the consumer tests and the provider states agree on: the contract sandbox's API key,
 * the payment files sent in the interactions, and the provider-state names.
 */
import { encodeLatin1 } from '../formats/bankgirot/fixed-width.ts';
import { writeLb } from '../formats/bankgirot/lb.ts';
import { withComputedTotals, writePain001 } from '../formats/pain001/index.ts';

export type ContractBank = 'swedbank' | 'sparbanken';
export const CONTRACT_BANKS: readonly ContractBank[] = ['swedbank', 'sparbanken'];
export const CONSUMER = 'sandbank-client';
export const providerName = (bank: ContractBank) => `sandbank-${bank}`;
export const messageProviderName = (bank: ContractBank) => `sandbank-${bank}-webhooks`;

/** The API key every interaction sends; provider states create the sandbox holding it. */
export const CONTRACT_API_KEY = 'sk_test_contract0000000000000000000000';
export const CONTRACT_WEBHOOK_SECRET = 'whsec_contract_0000000000000000';

export const STATES = {
  sandbox: 'a sandbox',
  awaitingSignature: 'a file awaiting signature',
  signed: 'a signed file',
  rejected: 'a rejected file',
  executed: 'a file with executed payments',
  insufficientFunds: 'insufficient funds',
  scheduledOn: 'a scheduled payment on {date}',
  uploadedWithKey: 'a file uploaded with idempotency key {key}',
  bodyLimit: 'a request body limit of {bytes} bytes',
} as const;

/** The IBAN of the contract sandbox's primary account (the provider state creates it so). */
export const CONTRACT_IBAN = 'SE3380000810595418469739';
export const CONTRACT_ACCOUNT = { clearing: '81059', accountNumber: '5418469739' };

export function contractPain001(messageId = 'CONTRACT-0001', executionDate = '2026-03-16'): string {
  return writePain001(withComputedTotals({
    version: 'pain.001.001.03',
    groupHeader: { messageId, creationDateTime: '2026-03-12T09:00:00', numberOfTransactions: '0', initiatingParty: { name: 'Kontraktsbolaget AB', organisationId: { id: '065565123456B001', schemeCode: 'BANK' } } },
    paymentInformation: [{
      paymentInformationId: `${messageId}-1`, paymentMethod: 'TRF', requestedExecutionDate: executionDate,
      debtor: { name: 'Kontraktsbolaget AB' }, debtorAccount: { iban: CONTRACT_IBAN }, debtorAgent: { bic: 'SWEDSESS' },
      transactions: [
        { endToEndId: `${messageId}-E2E-1`, amountOre: 1_250_00, currency: 'SEK', creditor: { name: 'Trävaruhuset AB' }, creditorAgent: { clearingSystemCode: 'SESBA', memberId: '9900' }, creditorAccount: { other: '50501055', schemeProprietary: 'BGNR' }, unstructuredRemittance: [], structuredRemittance: [{ creditorReferenceType: 'SCOR', creditorReference: '1234574' }] },
        { endToEndId: `${messageId}-E2E-2`, amountOre: 489_50, currency: 'SEK', creditor: { name: 'Åkeri Östergren' }, creditorAgent: { clearingSystemCode: 'SESBA', memberId: '9960' }, creditorAccount: { other: '9020033', schemeCode: 'BBAN' }, unstructuredRemittance: ['Faktura 118'], structuredRemittance: [] },
      ],
    }],
  }));
}

export function contractLb(): Uint8Array {
  return encodeLatin1(writeLb({ records: [
    { type: '11', senderBankgiro: '0005050105', fileDate: '260312', product: 'LEVERANTÖRSBETALNINGAR', paymentDate: '', currency: 'SEK' },
    { type: '14', payee: '0009912346', reference: '1234574', amountOre: 1_250_00, paymentDate: '260316', information: 'Faktura 1001' },
    { type: '29', senderBankgiro: '0005050105', paymentCount: 1, totalOre: 1_250_00 },
  ] }));
}
