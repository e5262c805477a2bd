/**
 * The end-to-end flow with the simulated bank on a real port and the invoicing service
 * on another: 10 invoices → synced → 7 customers pay the company's bankgiro at the bank (two in
 * full, one partial, one over-payment, one unknown OCR, one paying two invoices with a TK22
 * extra reference, one deduction with the payer's name, address, organisation number and an
 * information text) → the bank's end-of-day BgMax → the bureau reads it from the reports
 * mailbox, books, pushes back → the invoicing program shows paid / partly paid / open and the
 * same open amounts as the bureau; the unknown payment is resolved by hand; the deduction waits
 * for a person; reading the mailbox again changes nothing; 1930 for the day equals what the
 * bank's camt.053 moved the account by that day. Then the same flow with the customer
 * registering: the bank's file is refused naming the setting, the customer's registrations
 * reach the bureau through the feed. Expected figures are computed by hand.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryRecordLog } from '../../client/append-log.ts';
import { bgmaxFilesFromBank } from '../../client/bureau/bank-bgmax.ts';
import { BureauProgram, type BureauRecord } from '../../client/bureau/program.ts';
import { BankConnection } from '../../client/bank/connection.ts';
import { parseBgMax } from '../../formats/bankgirot/bgmax.ts';
import { parseAccountReport } from '../../formats/camt/report-parse.ts';
import { generateOcr } from '../../formats/identifiers/ocr.ts';
import { createRandom } from '../../formats/random.ts';
import { startSimulator, type Simulator } from '../../simulator/app.ts';
import { call, setupCollaboration, startTestInvoicing, type Collab } from './support.ts';

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

const DAY = '2026-03-16';

async function sandboxAndInvoices(paymentsRegisteredBy: 'bureau' | 'customer'): Promise<{ sandbox: { sandboxId: string; apiKey: string }; c: Collab; ids: string[]; bureau: BureauProgram }> {
  const sandbox = (await call(bank.url, 'POST', '/sandboxes', { json: { bank: 'swedbank', start: `${DAY}T08:00:00` } })).json as { sandboxId: string; apiKey: string };
  const c = await setupCollaboration(app.url, { paymentsRegisteredBy });
  const customer = await call(app.url, 'POST', '/v1/customers', { key: c.companyApiKey, json: { name: 'Acme AB' } });
  const ids: string[] = [];
  // 10 invoices, 1001–1010, of 1 000,00 each (800,00 + 25 % VAT).
  for (let i = 0; i < 10; i++) ids.push(String((await call(app.url, 'POST', '/v1/invoices', { key: c.companyApiKey, json: { customerId: customer.json['id'], invoiceDate: '2026-03-02', lines: [{ description: 'Konsult', quantity: 1, unitPriceOre: 80_000, vatRate: 25 }] } })).json['id']));
  const bureau = await BureauProgram.create({ log: new MemoryRecordLog<BureauRecord>(), baseUrl: app.url, apiKey: c.bureauApiKey, collaborationId: c.collaborationId });
  await bureau.sync();
  return { sandbox, c, ids, bureau };
}

function bankPays(sandbox: { sandboxId: string; apiKey: string }) {
  return async (json: Record<string, unknown>) => {
    const answer = await call(bank.url, 'POST', `/sandboxes/${sandbox.sandboxId}/incoming-payments`, { key: sandbox.apiKey, json: { payerName: 'Kund', ...json } });
    expect(answer.status, JSON.stringify(answer.json)).toBe(201);
  };
}

const ocr = (n: number) => generateOcr(String(n));
const balances = (b: BureauProgram) => Object.fromEntries(b.trialBalance().map((r) => [r.account, r.balanceOre]));

async function invoicingView(c: Collab): Promise<{ paid: number[]; open: number[] }> {
  const items = (await call(app.url, 'GET', '/v1/invoices', { key: c.companyApiKey })).json.items ?? [];
  return { paid: items.map((i) => Number(i['paidOre'] ?? 0)), open: items.map((i) => Number(i['totalOre']) - Number(i['paidOre'] ?? 0)) };
}

describe('BgMax from the simulated bank, the bureau registers', () => {
  it('every case arrives in the real end-of-day file; both programs agree; 1930 for the day equals the camt.053', async () => {
    const { sandbox, c, ids, bureau } = await sandboxAndInvoices('bureau');
    const pay = bankPays(sandbox);
    await pay({ amountOre: 100_000, reference: ocr(1001) }); // full
    await pay({ amountOre: 100_000, reference: ocr(1002) }); // full
    await pay({ amountOre: 40_000, reference: ocr(1003) }); // partial
    await pay({ amountOre: 130_000, reference: ocr(1004) }); // over by 300,00
    await pay({ amountOre: 200_000, reference: ocr(1005), extraReferences: [{ reference: ocr(1006), amountOre: 100_000 }] }); // two invoices, TK22
    await pay({ amountOre: 55_500, reference: ocr(4711) }); // unknown OCR
    await pay({ // a deduction: the payer takes 200,00 off the deposit
      amountOre: 20_000, reference: ocr(1008), deductionCode: '0', payerName: 'Berits Garn', information: ['Avdrag enligt kreditnota 17'],
      payerAddress: { street: 'Storgatan 10', postCode: '12345', town: 'Storåker' }, payerOrganisationNumber: '550000-2222',
    });
    await call(bank.url, 'POST', `/sandboxes/${sandbox.sandboxId}/clock/advance`, { key: sandbox.apiKey, json: { to: `${DAY}T23:59:59` } });

    const files = await bgmaxFilesFromBank({ baseUrl: bank.url, bank: 'swedbank', apiKey: sandbox.apiKey });
    expect(files).toHaveLength(1);
    const bytes = files[0]?.bytes ?? new Uint8Array();
    const records = Buffer.from(bytes).toString('latin1').split('\r\n').map((r) => r.slice(0, 2));
    expect(records.filter((r) => ['20', '21', '22'].includes(r))).toEqual(['20', '20', '20', '20', '20', '22', '20', '21']);
    expect(parseBgMax(bytes).value?.sections[0]?.deposit?.amountOre).toBe(605_500);

    const read = await bureau.readBgMax(bytes);
    expect(read.booked.map((p) => [p.invoiceId, p.appliedOre, p.unappliedOre])).toEqual([
      [ids[0], 100_000, 0], [ids[1], 100_000, 0], [ids[2], 40_000, 0], [ids[3], 100_000, 30_000], [ids[4], 100_000, 0], [ids[5], 100_000, 0],
    ]);
    expect(read.unmatched.map((u) => [u.reason, u.amountOre, u.payerName, u.deductionCode])).toEqual([['unknown-reference', 55_500, 'Kund', undefined], ['deduction', -20_000, 'Berits Garn', '0']]);
    expect(read.pushed).toBe(6);

    const shown = await invoicingView(c);
    expect(shown.paid).toEqual([100_000, 100_000, 40_000, 100_000, 100_000, 100_000, 0, 0, 0, 0]);
    expect(shown.open).toEqual(ids.map((id) => bureau.openOre(bureau.invoices.get(id) ?? (undefined as never))));
    // 10 000,00 invoiced, 5 400,00 applied; 300,00 advance; 555,00 unidentified less the 200,00 deduction held.
    expect(balances(bureau)).toMatchObject({ '1930': 605_500, '1510': 460_000, '2420': -30_000, '2890': -35_500 });

    // A person resolves the unknown payment; the deduction cannot reduce an unpaid invoice (nothing was paid on it).
    const unknown = bureau.unmatched().find((u) => u.reason === 'unknown-reference');
    await bureau.assign(unknown?.identity ?? '', ids[6] ?? '');
    expect((await invoicingView(c)).paid[6]).toBe(55_500);
    const deduction = bureau.unmatched().find((u) => u.reason === 'deduction');
    await expect(bureau.assign(deduction?.identity ?? '', ids[7] ?? '')).rejects.toThrow(/deduction \(TK21, code 0\): nothing is paid on invoice 1008/);
    expect(bureau.unmatched().map((u) => u.reason)).toEqual(['deduction']);
    expect(balances(bureau)).toMatchObject({ '1510': 404_500, '2890': 20_000 });

    // The mailbox read again: nothing new anywhere.
    const vouchers = bureau.journal.vouchers.length;
    const again = await bureau.readBgMax((await bgmaxFilesFromBank({ baseUrl: bank.url, bank: 'swedbank', apiKey: sandbox.apiKey }))[0]?.bytes ?? new Uint8Array());
    expect(again).toMatchObject({ booked: [], unmatched: [], alreadyRead: 8 });
    await bureau.sync();
    expect(bureau.journal.vouchers.length).toBe(vouchers);
    expect((await call(app.url, 'GET', '/v1/payments?limit=500', { key: c.companyApiKey })).json.items).toHaveLength(7);
    expect((await invoicingView(c)).open).toEqual(ids.map((id) => bureau.openOre(bureau.invoices.get(id) ?? (undefined as never))));

    // The camt.053 of the day: its credits less the deduction's debit is what 1930 got.
    const conn = new BankConnection({ baseUrl: bank.url, bank: 'swedbank', apiKey: sandbox.apiKey });
    const statement = (await conn.reports()).reports.find((r) => r.type === 'camt.053');
    const parsed = parseAccountReport(await conn.downloadReport(statement?.reportId ?? ''));
    if (!parsed.ok) throw new Error('camt.053 did not parse');
    const entries = parsed.value.reports.flatMap((r) => r.entries).filter((e) => (e.bookingDate ?? '').startsWith(DAY));
    const credits = entries.filter((e) => e.creditDebit === 'CRDT').reduce((s, e) => s + e.amountOre, 0);
    const debits = entries.filter((e) => e.creditDebit === 'DBIT').reduce((s, e) => s + e.amountOre, 0);
    const booked1930 = bureau.journal.vouchers.filter((v) => v.date === DAY).flatMap((v) => v.lines).filter((l) => l.account === '1930').reduce((s, l) => s + l.amountOre, 0);
    expect([credits, debits]).toEqual([625_500, 20_000]);
    expect(booked1930).toBe(credits - debits);
  });
});

describe('BgMax from the simulated bank, the customer registers', () => {
  it("the bank's file is refused naming the setting; the customer's registrations are booked once; the bureau's push is refused", async () => {
    const { sandbox, c, ids, bureau } = await sandboxAndInvoices('customer');
    const pay = bankPays(sandbox);
    await pay({ amountOre: 100_000, reference: ocr(1001) });
    await pay({ amountOre: 40_000, reference: ocr(1002) });
    await call(bank.url, 'POST', `/sandboxes/${sandbox.sandboxId}/clock/advance`, { key: sandbox.apiKey, json: { to: `${DAY}T23:59:59` } });
    const files = await bgmaxFilesFromBank({ baseUrl: bank.url, bank: 'swedbank', apiKey: sandbox.apiKey });
    await expect(bureau.readBgMax(files[0]?.bytes ?? new Uint8Array())).rejects.toThrow(/customer registers incoming payments.*who registers incoming payments/);
    expect(bureau.journal.vouchers.filter((v) => v.series === 'I')).toEqual([]);

    // The customer sees the same payments in its own bank and registers them in the invoicing program.
    await call(app.url, 'POST', `/v1/invoices/${ids[0]}/payments`, { key: c.companyApiKey, json: { amountOre: 100_000, date: DAY } });
    await call(app.url, 'POST', `/v1/invoices/${ids[1]}/payments`, { key: c.companyApiKey, json: { amountOre: 40_000, date: DAY } });
    await bureau.sync();
    await bureau.sync();
    expect(balances(bureau)).toMatchObject({ '1930': 140_000, '1510': 860_000 });
    expect((await invoicingView(c)).open).toEqual(ids.map((id) => bureau.openOre(bureau.invoices.get(id) ?? (undefined as never))));
    const refused = await call(app.url, 'POST', `/v1/collaborations/${c.collaborationId}/payments`, { key: c.bureauApiKey, json: { identity: `bgmax:9912346:${DAY}:1`, invoiceId: ids[2], amountOre: 1_000, date: DAY } });
    expect(refused.json).toMatchObject({ code: 'PAYMENTS_REGISTERED_BY_OTHER_SIDE' });
    expect(String(refused.json['detail'])).toContain('who registers incoming payments');
  });
});
