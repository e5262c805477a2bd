import type { BankId, SigningMode } from '../banks/profile.ts';

/** Sandbox-local date-time in Swedish local time, `YYYY-MM-DDTHH:MM:SS` (the simulated clock has no time zone to get wrong). */
export type LocalDateTime = string;

export interface SandboxAccount {
  id: string;
  name: string;
  iban: string;
  clearing: string;
  accountNumber: string;
  currency: string;
  primary: boolean;
  openingBalanceOre: number;
  bookedOre: number;
  /** ElctrncSeqNb of the last camt.053 statement: a running number per account, no gaps. */
  statementSequence?: number;
}

export interface InternetBankUser {
  id: string;
  name: string;
  password: string;
  /** Base32 TOTP secret (otplib). */
  totpSecret: string;
  role: 'administrator' | 'user';
}

export interface Company {
  name: string;
  organisationNumber: string;
  /** Swedbank customer agreement id: `06` + org number + `B001` (InitgPty/Id/OrgId/Othr/Id). */
  agreementId: string;
  bankgiro: string;
}

export interface WebhookConfig {
  url: string;
  secret: string;
}

export type FaultAction =
  | { type: 'reject'; reasonCode: string; message?: string }
  | { type: 'delay-report'; bankDays: number }
  | { type: 'drop-report' }
  | { type: 'duplicate-report' }
  | { type: 'http-error'; status: 503 | 500 | 502 | 504; times?: number }
  | { type: 'latency'; ms: number }
  | { type: 'fail-webhook'; status?: number; times?: number };

export interface FaultMatch {
  endpoint?: string;
  method?: string;
  creditorAccount?: string;
  minAmountOre?: number;
  maxAmountOre?: number;
  endToEndId?: string;
  reportType?: string;
}

export interface FaultRule {
  id: string;
  match: FaultMatch;
  action: FaultAction;
  /** How many times the rule fired (http-error / fail-webhook `times` count down against it). */
  hits: number;
}

export interface SandboxCore {
  id: string;
  bank: BankId;
  seed: number;
  apiKey: string;
  createdAt: LocalDateTime;
  /**
   * When the server opened it, on the server's own clock (not the sandbox clock, which a test
   * may start anywhere): what `sandbank sandboxes prune --older-than` compares. Absent in
   * sandboxes stored before it was recorded.
   */
  openedAt?: LocalDateTime;
  /** One of the ready-made pair `sandbank start` creates. */
  isDefault?: true;
  now: LocalDateTime;
  company: Company;
  accounts: SandboxAccount[];
  users: InternetBankUser[];
  signingModes: SigningMode[];
  counters: { file: number; payment: number; report: number; entry: number; event: number; incoming: number; cancellation: number };
  webhook: WebhookConfig | undefined;
  faults: FaultRule[];
  /** Reports held back by a delay fault: released at the start of the given bank day. */
  heldReports: { reportId: string; releaseOn: string }[];
}

export type FileStatus = 'RECEIVED' | 'REJECTED' | 'AWAITING_SIGNATURE' | 'PARTIALLY_ACCEPTED' | 'SIGNED';
export type PaymentStatus = 'RECEIVED' | 'REJECTED' | 'AWAITING_SIGNATURE' | 'SCHEDULED' | 'EXECUTED' | 'CANCELLED';
export type CancellationStatus = 'REQUESTED' | 'CANCELLED' | 'CANCELLATION_REJECTED';

export interface StatusReason {
  code: string;
  message: string;
}

export type CreditorKind = 'bankgiro' | 'plusgiro' | 'account' | 'iban';

export interface Payment {
  id: string;
  fileId: string;
  paymentInformationId: string;
  endToEndId: string;
  instructionId?: string;
  amountOre: number;
  currency: string;
  debtorAccountId: string;
  creditor: { kind: CreditorKind; account: string; name?: string };
  /** OCR reference (SCOR) or free-text message. */
  reference?: { type: 'ocr' | 'message'; value: string };
  requestedExecutionDate: string;
  /** The bank day it executes (set when scheduled; may move with retries). */
  executionDate?: string;
  status: PaymentStatus;
  reasons: StatusReason[];
  retries: number;
  executedAt?: LocalDateTime;
  entryId?: string;
  cancellation?: { status: CancellationStatus; requestedAt: LocalDateTime; resolvedAt?: LocalDateTime; via: 'api' | 'camt.055' | 'internet-bank'; assignmentId?: string; reason?: StatusReason };
  /** Chronological status history, for people reading the API. */
  history: { at: LocalDateTime; status: string; reason?: string }[];
}

