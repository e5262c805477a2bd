/**
 * Test helpers for the invoicing service's controllable clock, mounted only when it was
 * started with one (`sandbank invoicing start --clock …`), like the bank simulator's
 * `POST /sandboxes/{id}/clock/advance`.
 */
import { z } from 'zod';
import { MAX_CLOCK_ADVANCE_DAYS, type ControllableClock } from '../clock.ts';
import { problem } from './problem.ts';
import type { Route } from './routes.ts';

const advance = z.union([
  z.object({ to: z.string().min(10).max(19).describe('local date-time YYYY-MM-DDThh:mm:ss (Europe/Stockholm), not before now') }).strict(),
  z.object({ days: z.number().int().min(1).max(MAX_CLOCK_ADVANCE_DAYS).describe('whole days forward, the time of day kept') }).strict(),
]);

const json = (value: unknown) => ({ status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) });

export function clockRoutes(clock: ControllableClock): Route[] {
  return [
    { method: 'GET', pattern: '/setup/clock', auth: 'none', summary: "Test helper (started with --clock): the service's simulated time", handler: async () => json({ now: clock.now() }) },
    {
      method: 'POST', pattern: '/setup/clock/advance', auth: 'none', body: advance,
      summary: `Test helper (started with --clock): move the simulated time forward, {"to": "2026-04-01T00:00:00"} or {"days": n} (at most ${MAX_CLOCK_ADVANCE_DAYS}); lifecycle periods, recipient changes and audit times follow it`,
      handler: async (call) => {
        const moved = clock.advance(call.body as z.infer<typeof advance>);
        return moved.ok ? json({ now: moved.now }) : problem('INVALID_REQUEST', moved.message);
      },
    },
  ];
}
