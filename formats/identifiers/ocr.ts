import { luhnCheckDigit, luhnValid } from './luhn.ts';

/**
 * OCR reference control level agreed between a bankgiro payee and Bankgirot:
 * - `none`: any 2–25 digits
 * - `check-digit`: last digit is a Luhn check digit
 * - `check-digit-and-length`: as above, and the second-to-last digit is the total length mod 10
 */
export type OcrControl = 'none' | 'check-digit' | 'check-digit-and-length';

export type OcrCheck = { ok: true } | { ok: false; reason: 'syntax' | 'length' | 'check-digit' | 'length-digit'; message: string };

export function checkOcr(reference: string, control: OcrControl = 'check-digit'): OcrCheck {
  if (!/^\d+$/.test(reference)) return { ok: false, reason: 'syntax', message: 'OCR reference must contain digits only' };
  if (reference.length < 2 || reference.length > 25) {
    return { ok: false, reason: 'length', message: `OCR reference must be 2–25 digits, got ${reference.length}` };
  }
  if (control === 'none') return { ok: true };
  if (!luhnValid(reference)) return { ok: false, reason: 'check-digit', message: 'OCR reference check digit (Luhn) is wrong' };
  if (control === 'check-digit-and-length') {
    const lengthDigit = reference.charCodeAt(reference.length - 2) - 48;
    if (lengthDigit !== reference.length % 10) {
      return { ok: false, reason: 'length-digit', message: `OCR length digit is ${lengthDigit}, expected ${reference.length % 10}` };
    }
  }
  return { ok: true };
}

/**
 * Builds an OCR reference from a base number (e.g. an invoice number): appends the length
 * digit when asked, then the Luhn check digit. `12345` with length → `1234574`.
 */
export function generateOcr(base: string, options: { withLengthDigit?: boolean } = {}): string {
  if (!/^\d+$/.test(base)) throw new RangeError('OCR base must be digits');
  const withLength = options.withLengthDigit ?? true;
  const total = base.length + (withLength ? 2 : 1);
  if (total > 25) throw new RangeError('OCR reference would exceed 25 digits');
  const body = withLength ? base + String(total % 10) : base;
  return body + String(luhnCheckDigit(body));
}
