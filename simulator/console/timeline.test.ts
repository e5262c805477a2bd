/**
 * The timeline rebuilt from what the engine records, as flat tables: the steps of a file,
 * their moments, reasons, and the reports each step produced.
 */
import { describe, expect, it } from 'vitest';
import { createRandom } from '../../formats/random.ts';
import { pain001For } from '../../test/support/payment-files.ts';
import { Engine } from '../engine/bank.ts';
import type { SandboxCore } from '../engine/model.ts';
import { MemoryStore } from '../store/memory.ts';
import { buildTimeline, type Timeline } from './timeline.ts';

async function sandbox(balanceOre = 50_000_00): Promise<{ engine: Engine; core: SandboxCore }> {
  const engine = new Engine({ store: new MemoryStore(), random: createRandom(5), defaultStart: () => '2026-03-12T08:00:00' });
  const created = await engine.createSandbox({ bank: 'swedbank', start: '2026-03-12T08:00:00', openingBalancesOre: [balanceOre, 0] });
  if (!created.ok) throw new Error(created.message);
  return { engine, core: created.value };
}

async function timeline(engine: Engine, core: SandboxCore, fileId: string): Promise<Timeline> {
  const file = await engine.getFile(core.id, fileId);
  const reports = await engine.listReports(core.id, { limit: 10_000 });
  if (!file.ok || !reports.ok) throw new Error('missing');
  return buildTimeline({ file: file.value, reports: reports.value, events: await engine.events(core.id), deliveries: await engine.deliveries(core.id), now: core.now, cutoffTime: '10:00' });
}

/** [at, kind, endToEndId or '', reason code or '', report types produced] */
function rows(t: Timeline, payments: Map<string, string>, reportTypes: Map<string, string>): string[][] {
  return t.steps.filter((s) => s.kind !== 'report' && s.kind !== 'webhook').map((s) => [s.at, s.kind, s.paymentId ? (payments.get(s.paymentId) ?? '?') : '', s.reason?.code ?? '', s.reportIds.map((id) => reportTypes.get(id)).join(' ')]);
}

async function maps(engine: Engine, core: SandboxCore, fileId: string) {
  const file = await engine.getFile(core.id, fileId);
  const reports = await engine.listReports(core.id, { limit: 10_000 });
  if (!file.ok || !reports.ok) throw new Error('missing');
  return { payments: new Map(file.value.payments.map((p) => [p.id, p.endToEndId])), reports: new Map(reports.value.map((r) => [r.id, r.type])) };
}

describe('payment file timeline', () => {
  it('signing, one execution, an AM04 rejection after the retry days, a cancellation', async () => {
    const { engine, core } = await sandbox();
    const submitted = await engine.submitFile(core.id, Buffer.from(pain001For(core, [
      { amountOre: 1_000_00, date: '2026-03-13', endToEndId: 'A' }, { amountOre: 80_000_00, date: '2026-03-13', endToEndId: 'B' }, { amountOre: 2_000_00, date: '2026-03-20', endToEndId: 'C' },
    ])));
    if (!submitted.ok) throw new Error(submitted.message);
    const fileId = submitted.value.fileId;
    await engine.settle(core.id);
    await engine.signFile(core.id, fileId, { channel: 'internet-bank', signedBy: 'Anna Admin', role: 'administrator' });
    await engine.advanceClock(core.id, { to: '2026-03-12T11:00' });
    const c = (await engine.snapshot(core.id))?.payments.find((p) => p.endToEndId === 'C');
    await engine.requestCancellation(core.id, [c?.id ?? ''], 'internet-bank');
    await engine.advanceClock(core.id, { to: '2026-03-19T12:00' });
    const t = await timeline(engine, core, fileId);
    const m = await maps(engine, core, fileId);
    expect(rows(t, m.payments, m.reports)).toEqual([
      ['2026-03-12T08:00:00', 'received', '', '', ''],
      ['2026-03-12T08:00:00', 'validated', '', '', 'pain.002'],
      ['2026-03-12T08:00:00', 'awaiting-signature', '', '', ''],
      ['2026-03-12T08:00:00', 'signed', '', '', 'pain.002'],
      ['2026-03-12T08:00:00', 'scheduled', 'A', '', ''],
      ['2026-03-12T08:00:00', 'scheduled', 'B', '', ''],
      ['2026-03-12T08:00:00', 'scheduled', 'C', '', ''],
      ['2026-03-12T11:00:00', 'cancellation-requested', 'C', '', ''],
      ['2026-03-12T11:00:00', 'cancelled', 'C', 'DS02', 'camt.029 pain.002'],
      ['2026-03-13T10:00:00', 'retry', 'B', 'AM04', ''],
      ['2026-03-13T10:00:00', 'executed', 'A', '', 'pain.002 camt.054'],
      ['2026-03-16T10:00:00', 'retry', 'B', 'AM04', ''],
      ['2026-03-17T10:00:00', 'retry', 'B', 'AM04', ''],
      ['2026-03-18T10:00:00', 'rejected', 'B', 'AM04', 'pain.002'],
    ]);
    expect(t.steps.find((s) => s.kind === 'signed')?.signature).toMatchObject({ channel: 'internet-bank', signedBy: 'Anna Admin' });
    expect(t.steps.find((s) => s.kind === 'scheduled' && m.payments.get(s.paymentId ?? '') === 'B')?.executionDate).toBe('2026-03-13');
    expect(t.days.map((d) => `${d.date.slice(8)}${d.bankDay ? '' : '*'}${d.busy ? '+' : ''}`)).toEqual(['12+', '13+', '14*', '15*', '16+', '17+', '18+', '19+', '20+']);
  });

  it('a file rejected at validation (duplicate message id) and one rejected in the internet bank', async () => {
    const { engine, core } = await sandbox();
    const bytes = pain001For(core, [{ amountOre: 100_00, date: '2026-03-16', endToEndId: 'X' }], { messageId: 'MSG-DUP' });
    const first = await engine.submitFile(core.id, Buffer.from(bytes));
    const second = await engine.submitFile(core.id, Buffer.from(pain001For(core, [{ amountOre: 200_00, date: '2026-03-16', endToEndId: 'Y' }], { messageId: 'MSG-DUP' })));
    if (!first.ok || !second.ok) throw new Error('upload');
    await engine.settle(core.id);
    await engine.rejectFile(core.id, first.value.fileId, 'Anna Admin');
    const m1 = await maps(engine, core, first.value.fileId);
    expect(rows(await timeline(engine, core, first.value.fileId), m1.payments, m1.reports)).toEqual([
      ['2026-03-12T08:00:00', 'received', '', '', ''],
      ['2026-03-12T08:00:00', 'validated', '', '', 'pain.002'],
      ['2026-03-12T08:00:00', 'awaiting-signature', '', '', ''],
      ['2026-03-12T08:00:00', 'file-rejected', '', 'DS02', 'pain.002'],
      ['2026-03-12T08:00:00', 'cancelled', 'X', 'DS02', ''],
    ]);
    const m2 = await maps(engine, core, second.value.fileId);
    expect(rows(await timeline(engine, core, second.value.fileId), m2.payments, m2.reports)).toEqual([
      ['2026-03-12T08:00:00', 'received', '', '', ''],
      ['2026-03-12T08:00:00', 'validated', '', '', ''],
      ['2026-03-12T08:00:00', 'payment-rejected-at-intake', 'Y', 'DUPL', ''],
      ['2026-03-12T08:00:00', 'file-rejected', '', 'DUPL', 'pain.002'],
    ]);
  });
});
