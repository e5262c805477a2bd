import Kontonummer from 'kontonummer';

/**
 * Swedish clearing + account numbers. The bank-by-bank rules (type 1/2, mod 10/11, which
 * digits count) come from the `kontonummer` package, which tracks Bankgirot's published
 * specification, rather than being re-derived here.
 */
export interface SwedishAccount {
  /** Clearing number as used in payments: 4 digits; Swedbank's 8xxx-x keeps its fifth (check) digit. */
  clearing: string;
  account: string;
  bankName: string;
}

export type AccountCheck = { ok: true; value: SwedishAccount } | { ok: false; reason: 'clearing' | 'account'; message: string };

/**
 * Results are cached (bounded): payment files repeat the same payees many times, and the
 * account rules do not change while the process runs.
 */
const cache = new Map<string, AccountCheck>();
const CACHE_LIMIT = 50_000;

export function checkSwedishAccount(clearing: string, account: string): AccountCheck {
  const key = `${clearing}|${account}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const result = checkUncached(clearing, account);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, result);
  return result;
}

function checkUncached(clearing: string, account: string): AccountCheck {
  try {
    const parsed = Kontonummer.parse(clearing.replace(/\D/g, ''), account.replace(/\D/g, ''), { mode: 'strict' });
    return { ok: true, value: { clearing: parsed.sortingCode, account: parsed.accountNumber, bankName: parsed.bankName } };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const reason = /sorting/i.test(message) ? 'clearing' : 'account';
    return { ok: false, reason, message: reason === 'clearing' ? `unknown or invalid clearing number ${clearing}` : `invalid account number for clearing ${clearing}` };
  }
}

/**
 * A BBAN in a payment file is clearing and account written together. Type-2 accounts at
 * Swedbank (8xxx-x) carry a five-digit clearing; everything else four.
 */
export function checkSwedishBban(bban: string): AccountCheck {
  const digits = bban.replace(/[\s-]/g, '');
  if (!/^\d{8,16}$/.test(digits)) return { ok: false, reason: 'account', message: 'a Swedish account (BBAN) is 8–16 digits: clearing then account' };
  const clearingLength = digits.startsWith('8') ? 5 : 4;
  return checkSwedishAccount(digits.slice(0, clearingLength), digits.slice(clearingLength));
}