export interface PaymentFile {
  id: string;
  /** What the bank read the file as; 'unknown' when it is no payment file (refused FF01). */
  format: 'pain.001.001.03' | 'pain.001.001.09' | 'lb' | 'unknown';
  receivedAt: LocalDateTime;
  sha256: string;
  sizeBytes: number;
  /** Every Idempotency-Key that answered with this file (the upload's, and later retries' with the same bytes). */
  idempotencyKeys: string[];
  messageId: string;
  status: FileStatus;
  reasons: StatusReason[];
  /** Issues found by validation (every one, with its location). */
  issues: { path: string; code: string; message: string; severity: string; line?: number }[];
  signature?: { at: LocalDateTime; channel: 'in-app' | 'internet-bank'; signedBy: string };
  numberOfTransactions: number;
  controlSumOre: number;
  payments: Payment[];
}

export type ReportType = 'pain.002' | 'camt.052' | 'camt.053' | 'camt.054' | 'camt.029' | 'bgmax';

export interface ReportMeta {
  id: string;
  sequence: number;
  type: ReportType;
  /** The exact message, e.g. `pain.002.001.03`. */
  message: string;
  createdAt: LocalDateTime;
  contentType: string;
  fileId?: string;
  accountId?: string;
  /** Hidden from the mailbox until released (delay fault) or never (drop fault). */
  visible: boolean;
  sizeBytes: number;
}

export interface Entry {
  id: string;
  accountId: string;
  bookingDate: string;
  valueDate: string;
  amountOre: number;
  creditDebit: 'CRDT' | 'DBIT';
  bankTransactionCode: { domain: string; family: string; subFamily: string };
  paymentId?: string;
  fileId?: string;
  messageId?: string;
  paymentInformationId?: string;
  endToEndId?: string;
  /** The debtor's InstrId, echoed in the camt entry's Refs. */
  instructionId?: string;
  counterpartyName?: string;
  /** The other party's account: the creditor's on a debit, the payer's bankgiro on a credit. */
  counterpartyAccount?: { kind: CreditorKind; account: string };
  reference?: { type: 'ocr' | 'message'; value: string };
  incomingId?: string;
}

export interface IncomingPayment {
  id: string;
  receivedAt: LocalDateTime;
  date: string;
  amountOre: number;
  reference: string;
  referenceType: 'ocr' | 'message';
  payerName: string;
  payerBankgiro: string;
  accountId: string;
  entryId: string;
  /** TK22 (positive) and TK23 (negative) extra references, each with the amount it names. */
  extraReferences?: IncomingExtraReference[];
  /** A TK21 deduction: taken off the day's deposit, with Bankgirot's deduction code. */
  deductionCode?: DeductionCode;
  /** TK25 information texts (50 characters each). */
  information?: string[];
  /** TK26 pos 38–72. */
  payerExtraName?: string;
  /** TK27 / TK28. */
  payerAddress?: PayerAddress;
  /** TK29: ten digits (or twelve), no hyphen. */
  payerOrganisationNumber?: string;
}

export interface IncomingExtraReference {
  reference: string;
  amountOre: number;
  negative: boolean;
}

/** 0 whole deduction, no rest; 1 partial deduction, a rest remains; 2 the final part of a partial one. */
export type DeductionCode = '0' | '1' | '2';

export interface PayerAddress {
  street?: string;
  postCode?: string;
  town?: string;
  country?: string;
  /** ISO 3166 alpha-2, blank for Sweden. */
  countryCode?: string;
}

export type EventType = 'payment_file.status_changed' | 'payment.status_changed' | 'payment.cancellation_changed' | 'report.available' | 'incoming_payment.received';

export interface BankEvent {
  id: string;
  sequence: number;
  type: EventType;
  createdAt: LocalDateTime;
  data: Record<string, unknown>;
}

export interface WebhookDelivery {
  eventId: string;
  url: string;
  attempts: { at: string; status: number | 'error'; error?: string }[];
  state: 'pending' | 'delivered' | 'failed';
  nextAttemptAt?: number;
  /**
   * The attempt a server is sending now, until when (wall-clock ms): no other server sends
   * it meanwhile; one left by a server that stopped counts as a failed attempt (decision 0012).
   */
  claim?: { at: string; until: number };
}
