/**
 * Swedish bank days. Non-bank days: weekends, public holidays and the "bank holidays"
 * (Midsummer Eve, Christmas Eve, New Year's Eve), from the date-holidays package's SE calendar.
 * Dates are `YYYY-MM-DD` strings; arithmetic is done on day numbers, never on Date objects.
 */
import { createRequire } from 'node:module';
import type Holidays from 'date-holidays';
import { daysInMonth, isIsoDate } from './dates.ts';

const holidayCache = new Map<number, Set<string>>();
let sweden: Holidays | undefined;

/**
 * Loaded on the first bank-day question (its CommonJS build, synchronously): the package and
 * its calendars take a fifth of a second to load, which commands that never ask — `--help`,
 * `client status` — should not pay.
 */
function swedishCalendar(): Holidays {
  sweden ??= new (createRequire(import.meta.url)('date-holidays') as typeof Holidays)('SE');
  return sweden;
}

function nonBankHolidays(year: number): Set<string> {
  let set = holidayCache.get(year);
  if (!set) {
    set = new Set(swedishCalendar().getHolidays(year).filter((h) => h.type === 'public' || h.type === 'bank').map((h) => h.date.slice(0, 10)));
    holidayCache.set(year, set);
  }
  return set;
}

/** Days since 1970-01-01 for a `YYYY-MM-DD` (proleptic Gregorian). */
export function dayNumber(date: string): number {
  const y0 = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  const d = Number(date.slice(8, 10));
  const y = m <= 2 ? y0 - 1 : y0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export function fromDayNumber(days: number): string {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp + (mp < 10 ? 3 : -9);
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

export function addDays(date: string, days: number): string {
  return fromDayNumber(dayNumber(date) + days);
}

/** 0 = Monday … 6 = Sunday. */
export function weekday(date: string): number {
  return (((dayNumber(date) + 3) % 7) + 7) % 7;
}

export function isBankDay(date: string): boolean {
  return weekday(date) < 5 && !nonBankHolidays(Number(date.slice(0, 4))).has(date);
}

/** Swedish non-bank days never run more than a few in a row (Easter: four). */
const LONGEST_NON_BANK_RUN_DAYS = 10;

/** The date itself when it is a bank day, else the next bank day. */
export function rollToBankDay(date: string): string {
  // Anything but a real YYYY-MM-DD would never become a bank day: this loop must not spin.
  if (!isIsoDate(date)) throw new RangeError(`"${date}" is not a date: give YYYY-MM-DD`);
  let d = date;
  for (let i = 0; !isBankDay(d); i++) {
    if (i > LONGEST_NON_BANK_RUN_DAYS) throw new RangeError(`no bank day within ${LONGEST_NON_BANK_RUN_DAYS} days of ${date}`);
    d = addDays(d, 1);
  }
  return d;
}

export function nextBankDay(date: string): string {
  if (!isIsoDate(date)) throw new RangeError(`"${date}" is not a date: give YYYY-MM-DD`);
  return rollToBankDay(addDays(date, 1));
}

/** Adds `n` bank days (n ≥ 0) to a bank day. */
export function addBankDays(date: string, n: number): string {
  let d = rollToBankDay(date);
  for (let i = 0; i < n; i++) d = nextBankDay(d);
  return d;
}

/** Bank days in (from, to], in order. */
export function bankDaysBetween(fromExclusive: string, toInclusive: string): string[] {
  const out: string[] = [];
  for (let n = dayNumber(fromExclusive) + 1, end = dayNumber(toInclusive); n <= end; n++) {
    const d = fromDayNumber(n);
    if (isBankDay(d)) out.push(d);
  }
  return out;
}

export function lastDayOfMonth(date: string): string {
  return `${date.slice(0, 8)}${String(daysInMonth(Number(date.slice(0, 4)), Number(date.slice(5, 7)))).padStart(2, '0')}`;
}
