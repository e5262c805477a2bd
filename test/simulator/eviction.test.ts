/**
 * Every behaviour with one sandbox in memory at a time (SANDBANK_MAX_LOADED_SANDBOXES=1), on
 * lowdb: each call to another sandbox evicts the last one, whose files, payments, reports and
 * bookings are then read back from disk. The API suite, the reference client's whole flow for
 * both banks (internet-bank signing included) and the scenario catalogue, four at a time, run
 * against it as they do against a server that keeps everything loaded.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRandom } from '../../formats/random.ts';
import { signInInternetBank } from '../../scenarios/internetbank.ts';
import { loadCatalog, runAll } from '../../scenarios/runner.ts';
import { startSimulator, type Simulator } from '../../simulator/app.ts';
import { LowdbStore } from '../../simulator/store/lowdb.ts';
import { flowSuite } from '../client/flow-suite.ts';
import { apiSuite } from './api-suite.ts';

// Read by the engine when the simulator starts (this file runs in its own process).
process.env['SANDBANK_MAX_LOADED_SANDBOXES'] = '1';

let simulator: Simulator;
beforeAll(async () => {
  simulator = await startSimulator({ store: new LowdbStore(mkdtempSync(join(tmpdir(), 'sandbank-evict-'))), random: createRandom(47) });
});
afterAll(async () => simulator.close());

describe('one sandbox loaded at a time (lowdb, SANDBANK_MAX_LOADED_SANDBOXES=1)', () => {
  apiSuite({ baseUrl: () => simulator.url });

  flowSuite({
    baseUrl: () => simulator.url,
    signInInternetBank: async (sandbox, fileId) => {
      const admin = sandbox.internetBankUsers.find((u) => u.role === 'administrator');
      if (!admin) throw new Error('no administrator');
      await signInInternetBank(simulator.url, sandbox.bank, { id: admin.userId, password: admin.password, totpSecret: admin.totpSecret }, fileId);
    },
  });

  it('runs the scenario catalogue, both banks, four at a time', async () => {
    const { results } = await runAll({ scenarios: await loadCatalog(), banks: ['swedbank', 'sparbanken'], parallel: 4, target: simulator.url });
    expect(results.filter((r) => !r.passed).map((r) => `${r.bank} ${r.name}: ${r.error ?? ''}`)).toEqual([]);
    expect(results.length).toBeGreaterThan(20);
    // The limit held: everything above ran with at most one sandbox's contents in memory at rest.
    expect(simulator.engine.sandboxIds().length).toBeGreaterThan(20);
    expect(simulator.engine.loadedSandboxIds().length).toBeLessThanOrEqual(1);
  }, 180_000);
});
