/**
 * Incoming payments both ways ("Bureau collaboration II", first part), over real HTTP:
 * - the bureau registers: a BgMax file (full, partial, over-payment, unknown OCR, TK22 extra
 *   reference, TK21 deduction) is matched, booked and pushed back, the invoicing program shows
 *   paid amounts; the same file again changes nothing; a file whose TK70 counts are wrong is
 *   refused whole; the unknown payment is assigned by hand; the customer's own attempt is refused;
 * - the customer registers: a payment in the invoicing program reaches the bureau through the
 *   feed and is booked once; the bureau's BgMax reading is refused naming the setting.
 * Expected figures are computed by hand.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryRecordLog } from '../../client/append-log.ts';
import { InvoicingApiError, InvoicingConnection } from '../../client/bureau/connection.ts';
import { BureauProgram, type BureauRecord } from '../../client/bureau/program.ts';
import { withBgMaxTotals, writeBgMax, type BgMaxPayment } from '../../formats/bankgirot/bgmax.ts';
import { generateOcr } from '../../formats/identifiers/ocr.ts';
import { call, setupCollaboration, startTestInvoicing, type Collab } from './support.ts';

type App = Awaited<ReturnType<typeof startTestInvoicing>>;
let app: App;
afterAll(async () => app?.close());
beforeAll(async () => {
  app = await startTestInvoicing();
});

function payment(reference: string, amountOre: number, serial: string, extra: Partial<BgMaxPayment> = {}): BgMaxPayment {
  return { senderBankgiro: '0000000000', reference, referenceAlignment: 'left', amountOre, referenceCode: '2', paymentChannel: '1', bgcSerialNumber: serial, imageFlag: '0', deduction: false, extraReferences: [], information: [], ...extra };
}

function bgmax(payments: BgMaxPayment[], options: { breakTrailer?: boolean } = {}): string {
  const file = withBgMaxTotals({
    version: '01', timestamp: '20260320101010123456', testMarker: 'T',
    sections: [{ payeeBankgiro: '9912346', payeePlusgiro: '', currency: 'SEK', payments, deposit: { payeeBankAccount: '5555555555', paymentDate: '2026-03-20', depositSerialNumber: '1', amountOre: 0, currency: 'SEK', paymentCount: 0, depositType: 'K' } }],
    trailer: { paymentCount: 0, deductionCount: 0, extraReferenceCount: 0, depositCount: 0 },
  });
  return writeBgMax(options.breakTrailer ? { ...file, trailer: { ...file.trailer, paymentCount: file.trailer.paymentCount + 1 } } : file);
}

async function sixInvoices(c: Collab): Promise<string[]> {
  const customer = await call(app.url, 'POST', '/v1/customers', { key: c.companyApiKey, json: { name: 'Acme AB' } });
  const ids: string[] = [];
  for (let i = 0; i < 6; i++) {
    const invoice = await call(app.url, 'POST', '/v1/invoices', { key: c.companyApiKey, json: { customerId: customer.json['id'], invoiceDate: '2026-03-02', lines: [{ description: 'Konsult', quantity: 1, unitPriceOre: 100_000, vatRate: 25 }] } });
    ids.push(String(invoice.json['id']));
  }
  return ids;
}

const balances = (b: BureauProgram) => Object.fromEntries(b.trialBalance().map((r) => [r.account, r.balanceOre]));

describe('incoming payments, the bureau registers (BgMax)', () => {
  let c: Collab;
  let ids: string[];
  let bureau: BureauProgram;
  let file: string;

  beforeAll(async () => {
    c = await setupCollaboration(app.url, { paymentsRegisteredBy: 'bureau' });
    ids = await sixInvoices(c);
    bureau = await BureauProgram.create({ log: new MemoryRecordLog<BureauRecord>(), baseUrl: app.url, apiKey: c.bureauApiKey, collaborationId: c.collaborationId });
    await bureau.sync();
    file = bgmax([
      payment(generateOcr('1001'), 125_000, '000000000001'), // full
      payment(generateOcr('1002'), 50_000, '000000000002'), // partial
      payment(generateOcr('1003'), 150_000, '000000000003'), // over by 250,00
      payment(generateOcr('9999'), 30_000, '000000000004', { name: 'Okänd Betalare' }), // unknown OCR
      payment(generateOcr('1004'), 250_000, '000000000005', { referenceCode: '3', extraReferences: [{ ...payment(generateOcr('1005'), 125_000, '000000000005'), negative: false }] }), // two invoices
      payment(generateOcr('1006'), 10_000, '000000000006', { deduction: true, deductionCode: '0' }), // deduction
    ]);
  });

  it('matches, books and pushes back; the invoicing program shows what is paid', async () => {
    const result = await bureau.readBgMax(file);
    expect(result.booked.map((p) => [p.invoiceId, p.appliedOre, p.unappliedOre])).toEqual([[ids[0], 125_000, 0], [ids[1], 50_000, 0], [ids[2], 125_000, 25_000], [ids[3], 125_000, 0], [ids[4], 125_000, 0]]);
    expect(result.unmatched.map((u) => [u.reason, u.amountOre])).toEqual([['unknown-reference', 30_000], ['deduction', -10_000]]);
    expect(result.pushed).toBe(5);
    // 6 × 1 250,00 invoiced; the day's deposit is 5 950,00 (6 050,00 less the 100,00 deduction).
    expect(balances(bureau)).toMatchObject({ '1930': 595_000, '1510': 200_000, '2420': -25_000, '2890': -20_000 });
    const invoices = (await call(app.url, 'GET', '/v1/invoices', { key: c.companyApiKey })).json.items ?? [];
    expect(invoices.map((i) => i['paidOre'] ?? 0)).toEqual([125_000, 50_000, 125_000, 125_000, 125_000, 0]);
    expect(bureau.openOre(bureau.invoices.get(ids[1] ?? '') ?? (undefined as never))).toBe(75_000);
  });

  it('the same file again books nothing; the feed echo books nothing either', async () => {
    const before = bureau.journal.vouchers.length;
    const again = await bureau.readBgMax(file);
    expect(again).toMatchObject({ booked: [], unmatched: [], alreadyRead: 7 });
    await bureau.sync();
    expect(bureau.journal.vouchers.length).toBe(before);
    expect(bureau.payments.size).toBe(5);
  });

  it('a file whose TK70 counts are wrong is refused whole, with the record', async () => {
    const before = JSON.stringify(balances(bureau));
    await expect(bureau.readBgMax(bgmax([payment(generateOcr('1006'), 1_000, '000000000099')], { breakTrailer: true }))).rejects.toThrow(/refused, nothing booked: line 5: TK70 paymentCount is 2, the file holds 1 TK20 payment record\(s\) \(line 3\)/);
    expect(JSON.stringify(balances(bureau))).toBe(before);
  });

  it('the unknown payment is assigned by hand; the deduction waits for a person', async () => {
    const unknown = bureau.unmatched().find((u) => u.reason === 'unknown-reference');
    await bureau.assign(unknown?.identity ?? '', ids[5] ?? '');
    expect(balances(bureau)).toMatchObject({ '1510': 170_000, '2890': 10_000 });
    expect(bureau.unmatched().map((u) => u.reason)).toEqual(['deduction']);
    await expect(bureau.assign(bureau.unmatched()[0]?.identity ?? '', { customerId: bureau.invoices.get(ids[5] ?? '')?.customerId ?? '' })).rejects.toThrow(/deduction \(TK21, code 0\) of 100,00 kr, money taken off/);
    const invoice = (await call(app.url, 'GET', `/v1/invoices/${ids[5]}`, { key: c.companyApiKey })).json;
    expect(invoice['paidOre']).toBe(30_000);
  });

  it("the customer's own registration is refused, naming the setting", async () => {
    const refused = await call(app.url, 'POST', `/v1/invoices/${ids[5]}/payments`, { key: c.companyApiKey, json: { amountOre: 1_000, date: '2026-03-21' } });
    expect(refused.json).toMatchObject({ status: 409, code: 'PAYMENTS_REGISTERED_BY_OTHER_SIDE' });
    expect(String(refused.json['detail'])).toContain('who registers incoming payments');
  });
});

describe('a payment assigned to a customer, its credit applied later; deductions set off against a credit invoice or the invoice they reduce', () => {
  it('both programs show the same open amounts and unapplied credit at each step; 2420 and 2890 end at zero', async () => {
    const c = await setupCollaboration(app.url, { paymentsRegisteredBy: 'bureau' });
    const companyId = String((c as Collab & { companyId?: string }).companyId);
    const ids = await sixInvoices(c);
    const bureau = await BureauProgram.create({ log: new MemoryRecordLog<BureauRecord>(), baseUrl: app.url, apiKey: c.bureauApiKey, collaborationId: c.collaborationId });
    await bureau.sync();
    const customerId = bureau.invoices.get(ids[0] ?? '')?.customerId ?? '';
    const agree = async () => {
      await bureau.sync();
      const invoicing = [...bureau.invoices.values()].map((i) => app.service.openOre(companyId, app.service.get(companyId, 'invoice', i.id) as never));
      expect(invoicing).toEqual([...bureau.invoices.values()].map((i) => bureau.openOre(i)));
      const payments = (await call(app.url, 'GET', '/v1/payments?limit=500', { key: c.companyApiKey })).json.items ?? [];
      expect(payments.filter((p) => p['customerId'] === customerId).reduce((n, p) => n + Number(p['unappliedOre']), 0)).toBe(bureau.customerCreditOre(customerId));
      return invoicing;
    };

    // 1001 and 1002 paid; 300,00 with an unknown OCR from this customer.
    await bureau.readBgMax(bgmax([payment(generateOcr('1001'), 125_000, '000000000001'), payment(generateOcr('1002'), 125_000, '000000000002'), payment(generateOcr('9999'), 30_000, '000000000003', { name: 'Acme AB' })]));
    const unknown = bureau.unmatched()[0]?.identity ?? '';
    const credit = await bureau.assign(unknown, { customerId });
    expect(credit).toMatchObject({ customerId, appliedOre: 0, unappliedOre: 30_000 });
    expect(balances(bureau)).toMatchObject({ '1930': 280_000, '1510': 500_000, '2420': -30_000, '2890': 0 });
    expect(bureau.customerCreditOre(customerId)).toBe(30_000);
    await agree();

    // The customer's credit applied to 1003.
    await bureau.applyCredit(customerId, ids[2] ?? '', '2026-03-21');
    expect(balances(bureau)).toMatchObject({ '1510': 470_000, '2420': 0 });
    expect((await agree())[2]).toBe(95_000);
    await expect(bureau.applyCredit(customerId, ids[3] ?? '', '2026-03-21')).rejects.toThrow(/has no unapplied credit/);

    // 1002 (paid) is credited in full: the credit invoice 1007 is what the customer is owed back.
    const creditInvoice = String((await call(app.url, 'POST', `/v1/invoices/${ids[1]}/credit`, { key: c.companyApiKey, json: { invoiceDate: '2026-03-22' } })).json['id']);
    expect((await agree()).slice(1, 2)).toEqual([0]);
    expect(bureau.openOre(bureau.invoices.get(creditInvoice) ?? (undefined as never))).toBe(-125_000);

    // The payer sets the credit note off: a TK21 of 1 000,00 and a TK23 of 250,00 naming 1007; and 50,00 taken off 1004.
    await bureau.readBgMax(bgmax([
      payment(generateOcr('1004'), 125_000, '000000000011'),
      payment(generateOcr('1005'), 125_000, '000000000012'),
      payment(generateOcr('1007'), 100_000, '000000000013', { deduction: true, deductionCode: '1' }),
      payment(generateOcr('1004'), 5_000, '000000000014', { deduction: true, deductionCode: '0' }),
      payment(generateOcr('1006'), 100_000, '000000000015', { referenceCode: '3', extraReferences: [{ ...payment(generateOcr('1007'), 25_000, '000000000015'), negative: true }] }),
    ]));
    expect(balances(bureau)).toMatchObject({ '1930': 525_000, '1510': -30_000, '2890': 130_000 });
    const held = (amount: number) => bureau.unmatched().find((u) => u.amountOre === amount)?.identity ?? '';
    await expect(bureau.assign(held(-100_000), { customerId })).rejects.toThrow(/money taken off, not money of the customer's/);
    await expect(bureau.assign(held(-100_000), ids[1] ?? '')).rejects.toThrow(/invoice 1002 is credited: settle the deduction against its credit invoice/);
    await expect(bureau.assign(held(-100_000), ids[2] ?? '')).rejects.toThrow(/more than invoice 1003 can take \(300,00 kr\)/);
    await bureau.assign(held(-100_000), creditInvoice);
    expect(bureau.openOre(bureau.invoices.get(creditInvoice) ?? (undefined as never))).toBe(-25_000);
    await bureau.assign(held(-25_000), creditInvoice);
    await bureau.assign(held(-5_000), ids[3] ?? '');
    expect(bureau.unmatched()).toEqual([]);
    // 1003 has 950,00 open, 1004 50,00; the credit invoice is settled; 1510 holds exactly that.
    expect(await agree()).toEqual([0, 0, 95_000, 5_000, 0, 0, 0]);
    expect(balances(bureau)).toMatchObject({ '1930': 525_000, '1510': 100_000, '2420': 0, '2890': 0 });
    const shown = (await call(app.url, 'GET', `/v1/invoices/${creditInvoice}`, { key: c.companyApiKey })).json;
    expect(shown['paidOre']).toBe(-125_000);
  });
});

describe('incoming payments, the customer registers', () => {
  it('a payment in the invoicing program is booked by the bureau once; the bureau may not register', async () => {
    const c = await setupCollaboration(app.url);
    const ids = await sixInvoices(c);
    const paid = await call(app.url, 'POST', `/v1/invoices/${ids[0]}/payments`, { key: c.companyApiKey, json: { amountOre: 125_000, date: '2026-03-10' }, idempotencyKey: 'pay-1' });
    expect(paid.json).toMatchObject({ registeredBy: 'customer', appliedOre: 125_000, unappliedOre: 0 });
    const retry = await call(app.url, 'POST', `/v1/invoices/${ids[0]}/payments`, { key: c.companyApiKey, json: { amountOre: 125_000, date: '2026-03-10' }, idempotencyKey: 'pay-1' });
    expect(retry.json['id']).toBe(paid.json['id']);
    await call(app.url, 'POST', `/v1/invoices/${ids[1]}/payments`, { key: c.companyApiKey, json: { amountOre: 200_000, date: '2026-03-11' } });
    const bureau = await BureauProgram.create({ log: new MemoryRecordLog<BureauRecord>(), baseUrl: app.url, apiKey: c.bureauApiKey, collaborationId: c.collaborationId });
    await bureau.sync({ pageSize: 3 });
    expect(balances(bureau)).toMatchObject({ '1930': 325_000, '1510': 750_000 - 250_000, '2420': -75_000 });
    expect((await bureau.sync()).vouchers).toBe(0);
    expect((await bureau.dunning('2026-04-15')).reminders.map((r) => r.invoiceNumber)).toEqual([1003, 1004, 1005, 1006]);
    await expect(bureau.readBgMax(bgmax([payment(generateOcr('1003'), 1_000, '000000000001')]))).rejects.toThrow(/customer registers incoming payments.*who registers incoming payments/);
    const conn = new InvoicingConnection({ baseUrl: app.url, apiKey: c.bureauApiKey, collaborationId: c.collaborationId });
    const refused = await conn.postPayment({ identity: 'bgmax:x:2026-03-20:1', invoiceId: ids[2] ?? '', amountOre: 1_000, date: '2026-03-20' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(InvoicingApiError);
    expect((refused as InvoicingApiError).code).toBe('PAYMENTS_REGISTERED_BY_OTHER_SIDE');
  });
});
