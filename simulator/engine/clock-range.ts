/**
 * What a sandbox clock may show and how far one call may move it: real calendar dates and
 * times of day, years CLOCK_YEARS, at most MAX_ADVANCE_DAYS per advance. The HTTP schemas
 * and the engine apply the same rules.
 */
import { isIsoDate } from '../../formats/dates.ts';

/** The years a sandbox clock may show (start, clock targets). */
export const CLOCK_YEARS = { from: 2000, to: 2199 } as const;
/** One clock advance moves at most this many days (about ten years): long runs go in steps. */
export const MAX_ADVANCE_DAYS = 3660;

export function withinClockRange(dateOrDateTime: string): boolean {
  const year = Number(dateOrDateTime.slice(0, 4));
  return year >= CLOCK_YEARS.from && year <= CLOCK_YEARS.to;
}

/** `YYYY-MM-DD` or `YYYY-MM-DDThh:mm[:ss]` naming a real day and a real time of day. */
export function isLocalDateTime(text: string): boolean {
  const m = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(text);
  if (!m || !isIsoDate(m[1] as string)) return false;
  if (m[2] === undefined) return true;
  return Number(m[2]) <= 23 && Number(m[3]) <= 59 && Number(m[4] ?? 0) <= 59;
}
