import { DEFAULT_PAIN001_RULES } from '../../formats/pain001/validate.ts';
import type { BankProfile } from './profile.ts';

/**
 * Sparbanken (the Swedish savings banks on Swedbank's platform): BIC SWEDSESS, 8xxx-x
 * five-digit clearing only. The small differences from Swedbank below — SEK only, future-dated
 * LB payments on a non-bank day rejected instead of rolled, one retry day, pain.002 .10 — are
 * (unconfirmed) and chosen so that clients meet both behaviours.
 */
export const sparbanken: BankProfile = {
  id: 'sparbanken',
  displayName: 'Sparbanken',
  bic: 'SWEDSESS',
  ibanBankCode: '800',
  clearingRanges: [[8000, 8999]],
  defaultClearing: '84186',
  acceptedFormats: ['pain.001.001.03', 'pain.001.001.09', 'lb'],
  cutoffTime: '09:30',
  nonBankDayPolicy: { pain001: 'roll-forward', lb: 'reject' },
  signingModes: ['internet-bank', 'in-app-two-step'],
  insufficientFundsRetryBankDays: 1,
  maxFutureDays: 365,
  pain002Version: 'pain.002.001.10',
  camtVersion: '08',
  cancellationReasonIn03: 'CUST',
  pain001Rules: { ...DEFAULT_PAIN001_RULES, bic: 'SWEDSESS', currencies: ['SEK'] },
};
