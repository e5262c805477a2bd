/** pain.002 customer payment status report, .001.03 and .001.10, one model. */
export type Pain002Version = 'pain.002.001.03' | 'pain.002.001.10';

export const PAIN002_NAMESPACES: Record<Pain002Version, string> = {
  'pain.002.001.03': 'urn:iso:std:iso:20022:tech:xsd:pain.002.001.03',
  'pain.002.001.10': 'urn:iso:std:iso:20022:tech:xsd:pain.002.001.10',
};

/**
 * Group / payment-information status. In .03 an XSD enumeration; in .10 an external code list
 * (CANC exists only there), so a parsed report may carry codes beyond these.
 */
export const GROUP_STATUSES = ['ACTC', 'RCVD', 'PART', 'RJCT', 'PDNG', 'ACCP', 'ACSP', 'ACSC', 'ACWC', 'CANC'] as const;
export const TRANSACTION_STATUSES = ['ACTC', 'RJCT', 'PDNG', 'ACCP', 'ACSP', 'ACSC', 'ACWC', 'CANC'] as const;
export type KnownGroupStatus = (typeof GROUP_STATUSES)[number];
export type KnownTransactionStatus = (typeof TRANSACTION_STATUSES)[number];
/** A known code, or another external code a .10 report may carry. */
export type GroupStatus = KnownGroupStatus | (string & {});
export type TransactionStatus = KnownTransactionStatus | (string & {});

export interface StatusReason {
  /** ISO external status reason code (AM04, AC01, FF01, DUPL, DS02, …). */
  code?: string;
  proprietary?: string;
  additionalInfo?: string[];
}

export interface StatusCount {
  count: number;
  status: TransactionStatus;
}

export interface TransactionStatusReport {
  statusId?: string;
  originalInstructionId?: string;
  originalEndToEndId: string;
  status: TransactionStatus;
  reasons: StatusReason[];
  acceptanceDateTime?: string;
  accountServicerReference?: string;
  originalAmountOre?: number;
  originalCurrency?: string;
  originalRequestedExecutionDate?: string;
}

export interface PaymentInformationStatusReport {
  originalPaymentInformationId: string;
  originalNumberOfTransactions?: string;
  originalControlSum?: string;
  status?: GroupStatus;
  reasons: StatusReason[];
  transactions: TransactionStatusReport[];
}

export interface Pain002Document {
  version: Pain002Version;
  messageId: string;
  creationDateTime: string;
  /** Who sends the report: the bank names itself here (name and BIC), as Swedish banks do. */
  initiatingParty?: { name: string; bic?: string };
  /** The bank (debtor agent) that reports. */
  debtorAgentBic?: string;
  original: {
    messageId: string;
    messageNameId: string;
    creationDateTime?: string;
    numberOfTransactions?: string;
    controlSum?: string;
    groupStatus?: GroupStatus;
    reasons: StatusReason[];
    countsPerStatus: StatusCount[];
  };
  paymentInformation: PaymentInformationStatusReport[];
}
