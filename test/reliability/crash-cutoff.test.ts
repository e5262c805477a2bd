/**
 * A crash during cut-off processing loses nothing and doubles nothing. The lowdb store dies at
 * the Nth file write (every write after it fails too, as in a killed process) at seeded points
 * inside the cut-off groups of a clock advance over three bank days with 120 payments due;
 * then the store is opened again: every executed payment has its camt.054 and pain.002 ACSC
 * and its event, exactly once; advancing again completes the days once; a second restart
 * changes nothing. The real kill -9 of a server process is in crash-kill.test.ts.
 */
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataFile } from 'lowdb/node';
import { afterEach, describe, expect, it } from 'vitest';
import { createRandom } from '../../formats/random.ts';
import { Engine } from '../../simulator/engine/bank.ts';
import { checkInvariants } from '../../simulator/engine/invariants.ts';
import type { PaymentFile, SandboxCore } from '../../simulator/engine/model.ts';
import { LowdbStore } from '../../simulator/store/lowdb.ts';
import { MemoryStore } from '../../simulator/store/memory.ts';
import { completenessProblems } from '../support/report-completeness.ts';
import { pain001For } from '../support/payment-files.ts';

const SEED = Number(process.env['CRASH_SEED'] ?? 20261201);
const TARGET = '2026-03-18T23:00:00';

/** Every lowdb document and journal write goes through DataFile.write: the store dies there. */
const proto = DataFile.prototype as unknown as { write(this: unknown, value: unknown): Promise<void> };
const realWrite = proto.write;
let writes = 0;
let dieAt = Number.POSITIVE_INFINITY;
let onWrite: (() => void) | undefined;
proto.write = function write(this: unknown, value: unknown): Promise<void> {
  writes++;
  onWrite?.();
  if (writes >= dieAt) return Promise.reject(new Error('simulated crash: the store is gone'));
  return realWrite.call(this, value);
};
afterEach(() => {
  dieAt = Number.POSITIVE_INFINITY;
  onWrite = undefined;
});

async function open(dir: string): Promise<Engine> {
  const engine = new Engine({ store: new LowdbStore(join(dir, 'store')), random: createRandom(SEED), defaultStart: () => '2026-03-12T08:00:00' });
  await engine.load();
  return engine;
}

function sandboxOf(engine: Engine): string {
  const [id] = engine.sandboxIds();
  if (id === undefined) throw new Error('no sandbox');
  return id;
}

/** A sandbox with 3 signed files of 40 payments, due on three consecutive bank days. */
async function template(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'sandbank-cutoff-'));
  const engine = await open(dir);
  const created = await engine.createSandbox({ bank: 'swedbank', seed: 11, start: '2026-03-12T08:00:00', openingBalancesOre: [10_000_000_00, 0] });
  if (!created.ok) throw new Error(created.message);
  const core = created.value;
  for (const [f, date] of ['2026-03-16', '2026-03-17', '2026-03-18'].entries()) {
    const payments = Array.from({ length: 40 }, (_, i) => ({ amountOre: 100_00 + f * 1000 + i, date, endToEndId: `CUT-${f}-${i}` }));
    const up = await engine.submitFile(core.id, Buffer.from(pain001For({ id: core.id, now: core.now, company: core.company, accounts: core.accounts }, payments, { messageId: `CUTOFF-${f}` })));
    if (!up.ok) throw new Error(up.message);
    const signed = await engine.signFile(core.id, up.value.fileId, { channel: 'in-app', signedBy: 'Test Admin', role: 'administrator' });
    if (!signed.ok) throw new Error(signed.message);
  }
  return dir;
}

async function problemsOf(engine: Engine): Promise<string[]> {
  const id = sandboxOf(engine);
  const payments = await engine.listPayments(id);
  const metas = await engine.listReports(id, { limit: 100_000 });
  if (!payments.ok || !metas.ok) return ['cannot read the sandbox'];
  const reports = [];
  for (const meta of metas.value) {
    const got = await engine.getReport(id, meta.id);
    if (got.ok) reports.push({ type: meta.type, body: got.value.body });
  }
  return [
    ...(await checkInvariants(engine, id)),
    ...completenessProblems({ payments: payments.value.map((p) => ({ paymentId: p.id, endToEndId: p.endToEndId, status: p.status })), reports, events: await engine.events(id) }),
  ];
}

async function fingerprint(engine: Engine): Promise<string> {
  const id = sandboxOf(engine);
  const reports = await engine.listReports(id, { limit: 100_000 });
  return JSON.stringify({ snapshot: await engine.snapshot(id), reports: reports.ok ? reports.value : [], events: await engine.events(id) });
}

