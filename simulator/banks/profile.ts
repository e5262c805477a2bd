import type { Pain001Rules } from '../../formats/pain001/validate.ts';

export type BankId = 'swedbank' | 'sparbanken';
export type AcceptedFormat = 'pain.001.001.03' | 'pain.001.001.09' | 'lb';
export type SigningMode = 'internet-bank' | 'in-app-two-step';

/**
 * What makes one simulated bank differ from another. Values not confirmed by a public bank
 * document are marked (unconfirmed) and exist precisely so they can be changed here.
 */
export interface BankProfile {
  id: BankId;
  displayName: string;
  bic: string;
  /** IBAN bank code (Swedbank and the savings banks share 800). */
  ibanBankCode: string;
  /** Inclusive clearing-number ranges of the bank's own accounts. */
  clearingRanges: readonly (readonly [number, number])[];
  /** Clearing numbers given to new sandbox accounts (five digits for 8xxx-x). */
  defaultClearing: string;
  acceptedFormats: readonly AcceptedFormat[];
  /** Files received by this time (Swedish local time, HH:MM) are executed the same bank day. (unconfirmed) */
  cutoffTime: string;
  /** A payment dated on a non-bank day: roll to the next bank day (Bankgirot's default) or reject DT01. */
  nonBankDayPolicy: { pain001: 'roll-forward' | 'reject'; lb: 'roll-forward' | 'reject' };
  signingModes: readonly SigningMode[];
  /** Bank days an insufficient-funds payment is retried before RJCT AM04. (unconfirmed) */
  insufficientFundsRetryBankDays: number;
  /** How far ahead a payment may be dated, in calendar days. (unconfirmed) */
  maxFutureDays: number;
  /** Status report version the bank answers with. */
  pain002Version: 'pain.002.001.03' | 'pain.002.001.10';
  camtVersion: '02' | '08';
  /** pain.002 .03 has no CANC: a cancelled payment is reported RJCT with this reason. */
  cancellationReasonIn03: 'DS02' | 'CUST';
  pain001Rules: Pain001Rules;
}
