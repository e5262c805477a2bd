/**
 * Server-wide liveness: while one sandbox advances its clock years ahead, another sandbox's
 * status GETs keep being answered. The worst latency is printed (a figure, not a test); the
 * test asserts that GETs were answered during the advance, plus a generous sanity bound.
 */
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRandom } from '../../formats/random.ts';
import { startSimulator, type Simulator } from '../../simulator/app.ts';
import { call, createSandbox } from '../simulator/api-suite.ts';

let simulator: Simulator;
beforeAll(async () => {
  simulator = await startSimulator({ random: createRandom(404) });
});
afterAll(async () => simulator.close());

describe('liveness: one sandbox advancing years does not hold up the others', () => {
  it("another sandbox's status GETs keep answering while one sandbox advances 2 years", async () => {
    const target = { baseUrl: () => simulator.url };
    const busy = await createSandbox(target, 'swedbank', { seed: 1 });
    const other = await createSandbox(target, 'sparbanken', { seed: 2 });
    let done = false;
    const started = performance.now();
    const advance = call(target, 'POST', `/sandboxes/${busy.sandboxId}/clock/advance`, { key: busy.apiKey, json: { days: 2 * 365 } }).finally(() => (done = true));
    const latencies: number[] = [];
    let answeredDuring = 0;
    while (!done) {
      const t = performance.now();
      const res = await call(target, 'GET', `/sandboxes/${other.sandboxId}`, { key: other.apiKey });
      expect(res.status).toBe(200);
      latencies.push(performance.now() - t);
      if (!done) answeredDuring++;
    }
    const result = await advance;
    const advanceMs = performance.now() - started;
    expect(result.status).toBe(200);
    expect(result.json.now).toBe('2028-03-11T08:00:00');
    const worst = Math.max(...latencies);
    console.log(`liveness: 2-year advance took ${advanceMs.toFixed(0)} ms; ${answeredDuring} GETs of another sandbox answered meanwhile; worst latency ${worst.toFixed(1)} ms, median ${latencies.sort((a, b) => a - b)[Math.floor(latencies.length / 2)]?.toFixed(1)} ms`);
    expect(answeredDuring).toBeGreaterThanOrEqual(5);
    expect(worst).toBeLessThan(5000);
  }, 120_000);
});