describe('crash during cut-off processing (lowdb store dying at the Nth write)', () => {
  it('loses nothing, doubles nothing, and a second restart changes nothing, at ≥20 seeded write points', async () => {
    const base = await template();
    // A dry run finds which writes belong to cut-off groups (the clock then shows the cut-off time).
    const dry = mkdtempSync(join(tmpdir(), 'sandbank-cutoff-dry-'));
    cpSync(base, dry, { recursive: true });
    const dryEngine = await open(dry);
    const dryId = sandboxOf(dryEngine);
    const cutoffTime = `T${dryEngine.profile('swedbank').cutoffTime}:00`;
    const cutoffWrites: number[] = [];
    writes = 0;
    onWrite = () => {
      if (dryEngine.sandbox(dryId)?.now.endsWith(cutoffTime)) cutoffWrites.push(writes);
    };
    expect((await dryEngine.advanceClock(dryId, { to: TARGET })).ok).toBe(true);
    onWrite = undefined;
    const total = writes;
    const random = createRandom(SEED);
    const points = [...new Set(cutoffWrites)].sort(() => random.int(0, 2) - 1).slice(0, 24).sort((a, b) => a - b);
    console.log(`crash seed ${SEED}: ${total} store writes in the advance, ${cutoffWrites.length} in cut-off groups; crashing at ${points.join(', ')}`);
    expect(points.length).toBeGreaterThanOrEqual(20);

    const outcomes: string[] = [];
    for (const point of points) {
      const dir = mkdtempSync(join(tmpdir(), 'sandbank-cutoff-crash-'));
      cpSync(base, dir, { recursive: true });
      const doomed = await open(dir);
      writes = 0;
      dieAt = point;
      const crashed = await doomed.advanceClock(sandboxOf(doomed), { to: TARGET }).then(() => false, () => true);
      dieAt = Number.POSITIVE_INFINITY;
      expect(crashed, `write ${point}`).toBe(true);

      const restarted = await open(dir);
      const afterCrash = await problemsOf(restarted);
      expect(afterCrash, `after a crash at write ${point}`).toEqual([]);
      const executed = (await restarted.listPayments(sandboxOf(restarted), 'EXECUTED'));
      outcomes.push(`${point}:${executed.ok ? executed.value.length : '?'}`);
      const first = await fingerprint(restarted);
      expect(await fingerprint(await open(dir)), `second restart after write ${point}`).toBe(first);

      const resumed = await open(dir);
      expect((await resumed.advanceClock(sandboxOf(resumed), { to: TARGET })).ok).toBe(true);
      expect(await problemsOf(resumed), `after advancing again (crash at write ${point})`).toEqual([]);
      const all = await resumed.listPayments(sandboxOf(resumed), 'EXECUTED');
      expect(all.ok && all.value.length, `every payment executed once (crash at write ${point})`).toBe(120);
    }
    console.log(`crash points → payments executed right after the restart: ${outcomes.join(' ')}`);
  }, 240_000);

  it('recovery writes what it repaired: the next start finds it done, not redone', async () => {
    const store = new MemoryStore();
    const make = async () => {
      const engine = new Engine({ store, random: createRandom(SEED), defaultStart: () => '2026-03-12T08:00:00' });
      await engine.load();
      return engine;
    };
    const engine = await make();
    const created = await engine.createSandbox({ bank: 'sparbanken', seed: 5, start: '2026-03-12T08:00:00' });
    if (!created.ok) throw new Error(created.message);
    const core = created.value;
    const up = await engine.submitFile(core.id, Buffer.from(pain001For({ id: core.id, now: core.now, company: core.company, accounts: core.accounts }, [{ amountOre: 500_00, date: '2026-03-13' }], { messageId: 'REPAIR-1' })));
    if (!up.ok) throw new Error(up.message);
    await engine.signFile(core.id, up.value.fileId, { channel: 'in-app', signedBy: 'A', role: 'administrator' });
    await engine.advanceClock(core.id, { to: '2026-03-13T12:00:00' });
    // A store written by an adapter without grouped writes: the booking made it, the file and core did not.
    const fileDoc = (await store.get(`sandboxes/${core.id}/files`, up.value.fileId)) as PaymentFile;
    const stale = { ...fileDoc, payments: fileDoc.payments.map((p) => ({ ...p, status: 'SCHEDULED' as const, history: p.history.filter((h) => h.status !== 'EXECUTED') })) };
    const coreDoc = (await store.get('sandboxes', core.id)) as SandboxCore;
    await store.putMany([
      { collection: `sandboxes/${core.id}/files`, id: up.value.fileId, value: stale },
      { collection: 'sandboxes', id: core.id, value: { ...coreDoc, accounts: coreDoc.accounts.map((a) => ({ ...a, bookedOre: a.openingBalanceOre })) } },
    ]);
    const repaired = await make();
    expect(await checkInvariants(repaired, core.id)).toEqual([]);
    const stored = (await store.get(`sandboxes/${core.id}/files`, up.value.fileId)) as PaymentFile;
    expect(stored.payments.map((p) => p.status)).toEqual(['EXECUTED']);
    const storedCore = (await store.get('sandboxes', core.id)) as SandboxCore;
    expect(storedCore.accounts[0]?.bookedOre).toBe((storedCore.accounts[0]?.openingBalanceOre ?? 0) - 500_00);
    const again = await make();
    const history = (await again.snapshot(core.id))?.payments[0]?.history ?? [];
    expect(history.filter((h) => /recovered/.test(h.reason ?? ''))).toHaveLength(1);
  });
});
