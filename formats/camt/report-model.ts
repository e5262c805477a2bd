/**
 * camt.052 (intraday report), camt.053 (statement) and camt.054 (debit/credit notification),
 * .001.02 and .001.08, one model. Amounts are positive öre with a credit/debit indicator,
 * as in the XML; balances carry their sign in `amountOre` (negative = debit balance).
 */
export type AccountReportMessage = 'camt.052.001.02' | 'camt.052.001.08' | 'camt.053.001.02' | 'camt.053.001.08' | 'camt.054.001.02' | 'camt.054.001.08';

export const ACCOUNT_REPORT_MESSAGES: readonly AccountReportMessage[] = ['camt.052.001.02', 'camt.052.001.08', 'camt.053.001.02', 'camt.053.001.08', 'camt.054.001.02', 'camt.054.001.08'];

export type CreditDebit = 'CRDT' | 'DBIT';

/** OPBD opening booked, CLBD closing booked, ITBD interim booked, CLAV closing available, ITAV interim available, FWAV forward available. */
export type BalanceType = 'OPBD' | 'CLBD' | 'ITBD' | 'CLAV' | 'ITAV' | 'FWAV' | 'PRCD' | (string & {});

export interface Balance {
  type: BalanceType;
  amountOre: number;
  currency: string;
  date: string;
}

/**
 * The other party's account on a transaction: an IBAN, or another identifier with its scheme
 * (Swedish practice: a bankgiro number with the proprietary scheme BGNR, a plusgiro number
 * with PGNR, a domestic clearing + account number as BBAN).
 */
export type CounterpartyAccount = { iban: string } | { other: string; scheme: { code: string } | { proprietary: string } };

export interface EntryTransaction {
  messageId?: string;
  accountServicerReference?: string;
  paymentInformationId?: string;
  instructionId?: string;
  endToEndId?: string;
  amountOre?: number;
  currency?: string;
  creditDebit?: CreditDebit;
  debtorName?: string;
  debtorAccount?: CounterpartyAccount;
  creditorName?: string;
  creditorAccount?: CounterpartyAccount;
  unstructuredRemittance: string[];
  creditorReferenceType?: string;
  creditorReference?: string;
}

export interface BankTransactionCode {
  domain: string;
  family: string;
  subFamily: string;
}

export interface ReportEntry {
  entryReference?: string;
  amountOre: number;
  currency: string;
  creditDebit: CreditDebit;
  /** BOOK, PDNG or INFO. */
  status: string;
  bookingDate?: string;
  valueDate?: string;
  accountServicerReference?: string;
  bankTransactionCode: BankTransactionCode;
  transactions: EntryTransaction[];
}

export interface ReportAccount {
  iban?: string;
  other?: string;
  currency?: string;
  ownerName?: string;
  /** The bank that keeps the account (Acct/Svcr): real banks name themselves here. */
  servicer?: { bic: string; name?: string };
}

export interface AccountReport {
  id: string;
  electronicSequenceNumber?: string;
  creationDateTime: string;
  fromDateTime?: string;
  toDateTime?: string;
  account: ReportAccount;
  balances: Balance[];
  entries: ReportEntry[];
}

export interface AccountReportDocument {
  message: AccountReportMessage;
  messageId: string;
  creationDateTime: string;
  reports: AccountReport[];
}

export const ACCOUNT_REPORT_ROOTS: Record<'camt.052' | 'camt.053' | 'camt.054', { root: string; report: string }> = {
  'camt.052': { root: 'BkToCstmrAcctRpt', report: 'Rpt' },
  'camt.053': { root: 'BkToCstmrStmt', report: 'Stmt' },
  'camt.054': { root: 'BkToCstmrDbtCdtNtfctn', report: 'Ntfctn' },
};

export function namespaceOf(message: string): string {
  return `urn:iso:std:iso:20022:tech:xsd:${message}`;
}

export function familyOf(message: AccountReportMessage): 'camt.052' | 'camt.053' | 'camt.054' {
  return message.startsWith('camt.052') ? 'camt.052' : message.startsWith('camt.053') ? 'camt.053' : 'camt.054';
}
