import { luhnValid } from './luhn.ts';

export type GiroCheck = { ok: true; number: string } | { ok: false; reason: 'syntax' | 'length' | 'check-digit'; message: string };

function normalizeGiro(input: string): string {
  return input.replace(/[\s-]/g, '');
}

/** Bankgiro number: 7–8 digits, Luhn over the whole number. Accepts `NNN-NNNN` / `NNNN-NNNN`. */
export function checkBankgiro(input: string): GiroCheck {
  const number = normalizeGiro(input);
  if (!/^\d+$/.test(number)) return { ok: false, reason: 'syntax', message: 'bankgiro number must be digits (NNN-NNNN or NNNN-NNNN)' };
  if (number.length < 7 || number.length > 8) return { ok: false, reason: 'length', message: `bankgiro number must be 7–8 digits, got ${number.length}` };
  if (!luhnValid(number)) return { ok: false, reason: 'check-digit', message: 'bankgiro number check digit is wrong' };
  return { ok: true, number };
}

/** Plusgiro number: 2–8 digits, Luhn over the whole number. Accepts `NN NN NN-N`. */
export function checkPlusgiro(input: string): GiroCheck {
  const number = normalizeGiro(input);
  if (!/^\d+$/.test(number)) return { ok: false, reason: 'syntax', message: 'plusgiro number must be digits' };
  if (number.length < 2 || number.length > 8) return { ok: false, reason: 'length', message: `plusgiro number must be 2–8 digits, got ${number.length}` };
  if (!luhnValid(number)) return { ok: false, reason: 'check-digit', message: 'plusgiro number check digit is wrong' };
  return { ok: true, number };
}

/** `56781234` → `5678-1234`, `1234566` → `123-4566`. */
export function formatBankgiro(number: string): string {
  return `${number.slice(0, -4)}-${number.slice(-4)}`;
}

/** `4178032` → `41 78 03-2` (pairs from the right of the body, check digit after a dash). */
export function formatPlusgiro(number: string): string {
  const body = number.slice(0, -1);
  const pairs: string[] = [];
  for (let end = body.length; end > 0; end -= 2) pairs.unshift(body.slice(Math.max(0, end - 2), end));
  return `${pairs.join(' ')}-${number.slice(-1)}`;
}
