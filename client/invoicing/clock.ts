/**
 * The invoicing service's controllable clock (`sandbank invoicing start --clock …`), as the
 * bank simulator's sandboxes have one: it shows the time it was started with and moves only
 * when told, forward only, so the lifecycle's period boundaries (a change of invoice recipient
 * from the next contract period, a termination) can be shown against a running service.
 */
import { addDays } from '../../formats/calendar.ts';
import { isIsoDate } from '../../formats/dates.ts';
import type { InvoicingClock } from './service.ts';

/** One call moves the clock at most this many days (about ten years), as the bank's does. */
export const MAX_CLOCK_ADVANCE_DAYS = 3660;

/** `YYYY-MM-DDThh:mm:ss` (or without seconds, or a bare date = midnight) naming a real day and time. */
export function normaliseLocalDateTime(text: string): string | undefined {
  const m = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(text);
  if (!m || !isIsoDate(m[1] ?? '')) return undefined;
  const [h, min, sec] = [m[2] ?? '00', m[3] ?? '00', m[4] ?? '00'];
  if (Number(h) > 23 || Number(min) > 59 || Number(sec) > 59) return undefined;
  return `${m[1]}T${h}:${min}:${sec}`;
}

export type ClockMove = { to: string } | { days: number };

export interface ControllableClock extends InvoicingClock {
  /** Moves the clock forward; refused (with why) backwards, beyond the limit, or to no real time. */
  advance(move: ClockMove): { ok: true; now: string } | { ok: false; message: string };
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to.slice(0, 10)}T00:00:00Z`) - Date.parse(`${from.slice(0, 10)}T00:00:00Z`)) / 86_400_000);
}

export function controllableClock(start: string): ControllableClock {
  const first = normaliseLocalDateTime(start);
  if (!first) throw new Error(`${start} is not a date-time like 2026-01-15T09:00:00`);
  let now = first;
  return {
    now: () => now,
    advance(move) {
      let target: string | undefined;
      if ('to' in move) {
        target = normaliseLocalDateTime(move.to);
        if (!target) return { ok: false, message: `to: ${move.to} is not a date-time like 2026-04-01T00:00:00` };
      } else {
        if (!Number.isSafeInteger(move.days) || move.days < 1) return { ok: false, message: 'days: a whole number of at least 1' };
        target = `${addDays(now.slice(0, 10), move.days)}${now.slice(10)}`;
      }
      if (target < now) return { ok: false, message: `the clock only moves forward: it shows ${now}, ${target} is before that` };
      if (daysBetween(now, target) > MAX_CLOCK_ADVANCE_DAYS) return { ok: false, message: `one call moves the clock at most ${MAX_CLOCK_ADVANCE_DAYS} days; advance in steps` };
      now = target;
      return { ok: true, now };
    },
  };
}
