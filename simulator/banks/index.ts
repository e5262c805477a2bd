import type { BankId, BankProfile } from './profile.ts';
import { sparbanken } from './sparbanken.ts';
import { swedbank } from './swedbank.ts';

export * from './profile.ts';
export { sparbanken, swedbank };

export const BANKS: Record<BankId, BankProfile> = { swedbank, sparbanken };

export function isBankId(value: string): value is BankId {
  return value === 'swedbank' || value === 'sparbanken';
}
