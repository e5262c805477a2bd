/**
 * The whole scenario catalogue, in-process (the msw bank), both banks: one test per scenario
 * and bank, each in its own sandbox. `sandbank scenarios run` runs the same files.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inProcessTarget, loadCatalog, runScenario, type Target } from './runner.ts';

const catalog = await loadCatalog();
let target: Target;
beforeAll(async () => {
  target = await inProcessTarget(1);
});
afterAll(async () => target.close());

describe('scenario catalogue (in-process)', () => {
  it('has at least 30 scenarios', () => {
    expect(catalog.length).toBeGreaterThanOrEqual(30);
  });

  const cases = catalog.flatMap((s) => (s.banks ?? ['swedbank', 'sparbanken']).map((bank) => ({ scenario: s, bank, title: `${s.file} [${bank}]` })));
  it.concurrent.each(cases)('$title', async ({ scenario, bank }) => {
    const result = await runScenario(target, scenario, bank);
    if (!result.passed) console.log(`seed ${result.seed}, sandbox ${result.sandboxId}: ${result.error}`);
    expect(result.error).toBeUndefined();
  });
});
