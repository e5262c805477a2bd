/**
 * Sandboxes are read from the store on first use and evicted when idle: start-up reads only
 * cores and events (keeping in memory only those with a webhook delivery still pending), and
 * every behaviour is the same after an eviction as before.
 */
import { describe, expect, it } from 'vitest';
import { createRandom } from '../../formats/random.ts';
import { pain001For } from '../../test/support/payment-files.ts';
import { MemoryStore } from '../store/memory.ts';
import { Engine } from './bank.ts';
import { checkInvariants } from './invariants.ts';

/** Counts which collections were read in full. */
class CountingStore extends MemoryStore {
  readonly listed: string[] = [];

  override async list(collection: string): Promise<{ id: string; value: unknown }[]> {
    this.listed.push(collection.replace(/sbx_\w+/, 'sbx'));
    return super.list(collection);
  }
}

const start = () => '2026-03-12T08:00:00';

async function sandboxWithSignedFile(engine: Engine, seed: number) {
  const created = await engine.createSandbox({ bank: 'swedbank', seed });
  if (!created.ok) throw new Error(created.message);
  const core = created.value;
  const upload = await engine.submitFile(core.id, Buffer.from(pain001For(core, [{ amountOre: 100_00, date: '2026-03-16' }, { amountOre: 50_00, date: '2026-03-17' }])));
  if (!upload.ok) throw new Error(upload.message);
  const signed = await engine.signFile(core.id, upload.value.fileId, { channel: 'in-app', signedBy: 'A', role: 'administrator' });
  expect(signed.ok).toBe(true);
  return { core, fileId: upload.value.fileId };
}

