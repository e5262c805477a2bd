/**
 * The sandbox clock: it only moves forward, and moving it runs every passed bank day's
 * processing in order — held reports released at the start of the day, execution at
 * cut-off (with retries and rejections), end-of-day statements and the BgMax file.
 */
import { addDays, isBankDay } from './calendar.ts';
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

export async function advanceClock(deps: EngineDeps, state: SandboxState, target: ClockTarget): Promise<EngineResult<SandboxCore>> {
  const core = state.core;
  const to = 'days' in target ? `${addDays(dateOf(core.now), target.days)}${core.now.slice(10)}` : target.to.length === 10 ? `${target.to}${core.now.slice(10)}` : normalizeStart(target.to);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/.test(to)) return fail('INVALID_REQUEST', `cannot move the clock to ${to}`);
  if (to < core.now) return fail('CLOCK_BACKWARDS', `the sandbox clock only moves forward: it is ${core.now}, asked for ${to}`, { now: core.now });
  const profile = profileOf(state);
  const run: Record<'release-held' | 'cut-off' | 'end-of-day', (day: string, dirty: Dirty) => void> = {
    'release-held': (day, dirty) => releaseHeld(state, day, dirty),
    'cut-off': (day, dirty) => cutoffProcessing(state, day, dirty),
    'end-of-day': (day, dirty) => endOfDay(state, day, dirty),
  };
  for (let day = dateOf(core.now); day <= dateOf(to); day = addDays(day, 1)) {
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
