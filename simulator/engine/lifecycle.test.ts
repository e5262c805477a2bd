/**
 * The payment lifecycle as flat table rows per bank profile (submit → sign → advance → expect),
 * with the invariant checker after every step.
 */
import { describe, expect, it } from 'vitest';
import { parsePain002 } from '../../formats/pain002/parse.ts';
import { parseAccountReport } from '../../formats/camt/report-parse.ts';
import { createRandom } from '../../formats/random.ts';
import { pain001For, type SimplePayment } from '../../test/support/payment-files.ts';
import { MemoryStore } from '../store/memory.ts';
import type { BankId } from '../banks/index.ts';
import { Engine } from './bank.ts';
import { checkInvariants } from './invariants.ts';
import type { PaymentStatus } from './model.ts';

type Step =
  | { submit: SimplePayment[] }
  | { sign: 'in-app' | 'internet-bank' }
  | { advance: string }
  | { cancel: number }
  | { expect: PaymentStatus[]; file?: string; reasons?: (string | undefined)[] };

interface Row {
  name: string;
  start: string;
  balancesOre?: number[];
  steps: Step[];
}

const rows: Row[] = [
  { name: 'happy path: executed on its date', start: '2026-03-12T08:00', steps: [
    { submit: [{ amountOre: 100_00, date: '2026-03-16' }] }, { expect: ['AWAITING_SIGNATURE'], file: 'AWAITING_SIGNATURE' },
    { sign: 'internet-bank' }, { expect: ['SCHEDULED'], file: 'SIGNED' },
    { advance: '2026-03-13T12:00' }, { expect: ['SCHEDULED'] },
    { advance: '2026-03-16T12:00' }, { expect: ['EXECUTED'] },
  ] },
  { name: 'in-app two-step signing', start: '2026-03-12T08:00', steps: [
    { submit: [{ amountOre: 5_00, date: '2026-03-12' }] }, { sign: 'in-app' }, { advance: '2026-03-12T23:00' }, { expect: ['EXECUTED'] },
  ] },
  { name: 'weekend date rolls forward to Monday', start: '2026-03-12T08:00', steps: [
    { submit: [{ amountOre: 1_00, date: '2026-03-14' }] }, { sign: 'internet-bank' }, { advance: '2026-03-15T23:00' }, { expect: ['SCHEDULED'] },
    { advance: '2026-03-16T23:00' }, { expect: ['EXECUTED'] },
  ] },
  { name: 'unsigned file stays pending and is never executed', start: '2026-03-12T08:00', steps: [
    { submit: [{ amountOre: 1_00, date: '2026-03-12' }] }, { advance: '2026-04-30T12:00' }, { expect: ['AWAITING_SIGNATURE'] },
  ] },
  { name: 'signed after cut-off executes the next bank day', start: '2026-03-13T15:00', steps: [
    { submit: [{ amountOre: 1_00, date: '2026-03-13' }] }, { sign: 'internet-bank' }, { advance: '2026-03-13T23:59:59' }, { expect: ['SCHEDULED'] },
    { advance: '2026-03-16T23:00' }, { expect: ['EXECUTED'] },
  ] },
  { name: 'insufficient funds: retried, then rejected AM04', start: '2026-03-12T08:00', balancesOre: [10_00, 0], steps: [
    { submit: [{ amountOre: 50_00, date: '2026-03-12' }] }, { sign: 'in-app' }, { advance: '2026-03-12T23:00' }, { expect: ['SCHEDULED'] },
    { advance: '2026-03-31T23:00' }, { expect: ['REJECTED'], reasons: ['AM04'] },
  ] },
  { name: 'one of two payments without funds', start: '2026-03-12T08:00', balancesOre: [100_00, 0], steps: [
    { submit: [{ amountOre: 80_00, date: '2026-03-12' }, { amountOre: 80_00, date: '2026-03-12' }] }, { sign: 'in-app' },
    { advance: '2026-03-31T23:00' }, { expect: ['EXECUTED', 'REJECTED'], reasons: [undefined, 'AM04'] },
  ] },
  { name: 'invalid bankgiro rejected at the bank, file PART', start: '2026-03-12T08:00', steps: [
    { submit: [{ amountOre: 1_00, date: '2026-03-16' }, { amountOre: 2_00, date: '2026-03-16', bankgiro: '50501056' }] },
    { expect: ['AWAITING_SIGNATURE', 'REJECTED'], file: 'PARTIALLY_ACCEPTED', reasons: [undefined, 'AC01'] },
  ] },
  { name: 'cancellation before execution', start: '2026-03-12T08:00', steps: [
    { submit: [{ amountOre: 1_00, date: '2026-03-20' }] }, { sign: 'in-app' }, { cancel: 0 }, { expect: ['CANCELLED'] },
    { advance: '2026-03-31T23:00' }, { expect: ['CANCELLED'] },
  ] },
  { name: 'cancellation too late', start: '2026-03-12T08:00', steps: [
    { submit: [{ amountOre: 1_00, date: '2026-03-12' }] }, { sign: 'in-app' }, { advance: '2026-03-12T23:00' }, { cancel: 0 }, { expect: ['EXECUTED'] },
  ] },
];