describe('sandboxes loaded on first use, evicted when idle', () => {
  it('keeps every behaviour across evictions (one sandbox in memory at a time)', async () => {
    const store = new CountingStore();
    const engine = new Engine({ store, random: createRandom(5), defaultStart: start, maxLoadedSandboxes: 1 });
    const a = await sandboxWithSignedFile(engine, 1);
    const b = await sandboxWithSignedFile(engine, 2);
    // Using b evicted a: its files are read again on the next use.
    const before = store.listed.filter((c) => c === 'sandboxes/sbx/files').length;
    const file = await engine.getFile(a.core.id, a.fileId);
    expect(file.ok && file.value.status).toBe('SIGNED');
    expect(store.listed.filter((c) => c === 'sandboxes/sbx/files').length).toBe(before + 1);
    for (const { core } of [a, b]) {
      const advanced = await engine.advanceClock(core.id, { to: '2026-03-17T23:59:59' });
      expect(advanced.ok).toBe(true);
    }
    for (const { core, fileId } of [a, b]) {
      const payments = await engine.listPayments(core.id);
      expect(payments.ok && payments.value.map((p) => p.status)).toEqual(['EXECUTED', 'EXECUTED']);
      const account = core.accounts.find((x) => x.primary);
      const balances = await engine.balances(core.id, account?.id ?? '');
      expect(balances.ok && balances.value.bookedOre).toBe((account?.openingBalanceOre ?? 0) - 150_00);
      const reports = await engine.listReports(core.id);
      expect(reports.ok && reports.value.map((r) => r.type)).toContain('camt.053');
      expect(await checkInvariants(engine, core.id)).toEqual([]);
      const again = await engine.getFile(core.id, fileId);
      expect(again.ok && again.value.payments.every((p) => p.status === 'EXECUTED')).toBe(true);
    }
  });

  it('starts by reading cores and events only, and finds an internet-bank user by index', async () => {
    const store = new CountingStore();
    const first = new Engine({ store, random: createRandom(6), defaultStart: start });
    const a = await sandboxWithSignedFile(first, 3);
    store.listed.length = 0;
    const second = new Engine({ store, random: createRandom(7), defaultStart: start });
    await second.load();
    expect([...new Set(store.listed)].sort()).toEqual(['sandboxes', 'sandboxes/sbx/events']);
    const user = a.core.users[0];
    expect(second.sandboxForUser('swedbank', user?.id ?? '')?.id).toBe(a.core.id);
    expect(second.sandboxForUser('sparbanken', user?.id ?? '')).toBeUndefined();
    expect(second.sandboxForKey(a.core.apiKey)?.id).toBe(a.core.id);
    const file = await second.getFile(a.core.id, a.fileId);
    expect(file.ok && file.value.status).toBe('SIGNED');
    expect(store.listed).toContain('sandboxes/sbx/files');
  });

  it('reads what earlier versions stored: a raw upload as base64 in a document, a report body inside its metadata', async () => {
    const store = new MemoryStore();
    const first = new Engine({ store, random: createRandom(8), defaultStart: start });
    const created = await first.createSandbox({ bank: 'swedbank', seed: 4 });
    if (!created.ok) throw new Error(created.message);
    const core = created.value;
    const bytes = Buffer.from(pain001For(core, [{ amountOre: 100_00, date: '2026-03-16' }]));
    const upload = await first.submitFile(core.id, bytes);
    if (!upload.ok) throw new Error(upload.message);
    // The validation never ran (a restart right after the 202); the reports so far are rewritten the old way.
    const raw = `sandboxes/${core.id}/raw`;
    await store.delete(raw, upload.value.fileId);
    await store.putMany([{ collection: raw, id: upload.value.fileId, value: { base64: bytes.toString('base64') } }]);
    const second = new Engine({ store, random: createRandom(9), defaultStart: start, maxLoadedSandboxes: 1 });
    await second.load();
    const file = await second.getFile(core.id, upload.value.fileId);
    expect(file.ok && file.value.status).toBe('AWAITING_SIGNATURE');
    const reports = await second.listReports(core.id);
    const pain002 = reports.ok ? reports.value.find((r) => r.type === 'pain.002') : undefined;
    if (!pain002) throw new Error('no pain.002');
    const body = await second.getReport(core.id, pain002.id);
    const reportsCol = `sandboxes/${core.id}/reports`;
    const meta = ((await store.get(reportsCol, pain002.id)) as { meta: unknown }).meta;
    await store.delete(reportsCol, pain002.id);
    await store.putMany([{ collection: reportsCol, id: pain002.id, value: { meta, body: body.ok ? body.value.body : '' } }]);
    const third = new Engine({ store, random: createRandom(10), defaultStart: start });
    await third.load();
    const again = await third.getReport(core.id, pain002.id);
    expect(again.ok && again.value.body).toBe(body.ok && body.value.body);
    expect(again.ok && again.value.body).toContain('<GrpSts>ACTC</GrpSts>');
  });

  it('stores a file\'s payments compact and a report body once, as a blob beside its metadata', async () => {
    const store = new MemoryStore();
    const engine = new Engine({ store, random: createRandom(11), defaultStart: start });
    const { core, fileId } = await sandboxWithSignedFile(engine, 5);
    const doc = (await store.get(`sandboxes/${core.id}/files`, fileId)) as { payments: unknown };
    expect(doc.payments).toMatchObject({ compact: 1 });
    const reports = await engine.listReports(core.id);
    const id = reports.ok ? reports.value[0]?.id ?? '' : '';
    expect(await store.get(`sandboxes/${core.id}/reports`, id)).not.toHaveProperty('body');
    expect(await store.getBlob(`sandboxes/${core.id}/reports`, id)).toBeDefined();
  });

  it('keeps events in memory only while the sandbox is loaded, or while their webhook delivery is pending', async () => {
    const store = new CountingStore();
    const engine = new Engine({ store, random: createRandom(12), defaultStart: start, maxLoadedSandboxes: 1 });
    const quiet = await sandboxWithSignedFile(engine, 6);
    const hooked = await engine.createSandbox({ bank: 'swedbank', seed: 7, webhook: { url: 'http://127.0.0.1:9/hooks' } });
    if (!hooked.ok) throw new Error(hooked.message);
    const upload = await engine.submitFile(hooked.value.id, Buffer.from(pain001For(hooked.value, [{ amountOre: 10_00, date: '2026-03-16' }])));
    expect(upload.ok).toBe(true);
    const quietEvents = await engine.events(quiet.core.id);
    const hookedEvents = await engine.events(hooked.value.id);
    expect(quietEvents.map((e) => e.type)).toContain('payment_file.status_changed');
    expect(hookedEvents.length).toBeGreaterThan(1);
    // Reading `hooked` evicted `quiet`: its events come back from the store, complete and in order.
    const reads = () => store.listed.filter((c) => c === 'sandboxes/sbx/events').length;
    const before = reads();
    expect(await engine.events(quiet.core.id)).toEqual(quietEvents);
    expect(await engine.events(quiet.core.id, quietEvents[1]?.sequence)).toEqual(quietEvents.slice(2));
    expect(reads()).toBe(before + 1);
    // `hooked` is evicted now, but its deliveries are pending: the dispatcher still finds them without a read.
    const atRead = reads();
    const due = engine.dueDeliveries(hooked.value.id, Number.MAX_SAFE_INTEGER);
    expect(due.map((d) => d.event.id)).toEqual(hookedEvents.map((e) => e.id));
    expect(reads()).toBe(atRead);
    const deliveries = await engine.deliveries(hooked.value.id);
    expect(deliveries.map((d) => d.eventId)).toEqual(hookedEvents.map((e) => e.id));
    // A restart reads every batch once, and keeps only those with a pending delivery until first use.
    const restarted = new Engine({ store, random: createRandom(13), defaultStart: start, maxLoadedSandboxes: 1 });
    await restarted.load();
    expect(restarted.dueDeliveries(hooked.value.id, Number.MAX_SAFE_INTEGER).map((d) => d.event.id)).toEqual(hookedEvents.map((e) => e.id));
    expect(await restarted.events(quiet.core.id)).toEqual(quietEvents);
    expect(await restarted.events(hooked.value.id)).toEqual(hookedEvents);
    // The event counter carries on after the highest stored sequence.
    expect(restarted.version(quiet.core.id)).toBe(quietEvents.at(-1)?.sequence);
  });
});
