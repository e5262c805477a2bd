import type { CompiledSchema, SimpleType } from './schema-model.ts';
import { daysInMonth } from '../dates.ts';
import type { IssueCode } from '../issues.ts';

/** Returns the issue for a value that the simple type rejects, or undefined. */
export type SimpleCheck = (text: string) => { code: IssueCode; message: string } | undefined;

const DATE = /^(-?\d{4,})-(\d{2})-(\d{2})(Z|[+-](\d{2}):(\d{2}))?$/;
const DATETIME = /^(-?\d{4,})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(Z|[+-](\d{2}):(\d{2}))?$/;
const GYEARMONTH = /^(-?\d{4,})-(\d{2})(Z|[+-](\d{2}):(\d{2}))?$/;


function validTimezone(hours: string | undefined, minutes: string | undefined): boolean {
  if (hours === undefined) return true;
  const h = Number(hours);
  const m = Number(minutes);
  return m < 60 && (h < 14 || (h === 14 && m === 0));
}

/** xs:date: a real calendar date (2026-02-30 is not), optional timezone. */
export function isXsdDate(text: string): boolean {
  const m = DATE.exec(text);
  if (!m) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  return year !== 0 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month) && validTimezone(m[5], m[6]);
}

export function isXsdDateTime(text: string): boolean {
  const m = DATETIME.exec(text);
  if (!m) return false;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6]].map(Number) as [number, number, number, number, number, number];
  if (year === 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return false;
  if (minute > 59 || second > 59) return false;
  // XSD 1.0 allows 24:00:00 as the end of the day, nothing else past 23.
  if (hour > 24 || (hour === 24 && (minute !== 0 || second !== 0 || /\.\d*[1-9]/.test(text)))) return false;
  return validTimezone(m[8], m[9]);
}

/**
 * Scans an XSD decimal once: syntax, significant digits (leading integer zeros and trailing
 * fraction zeros do not count) and sign. Hand-written because it runs for every amount.
 */
export function scanDecimal(text: string): { total: number; fraction: number; negative: boolean; zero: boolean } | undefined {
  let i = 0;
  let negative = false;
  const first = text.charCodeAt(0);
  if (first === 43 || first === 45) {
    negative = first === 45;
    i = 1;
  }
  let integerDigits = 0;
  let leading = true;
  let sawDigit = false;
  let nonZero = false;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 46) break;
    if (c < 48 || c > 57) return undefined;
    sawDigit = true;
    if (c !== 48) nonZero = true;
    if (leading && c === 48) continue;
    leading = false;
    integerDigits++;
  }
  let fraction = 0;
  if (i < text.length) {
    i++;
    let digits = 0;
    for (; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c < 48 || c > 57) return undefined;
      digits++;
      sawDigit = true;
      if (c !== 48) {
        nonZero = true;
        fraction = digits;
      }
    }
  }
  if (!sawDigit) return undefined;
  return { total: Math.max(1, integerDigits + fraction), fraction, negative, zero: !nonZero };
}

function compareDecimal(a: string, b: string): number {
  // Scale both to the same number of fraction digits and compare as BigInt: exact, no floats.
  const split = (text: string) => {
    const negative = text.startsWith('-');
    const [whole = '0', fraction = ''] = text.replace(/^[+-]/, '').split('.');
    return { negative, whole: whole || '0', fraction };
  };
  const x = split(a);
  const y = split(b);
  const scale = Math.max(x.fraction.length, y.fraction.length);
  const toBig = (v: { negative: boolean; whole: string; fraction: string }) =>
    (v.negative ? -1n : 1n) * BigInt(v.whole + v.fraction.padEnd(scale, '0'));
  const diff = toBig(x) - toBig(y);
  return diff === 0n ? 0 : diff < 0n ? -1 : 1;
}

/** XSD regexes are implicitly anchored and have no `^`/`$`; JS needs both. */
export function xsdPatternToRegExp(pattern: string): RegExp {
  return new RegExp(`^(?:${pattern})$`, 'u');
}

function codePointLength(text: string): number {
  let length = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0xd800 || code > 0xdbff) length++;
  }
  return length;
}

function compile(type: SimpleType): SimpleCheck {
  const patterns = type.patterns?.map(xsdPatternToRegExp);
  const enumeration = type.enumeration ? new Set(type.enumeration) : undefined;
  return (raw) => {
    // Whitespace: xs:string preserves it, all other built-ins collapse it before checking.
    const text = type.base === 'string' || !/\s/.test(raw) ? raw : raw.trim().replace(/\s+/g, ' ');
    switch (type.base) {
      case 'decimal': {
        const digits = scanDecimal(text);
        if (!digits) return { code: 'SCHEMA_DECIMAL', message: 'not a decimal number' };
        if (type.totalDigits !== undefined && digits.total > type.totalDigits) return { code: 'SCHEMA_DECIMAL', message: `more than ${type.totalDigits} digits` };
        if (type.fractionDigits !== undefined && digits.fraction > type.fractionDigits) return { code: 'SCHEMA_DECIMAL', message: `more than ${type.fractionDigits} decimals` };
        if (type.minInclusive !== undefined) {
          const below = type.minInclusive === '0' ? digits.negative && !digits.zero : compareDecimal(text, type.minInclusive) < 0;
          if (below) return { code: 'SCHEMA_DECIMAL', message: `less than ${type.minInclusive}` };
        }
        break;
      }
      case 'date':
        if (!isXsdDate(text)) return { code: 'SCHEMA_DATE', message: 'not a valid date (YYYY-MM-DD)' };
        break;
      case 'dateTime':
        if (!isXsdDateTime(text)) return { code: 'SCHEMA_DATETIME', message: 'not a valid date-time (YYYY-MM-DDThh:mm:ss)' };
        break;
      case 'boolean':
        if (!/^(?:true|false|1|0)$/.test(text)) return { code: 'SCHEMA_BOOLEAN', message: 'not a boolean (true/false)' };
        break;
      case 'gYearMonth': {
        const m = GYEARMONTH.exec(text);
        if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) return { code: 'SCHEMA_GYEARMONTH', message: 'not a year-month (YYYY-MM)' };
        break;
      }
      case 'string': {
        // UTF-16 length ≥ code points: count code points only when the cheap length is over.
        const max = type.maxLength;
        const min = type.minLength;
        if (max !== undefined && text.length > max && codePointLength(text) > max) return { code: 'SCHEMA_LENGTH', message: `longer than ${max} characters` };
        if (min !== undefined && text.length < min) return { code: 'SCHEMA_LENGTH', message: `shorter than ${min} characters` };
        break;
      }
    }
    if (enumeration && !enumeration.has(text)) return { code: 'SCHEMA_ENUMERATION', message: `not one of ${[...enumeration].join(', ')}` };
    if (patterns && !patterns.some((p) => p.test(text))) return { code: 'SCHEMA_PATTERN', message: `does not match ${type.patterns?.join(' | ')}` };
    return undefined;
  };
}

const cache = new WeakMap<CompiledSchema, Map<string, SimpleCheck>>();

export function simpleCheckFor(schema: CompiledSchema, typeName: string): SimpleCheck {
  let checks = cache.get(schema);
  if (!checks) {
    checks = new Map();
    cache.set(schema, checks);
  }
  let check = checks.get(typeName);
  if (!check) {
    const type = schema.simpleTypes[typeName];
    if (!type) throw new Error(`${schema.message}: unknown simple type ${typeName}`);
    check = compile(type);
    checks.set(typeName, check);
  }
  return check;
}
