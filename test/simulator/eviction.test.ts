/**
 * Every behaviour with one sandbox in memory at a time (SANDBANK_MAX_LOADED_SANDBOXES=1), on
 * lowdb: each call to another sandbox evicts the last one, whose files, payments, reports and
 * bookings are then read back from disk. The API suite, the reference client's whole flow for
 * both banks (internet-bank signing included) and the scenario catalogue, four at a time, run
 * against it as they do against a server that keeps everything loaded. Events and webhook
 * deliveries are evicted with the rest (only pending deliveries stay in memory).
 */
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRandom } from '../../formats/random.ts';
import { signInInternetBank } from '../../scenarios/internetbank.ts';
import { loadCatalog, runAll } from '../../scenarios/runner.ts';
import { startSimulator, type Simulator } from '../../simulator/app.ts';
import { LowdbStore } from '../../simulator/store/lowdb.ts';
import { flowSuite } from '../client/flow-suite.ts';
import { pain001For } from '../support/payment-files.ts';
import { apiSuite, call, createSandbox, sender } from './api-suite.ts';

// Read by the engine when the simulator starts (this file runs in its own process).
process.env['SANDBANK_MAX_LOADED_SANDBOXES'] = '1';

let simulator: Simulator;
let receiver: Server;
let receiverUrl = '';
beforeAll(async () => {
  simulator = await startSimulator({ store: new LowdbStore(mkdtempSync(join(tmpdir(), 'sandbank-evict-'))), random: createRandom(47) });
  receiver = createServer((req, res) => req.resume().on('end', () => res.writeHead(204).end()));
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
});
afterAll(async () => {
  await simulator.close();
  receiver.close();
});

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

  it('answers a sandbox\'s events and webhook deliveries whole after it was evicted', async () => {
    const target = { baseUrl: () => simulator.url };
    const a = await createSandbox(target, 'swedbank', { webhook: { url: receiverUrl } });
    const up = await call(target, 'POST', '/v1/swedbank/payment-files', { key: a.apiKey, body: pain001For(sender(a), [{ amountOre: 100, date: '2026-03-16' }, { amountOre: 200, date: '2026-03-16' }]), headers: { 'content-type': 'application/xml' } });
    expect(up.status).toBe(202);
    const read = async () => ({
      events: (await call(target, 'GET', `/sandboxes/${a.sandboxId}/events`, { key: a.apiKey })).json.events as { sequence: number }[],
      deliveries: (await call(target, 'GET', `/sandboxes/${a.sandboxId}/webhook/deliveries`, { key: a.apiKey })).json.deliveries as { state: string }[],
    });
    const end = Date.now() + 10_000;
    let before = await read();
    while (before.deliveries.length < before.events.length || before.deliveries.some((d) => d.state !== 'delivered')) {
      if (Date.now() > end) throw new Error('the webhook deliveries were not all delivered');
      await new Promise((r) => setTimeout(r, 20));
      before = await read();
    }
    expect(before.events.length).toBeGreaterThan(2);
    // Another sandbox in use evicts this one (delivered deliveries do not keep its events in memory).
    const b = await createSandbox(target, 'sparbanken');
    expect((await call(target, 'GET', `/sandboxes/${b.sandboxId}/events`, { key: b.apiKey })).status).toBe(200);
    expect(simulator.engine.loadedSandboxIds()).toEqual([b.sandboxId]);
    expect(await read()).toEqual(before);
    const after = (await call(target, 'GET', `/sandboxes/${a.sandboxId}/events?after=${before.events[0]?.sequence}`, { key: a.apiKey })).json.events;
    expect(after).toEqual(before.events.slice(1));
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
