/**
 * With the simulated bank on a real port: 10 invoices → synced → customers pay the company's
 * bankgiro at the bank (full, partial, over-payment, unknown OCR) → the bank's end-of-day
 * BgMax → the bureau reads it from the reports mailbox, books, pushes back → the invoicing
 * program shows paid / partly paid / open; reading the mailbox again changes nothing; the
 * sum booked on 1930 for the day equals the credits of the bank's camt.053 for that day.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryRecordLog } from '../../client/append-log.ts';
import { bgmaxFilesFromBank } from '../../client/bureau/bank-bgmax.ts';
import { BureauProgram, type BureauRecord } from '../../client/bureau/program.ts';
import { BankConnection } from '../../client/bank/connection.ts';
import { parseAccountReport } from '../../formats/camt/report-parse.ts';
import { generateOcr } from '../../formats/identifiers/ocr.ts';
import { createRandom } from '../../formats/random.ts';
import { startSimulator, type Simulator } from '../../simulator/app.ts';
import { call, setupCollaboration, startTestInvoicing } from './support.ts';

let bank: Simulator;
let app: Awaited<ReturnType<typeof startTestInvoicing>>;
beforeAll(async () => {
  bank = await startSimulator({ random: createRandom(13), port: 0 });
  app = await startTestInvoicing();
});
afterAll(async () => {
  await app?.close();
  await bank?.close();
});

describe('BgMax from the simulated bank', () => {
  it('payments at the bank reach both programs; 1930 for the day equals the camt.053 credits', async () => {
    const sandbox = (await call(bank.url, 'POST', '/sandboxes', { json: { bank: 'swedbank', start: '2026-03-16T08:00:00' } })).json as { sandboxId: string; apiKey: string };
    const c = await setupCollaboration(app.url, { paymentsRegisteredBy: 'bureau' });
    const customer = await call(app.url, 'POST', '/v1/customers', { key: c.companyApiKey, json: { name: 'Acme AB' } });
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) ids.push(String((await call(app.url, 'POST', '/v1/invoices', { key: c.companyApiKey, json: { customerId: customer.json['id'], invoiceDate: '2026-03-02', lines: [{ description: 'Konsult', quantity: 1, unitPriceOre: 80_000, vatRate: 25 }] } })).json['id']));
    const bureau = await BureauProgram.create({ log: new MemoryRecordLog<BureauRecord>(), baseUrl: app.url, apiKey: c.bureauApiKey, collaborationId: c.collaborationId });
    await bureau.sync();

    const pay = (amountOre: number, reference: string) => call(bank.url, 'POST', `/sandboxes/${sandbox.sandboxId}/incoming-payments`, { key: sandbox.apiKey, json: { amountOre, reference, payerName: 'Kund' } });
    for (const [n, amount] of [[1001, 100_000], [1002, 100_000], [1003, 100_000], [1004, 40_000], [1005, 130_000]] as const) expect((await pay(amount, generateOcr(String(n)))).status).toBe(201);
    expect((await pay(55_500, generateOcr('4711'))).status).toBe(201);
    await call(bank.url, 'POST', `/sandboxes/${sandbox.sandboxId}/clock/advance`, { key: sandbox.apiKey, json: { to: '2026-03-16T23:59:59' } });

    const files = await bgmaxFilesFromBank({ baseUrl: bank.url, bank: 'swedbank', apiKey: sandbox.apiKey });
    expect(files).toHaveLength(1);
    const read = await bureau.readBgMax(files[0]?.bytes ?? new Uint8Array());
    expect(read.booked).toHaveLength(5);
    expect(read.unmatched.map((u) => [u.reason, u.amountOre])).toEqual([['unknown-reference', 55_500]]);

    const invoices = (await call(app.url, 'GET', '/v1/invoices', { key: c.companyApiKey })).json.items ?? [];
    expect(invoices.map((i) => i['paidOre'] ?? 0)).toEqual([100_000, 100_000, 100_000, 40_000, 100_000, 0, 0, 0, 0, 0]);
    expect(bureau.trialBalance().find((r) => r.account === '2420')?.balanceOre).toBe(-30_000);

    const again = await bgmaxFilesFromBank({ baseUrl: bank.url, bank: 'swedbank', apiKey: sandbox.apiKey });
    expect((await bureau.readBgMax(again[0]?.bytes ?? new Uint8Array())).booked).toEqual([]);

    const conn = new BankConnection({ baseUrl: bank.url, bank: 'swedbank', apiKey: sandbox.apiKey });
    const statement = (await conn.reports()).reports.find((r) => r.type === 'camt.053');
    const parsed = parseAccountReport(await conn.downloadReport(statement?.reportId ?? ''));
    if (!parsed.ok) throw new Error('camt.053 did not parse');
    const credits = parsed.value.reports.flatMap((r) => r.entries).filter((e) => e.creditDebit === 'CRDT' && (e.bookingDate ?? '').startsWith('2026-03-16')).reduce((s, e) => s + e.amountOre, 0);
    const booked1930 = bureau.journal.vouchers.filter((v) => v.date === '2026-03-16').flatMap((v) => v.lines).filter((l) => l.account === '1930').reduce((s, l) => s + l.amountOre, 0);
    expect(credits).toBe(525_500);
    expect(booked1930).toBe(credits);
  });
});