async function run(bank: BankId, row: Row) {
  const engine = new Engine({ store: new MemoryStore(), random: createRandom(7), defaultStart: () => row.start });
  const created = await engine.createSandbox({ bank, seed: 11, start: row.start, ...(row.balancesOre ? { openingBalancesOre: row.balancesOre } : {}) });
  if (!created.ok) throw new Error(created.message);
  const sandbox = created.value;
  let fileId = '';
  const check = async () => expect(await checkInvariants(engine, sandbox.id)).toEqual([]);
  for (const step of row.steps) {
    if ('submit' in step) {
      const r = await engine.submitFile(sandbox.id, Buffer.from(pain001For(sandbox, step.submit)));
      if (!r.ok) throw new Error(r.message);
      fileId = r.value.fileId;
    } else if ('sign' in step) {
      const r = await engine.signFile(sandbox.id, fileId, { channel: step.sign, signedBy: 'Admin', role: 'administrator' });
      if (!r.ok) throw new Error(r.message);
    } else if ('advance' in step) {
      const r = await engine.advanceClock(sandbox.id, { to: step.advance });
      if (!r.ok) throw new Error(r.message);
    } else if ('cancel' in step) {
      const file = await engine.getFile(sandbox.id, fileId);
      if (!file.ok) throw new Error(file.message);
      const payment = file.value.payments[step.cancel];
      if (!payment) throw new Error('no such payment');
      const r = await engine.requestCancellation(sandbox.id, [payment.id], 'api');
      if (!r.ok) throw new Error(r.message);
    } else {
      const file = await engine.getFile(sandbox.id, fileId);
      if (!file.ok) throw new Error(file.message);
      expect(file.value.payments.map((p) => p.status)).toEqual(step.expect);
      if (step.file) expect(file.value.status).toBe(step.file);
      if (step.reasons) expect(file.value.payments.map((p) => p.reasons[0]?.code)).toEqual(step.reasons);
    }
    await check();
  }
  return { engine, sandbox };
}

describe.each(['swedbank', 'sparbanken'] as const)('payment lifecycle at %s', (bank) => {
  it.each(rows)('$name', async (row) => {
    await run(bank, row);
  });

  it('every report in the mailbox is a valid document, in order', async () => {
    const { engine, sandbox } = await run(bank, rows[0] as Row);
    const reports = await engine.listReports(sandbox.id);
    if (!reports.ok) throw new Error(reports.message);
    const types = reports.value.map((r) => r.type);
    expect(types.slice(0, 2)).toEqual(['pain.002', 'pain.002']);
    expect(types).toContain('camt.054');
    expect(types).toContain('camt.053');
    for (const meta of reports.value) {
      const report = await engine.getReport(sandbox.id, meta.id);
      if (!report.ok) throw new Error(report.message);
      const parsed = meta.type === 'pain.002' ? parsePain002(report.value.body) : parseAccountReport(report.value.body);
      expect(parsed.issues.filter((i) => i.severity === 'error'), `${meta.id} ${meta.message}`).toEqual([]);
    }
    const statuses = [];
    for (const meta of reports.value.filter((r) => r.type === 'pain.002')) {
      const report = await engine.getReport(sandbox.id, meta.id);
      if (report.ok) statuses.push(parsePain002(report.value.body).value?.paymentInformation[0]?.transactions[0]?.status);
    }
    expect(statuses).toEqual(['PDNG', 'ACCP', 'ACSC']);
  });

  it('the clock refuses to go backwards', async () => {
    const engine = new Engine({ store: new MemoryStore(), random: createRandom(1), defaultStart: () => '2026-03-12T08:00:00' });
    const created = await engine.createSandbox({ bank });
    if (!created.ok) throw new Error('no sandbox');
    expect(await engine.advanceClock(created.value.id, { to: '2026-03-11' })).toMatchObject({ ok: false, code: 'CLOCK_BACKWARDS' });
  });
});

describe('Bankgirot LB payment dated on a non-bank day (profile: roll or reject)', () => {
  it.each([['swedbank', 'AWAITING_SIGNATURE', undefined], ['sparbanken', 'REJECTED', 'DT01']] as const)('%s → %s', async (bank, status, reason) => {
    const { encodeLatin1 } = await import('../../formats/bankgirot/fixed-width.ts');
    const { writeLb } = await import('../../formats/bankgirot/lb.ts');
    const engine = new Engine({ store: new MemoryStore(), random: createRandom(3), defaultStart: () => '2026-03-12T08:00:00' });
    const created = await engine.createSandbox({ bank, seed: 5 });
    if (!created.ok) throw new Error(created.message);
    const sender = created.value.company.bankgiro.padStart(10, '0');
    const lb = encodeLatin1(writeLb({ records: [
      { type: '11', senderBankgiro: sender, fileDate: '260312', product: 'LEVERANTÖRSBETALNINGAR', paymentDate: '', currency: 'SEK' },
      { type: '14', payee: '0009912346', reference: '1234574', amountOre: 100_00, paymentDate: '260314', information: 'Faktura 1' },
      { type: '29', senderBankgiro: sender, paymentCount: 1, totalOre: 100_00 },
    ] }));
    const upload = await engine.submitFile(created.value.id, lb);
    if (!upload.ok) throw new Error(upload.message);
    const file = await engine.getFile(created.value.id, upload.value.fileId);
    if (!file.ok) throw new Error(file.message);
    expect(file.value.format).toBe('lb');
    expect(file.value.payments[0]?.status).toBe(status);
    expect(file.value.payments[0]?.reasons[0]?.code).toBe(reason);
    if (bank === 'swedbank') {
      await engine.signFile(created.value.id, upload.value.fileId, { channel: 'in-app', signedBy: 'A', role: 'administrator' });
      const signed = await engine.getFile(created.value.id, upload.value.fileId);
      expect(signed.ok && signed.value.payments[0]?.executionDate).toBe('2026-03-16');
    }
    expect(await checkInvariants(engine, created.value.id)).toEqual([]);
  });
});
