/**
 * Money is integer öre (minor units). Decimal strings are converted with string arithmetic,
 * never through floating point: 0.1 + 0.2 must not be how a bank counts.
 */

const DECIMAL = /^([+-]?)(\d+)(?:\.(\d+))?$/;

export type DecimalParse =
  | { ok: true; ore: number }
  | { ok: false; reason: 'syntax' | 'decimals' | 'range' };

/** Parses `"1234.5"` → 123450 öre. More than two (non-zero) decimals are refused, not rounded. */
export function parseAmountToOre(text: string): DecimalParse {
  const m = DECIMAL.exec(text.trim());
  if (!m) return { ok: false, reason: 'syntax' };
  const sign = m[1] === '-' ? -1 : 1;
  const whole = m[2] ?? '0';
  let fraction = m[3] ?? '';
  // Trailing zeros beyond the öre do not change the value ("10.500" is 10.50).
  while (fraction.length > 2 && fraction.endsWith('0')) fraction = fraction.slice(0, -1);
  if (fraction.length > 2) return { ok: false, reason: 'decimals' };
  const ore = Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
  if (!Number.isSafeInteger(ore) || whole.length > 15) return { ok: false, reason: 'range' };
  return { ok: true, ore: sign * ore };
}

/** Formats öre as an ISO 20022 decimal amount: 123450 → `"1234.50"`. */
export function formatOre(ore: number): string {
  if (!Number.isSafeInteger(ore)) throw new RangeError(`amount in öre must be a safe integer, got ${ore}`);
  const negative = ore < 0;
  const abs = Math.abs(ore);
  const whole = Math.floor(abs / 100);
  const fraction = String(abs % 100).padStart(2, '0');
  return `${negative ? '-' : ''}${whole}.${fraction}`;
}

/** Formats öre for people: 123450 → `"1 234,50"` (Swedish grouping, decimal comma). */
export function formatOreSwedish(ore: number): string {
  const [whole = '0', fraction = '00'] = formatOre(ore).split('.');
  const negative = whole.startsWith('-');
  const digits = negative ? whole.slice(1) : whole;
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, '\u00a0');
  return `${negative ? '-' : ''}${grouped},${fraction}`;
}

/** Parses a user-entered amount in either `1234.50` or Swedish `1 234,50` form. */
export function parseUserAmountToOre(text: string): DecimalParse {
  const normalized = text.replace(/[\s\u00a0]/g, '').replace(',', '.');
  return parseAmountToOre(normalized);
}
