/**
 * End to end over real HTTP: the customer invoices in the invoicing program (numbering from
 * 1001, mixed VAT, öresavrundning, one credit invoice), the bureau syncs and books, and the
 * trial balance and the VAT report are right to the öre (figures computed by hand, not by
 * sandbank's own code). Then: a second sync changes nothing; a bureau-side edit of master data
 * is refused; a scanned document becomes a voucher whose status shows on the customer's side;
 * notes go both ways with unread state; dunning follows the clock.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileRecordLog } from '../../client/append-log.ts';
import { BureauError, BureauProgram, type BureauRecord } from '../../client/bureau/program.ts';
import { call, setupCollaboration, startTestInvoicing, tempDir, type Collab } from './support.ts';

type App = Awaited<ReturnType<typeof startTestInvoicing>>;
let app: App;
let collab: Collab;
let bureau: BureauProgram;
const bureauDir = tempDir('bureau');
const ids: Record<string, string> = {};

async function post(path: string, json: unknown): Promise<Record<string, unknown>> {
  const answer = await call(app.url, 'POST', path, { key: collab.companyApiKey, json });
  if (answer.status !== 201) throw new Error(`${path}: ${answer.status} ${JSON.stringify(answer.json)}`);
  return answer.json;
}

beforeAll(async () => {
  app = await startTestInvoicing();
  collab = await setupCollaboration(app.url, { roundToWholeKronor: true });
  ids['c1'] = String((await post('/v1/customers', { name: 'Acme AB', organisationNumber: '556000-0001' }))['id']);
  ids['c2'] = String((await post('/v1/customers', { name: 'Beta HB', paymentTermsDays: 10 }))['id']);
  ids['A1'] = String((await post('/v1/articles', { name: 'Konsulttimme', unitPriceOre: 95_000, vatRate: 25 }))['id']);
  ids['A2'] = String((await post('/v1/articles', { name: 'Livsmedel', unitPriceOre: 12_990, vatRate: 12 }))['id']);
  ids['A3'] = String((await post('/v1/articles', { name: 'Bok', unitPriceOre: 24_900, vatRate: 6 }))['id']);
  ids['A4'] = String((await post('/v1/articles', { name: 'Porto', unitPriceOre: 1_250, vatRate: 0 }))['id']);
  const line = (q: number, a: string) => ({ articleId: ids[a], quantity: q });
  const invoices: [string, unknown[]][] = [
    ['c1', [line(2, 'A1')]],
    ['c2', [line(3, 'A2')]],
    ['c1', [line(1, 'A3')]],
    ['c1', [line(1, 'A1'), line(1, 'A2'), line(1, 'A3'), line(1, 'A4')]],
    ['c2', [line(5, 'A4')]],
    ['c1', [{ description: 'Resa', quantity: 1, unitPriceOre: 33_333, vatRate: 25 }]],
    ['c2', [line(2, 'A3')]],
    ['c1', [line(4, 'A2')]],
    ['c2', [line(1, 'A1')]],
  ];
  for (const [i, [customer, lines]] of invoices.entries()) ids[`inv${1001 + i}`] = String((await post('/v1/invoices', { customerId: ids[customer], invoiceDate: '2026-03-02', lines }))['id']);
  ids['inv1010'] = String((await post(`/v1/invoices/${ids['inv1004']}/credit`, { invoiceDate: '2026-03-05' }))['id']);
  bureau = await BureauProgram.create({ log: new FileRecordLog<BureauRecord>(join(bureauDir, 'bureau.log')), baseUrl: app.url, apiKey: collab.bureauApiKey, collaborationId: collab.collaborationId });
});

afterAll(async () => {
  await bureau?.close();
  await app?.close();
});

describe('bureau collaboration over HTTP', () => {
  it('numbers invoices from 1001 with OCR references, VAT per rate and öresavrundning', async () => {
    const list = await call(app.url, 'GET', '/v1/invoices?limit=100', { key: collab.companyApiKey });
    const items = list.json.items ?? [];
    expect(items.map((i) => i['number'])).toEqual([1001, 1002, 1003, 1004, 1005, 1006, 1007, 1008, 1009, 1010]);
    expect(items[0]).toMatchObject({ ocr: '100164', totalOre: 237_500 });
    expect(items[1]).toMatchObject({ totalOre: 43_600, roundingOre: -46 });
    expect(items[3]).toMatchObject({ totalOre: 160_900, roundingOre: -43, vatOre: 26_803 });
    expect(items[9]).toMatchObject({ kind: 'credit', creditOf: 1004, totalOre: -160_900, roundingOre: 43 });
    expect((await call(app.url, 'GET', '/v1/settings', { key: collab.companyApiKey })).json['nextInvoiceNumber']).toBe(1011);
  });

  it('syncs and books: trial balance and VAT report right to the öre', async () => {
    const progress: number[] = [];
    const result = await bureau.sync({ pageSize: 7, onProgress: (p) => progress.push(p.done) });
    expect(result).toMatchObject({ applied: 16, skipped: 0, vouchers: 10, relisted: false });
    expect(result.pages).toBe(3);
    expect(progress).toEqual([7, 14, 16]);
    const balances = Object.fromEntries(bureau.trialBalance().map((r) => [r.account, r.balanceOre]));
    expect(balances).toEqual({ '1510': 585_300, '2611': -79_583, '2621': -10_911, '2631': -4_482, '3001': -318_333, '3002': -90_930, '3003': -74_700, '3004': -6_250, '3740': -111 });
    expect(bureau.vatReport('2026-03-01', '2026-03-31')).toMatchObject({
      box05TaxableSalesOre: 483_963, box10OutputVat25Ore: 79_583, box11OutputVat12Ore: 10_911, box12OutputVat6Ore: 4_482, box42ExemptSalesOre: 6_250, box48InputVatOre: 0, box49VatToPayOre: 94_976,
    });
    // The credit invoice is the mirror of 1004's voucher.
    const v1004 = bureau.journal.vouchers.find((v) => v.source === `customer-invoice:${ids['inv1004']}`);
    const v1010 = bureau.journal.vouchers.find((v) => v.source === `customer-invoice:${ids['inv1010']}`);
    expect(v1010?.lines).toEqual(v1004?.lines.map((l) => ({ account: l.account, amountOre: -l.amountOre })));
  });

  it('a second sync changes nothing', async () => {
    const before = JSON.stringify(bureau.journal.vouchers);
    const result = await bureau.sync();
    expect(result).toMatchObject({ applied: 0, vouchers: 0, pages: 1 });
    expect(JSON.stringify(bureau.journal.vouchers)).toBe(before);
  });

  it('refuses a bureau-side edit of a customer, naming the invoicing program', () => {
    expect(() => bureau.editCustomer(ids['c1'] ?? '', { name: 'Acme Sverige AB' })).toThrow(BureauError);
    expect(() => bureau.editCustomer(ids['c1'] ?? '', { name: 'x' })).toThrow(/customer Acme AB is kept in the customer's invoicing program/);
    expect(() => bureau.editInvoice(ids['inv1001'] ?? '', {})).toThrow(/invoicing program/);
  });

  it('a customer edit in the invoicing program reaches the bureau', async () => {
    const stale = await call(app.url, 'PUT', `/v1/customers/${ids['c1']}`, { key: collab.companyApiKey, json: { name: 'Acme Sverige AB' }, headers: { 'if-match': '"1"' } });
    expect(stale.status).toBe(200);
    await bureau.sync();
    expect(bureau.customers.get(ids['c1'] ?? '')).toMatchObject({ name: 'Acme Sverige AB', version: 2 });
  });

  it('a scanned document with a comment becomes a voucher; its status shows on the customer side', async () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex');
    const doc = await post('/v1/documents', { kind: 'supplier-invoice', fileName: 'kontorsmaterial.png', contentType: 'image/png', contentBase64: png.toString('base64'), comment: 'Pennor och papper, betald med faktura' });
    await bureau.sync();
    const seen = bureau.documents.get(String(doc['id']));
    expect(seen).toMatchObject({ comment: 'Pennor och papper, betald med faktura', status: 'new' });
    expect((await bureau.documentContent(String(doc['id']))).bytes.equals(png)).toBe(true);
    const registered = await bureau.registerDocument(String(doc['id']), { date: '2026-03-06', totalOre: 125_000, vatOre: 25_000, costAccount: '5460' });
    expect(registered.reference).toBe('A 1');
    expect(registered.voucher.lines).toEqual([{ account: '5460', amountOre: 100_000 }, { account: '2641', amountOre: 25_000 }, { account: '2440', amountOre: -125_000 }]);
    const customerSide = await call(app.url, 'GET', `/v1/documents/${doc['id']}`, { key: collab.companyApiKey });
    expect(customerSide.json).toMatchObject({ status: 'registered', voucher: 'A 1', statusText: 'registered as voucher A 1', version: 2 });
    const notes = await call(app.url, 'GET', '/v1/notes', { key: collab.companyApiKey });
    expect(notes.json.items).toContainEqual(expect.objectContaining({ author: 'bureau', kind: 'notification', text: 'document kontorsmaterial.png registered as voucher A 1', readByCustomer: false }));
    expect(bureau.vatReport('2026-03-01', '2026-03-31').box48InputVatOre).toBe(25_000);
  });

  it('notes go both ways with unread state on each side', async () => {
    const note = await post('/v1/notes', { text: 'Kvittot från Clas Ohlson kommer i morgon' });
    await bureau.sync();
    const mine = bureau.listNotes().find((n) => n.id === note['id']);
    expect(mine).toMatchObject({ author: 'customer', readByBureau: false });
    const unread = bureau.unreadCount();
    await bureau.markRead([String(note['id'])]);
    expect(bureau.unreadCount()).toBe(unread - 1);
    expect(await bureau.addNote('Tack, vi bokför det när det kommer')).toEqual({ pushed: true });
    const customerNotes = (await call(app.url, 'GET', '/v1/notes', { key: collab.companyApiKey })).json.items ?? [];
    const fromBureau = customerNotes.find((n) => n['text'] === 'Tack, vi bokför det när det kommer');
    expect(fromBureau).toMatchObject({ readByCustomer: false });
    const read = await call(app.url, 'POST', `/v1/notes/${fromBureau?.['id']}/read`, { key: collab.companyApiKey });
    expect(read.json).toMatchObject({ readByCustomer: true });
  });

  it('dunning with the clock: overdue open invoices reminded once per interval, credited ones never', async () => {
    await bureau.sync();
    expect((await bureau.dunning('2026-03-20')).reminders.map((r) => r.invoiceNumber)).toEqual([1002, 1005, 1007, 1009]); // Beta HB: 10 days' terms
    expect((await bureau.dunning('2026-03-20')).reminders).toEqual([]);
    const later = await bureau.dunning('2026-04-05');
    expect(later.reminders.map((r) => `${r.invoiceNumber}/${r.level}`)).toEqual(['1001/1', '1002/2', '1003/1', '1005/2', '1006/1', '1007/2', '1008/1', '1009/2']);
    const notes = (await call(app.url, 'GET', '/v1/notes?limit=500', { key: collab.companyApiKey })).json.items ?? [];
    expect(notes.filter((n) => String(n['text']).startsWith('invoice 1005 reminded'))).toHaveLength(2);
    expect(notes.some((n) => String(n['text']).startsWith('invoice 1004 reminded'))).toBe(false);
  });

  it('a restarted bureau program has everything from its log and syncs nothing new', async () => {
    expect((await bureau.sync()).applied).toBe(12); // its own 12 reminder notifications, back through the feed
    const view = JSON.stringify(bureau.view());
    const trial = JSON.stringify(bureau.trialBalance());
    await bureau.close();
    bureau = await BureauProgram.open({ log: new FileRecordLog<BureauRecord>(join(bureauDir, 'bureau.log')) });
    expect(JSON.stringify(bureau.view())).toBe(view);
    expect(JSON.stringify(bureau.trialBalance())).toBe(trial);
    expect((await bureau.sync()).applied).toBe(0);
  });
});
