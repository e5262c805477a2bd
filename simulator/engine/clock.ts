/**
 * The sandbox clock: it only moves forward, and moving it runs every passed bank day's
 * processing in order — held reports released at the start of the day, execution at
 * cut-off (with retries and rejections), end-of-day statements and the BgMax file.
 */
import { dayNumber, fromDayNumber, isBankDay } from './calendar.ts';
import { MAX_ADVANCE_DAYS, isLocalDateTime, withinClockRange } from './clock-range.ts';
import { fail, ok, type EngineResult } from './errors.ts';
import { cutoffProcessing } from './execution.ts';
import { releaseHeld } from './mailbox.ts';
import type { LocalDateTime, SandboxCore } from './model.ts';
import { flush, saveCore } from './persistence.ts';
import { endOfDay } from './statements.ts';
import { dateOf, normalizeStart, profileOf, type Dirty, type EngineDeps, type SandboxState } from './state.ts';

export type ClockTarget = { days: number } | { to: string };

/** The processing points of one day (local time), in order. */
export function processingPoints(day: string, cutoffTime: string): { at: LocalDateTime; kind: 'release-held' | 'cut-off' | 'end-of-day' }[] {
  const points: { at: LocalDateTime; kind: 'release-held' | 'cut-off' | 'end-of-day' }[] = [{ at: `${day}T00:00:00`, kind: 'release-held' }];
  if (isBankDay(day)) {
    points.push({ at: `${day}T${cutoffTime}:00`, kind: 'cut-off' });
    points.push({ at: `${day}T23:59:59`, kind: 'end-of-day' });
  }
  return points;
}

/** Lets the event loop serve other requests (other sandboxes) between two days. */
const yieldToOthers = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function advanceClock(deps: EngineDeps, state: SandboxState, target: ClockTarget): Promise<EngineResult<SandboxCore>> {
  const core = state.core;
  if ('days' in target && !(Number.isSafeInteger(target.days) && target.days >= 0)) return fail('INVALID_REQUEST', 'days must be a whole number of days, 0 or more');
  if ('to' in target && !isLocalDateTime(target.to)) return fail('INVALID_REQUEST', `${target.to} is not a real date and time`);
  const from = dayNumber(dateOf(core.now));
  const toDay = 'days' in target ? from + target.days : dayNumber(target.to.slice(0, 10));
  if (toDay - from > MAX_ADVANCE_DAYS) return fail('INVALID_REQUEST', `one call moves the clock at most ${MAX_ADVANCE_DAYS} days; advance in steps`, { maxDays: MAX_ADVANCE_DAYS });
  const to = 'days' in target ? `${fromDayNumber(toDay)}${core.now.slice(10)}` : target.to.length === 10 ? `${target.to}${core.now.slice(10)}` : normalizeStart(target.to);
  if (!withinClockRange(to)) return fail('INVALID_REQUEST', `the sandbox clock cannot show ${to}`);
  if (to < core.now) return fail('CLOCK_BACKWARDS', `the sandbox clock only moves forward: it is ${core.now}, asked for ${to}`, { now: core.now });
  const profile = profileOf(state);
  const run: Record<'release-held' | 'cut-off' | 'end-of-day', (day: string, dirty: Dirty) => void> = {
    'release-held': (day, dirty) => releaseHeld(state, day, dirty),
    'cut-off': (day, dirty) => cutoffProcessing(state, day, dirty),
    'end-of-day': (day, dirty) => endOfDay(state, day, dirty),
  };
  // Days are compared as day numbers: as strings, the day after 9999-12-31 sorts before it.
  for (let n = from; n <= toDay; n++) {
    const day = fromDayNumber(n);
    if (n > from) await yieldToOthers();
    for (const point of processingPoints(day, profile.cutoffTime)) {
      if (point.at <= core.now || point.at > to) continue;
      core.now = point.at;
      const dirty: Dirty = new Set();
      run[point.kind](day, dirty);
      await flush(deps, state, dirty);
    }
  }
  core.now = to;
  await saveCore(deps.store, state);
  return ok(core);
}
