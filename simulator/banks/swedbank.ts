import { DEFAULT_PAIN001_RULES } from '../../formats/pain001/validate.ts';
import type { BankProfile } from './profile.ts';

/**
 * Swedbank (SE). From Swedbank's ISO 20022 implementation guide: BIC SWEDSESS, IBAN bank code
 * 800 with the five-digit 8xxx-x clearing kept, UTF-8, the SE character set, CtrlSum checked,
 * SEK and EUR. Cut-off and retry figures are (unconfirmed).
 */
export const swedbank: BankProfile = {
  id: 'swedbank',
  displayName: 'Swedbank',
  bic: 'SWEDSESS',
  ibanBankCode: '800',
  clearingRanges: [[7000, 7999], [8000, 8999]],
  defaultClearing: '81059',
  acceptedFormats: ['pain.001.001.03', 'pain.001.001.09', 'lb'],
  cutoffTime: '10:00',
  nonBankDayPolicy: { pain001: 'roll-forward', lb: 'roll-forward' },
  signingModes: ['internet-bank', 'in-app-two-step'],
  insufficientFundsRetryBankDays: 3,
  maxFutureDays: 365,
  pain002Version: 'pain.002.001.03',
  camtVersion: '02',
  cancellationReasonIn03: 'DS02',
  pain001Rules: { ...DEFAULT_PAIN001_RULES, bic: 'SWEDSESS', currencies: ['SEK', 'EUR'] },
};
