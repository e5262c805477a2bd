/**
 * Property: for random invoice sets (some credited) and random BgMax files (one or two
 * deposits; payments in full, partial, over, to unknown or malformed references, with TK22 and
 * TK23 parts that may even name more than was paid, TK21 deductions), reading the file, then
 * assigning some of what waits to random invoices, conserves money:
 * - 1930 holds exactly what the file's TK15 deposits say arrived, and
 *   applied (off 1510) + advances (2420) + held (2890) = that same sum;
 * - on every invoice, in both programs, paid + open = invoiced, and both programs show the same
 *   paid amount and the same unapplied credit;
 * - reading the file again changes nothing.
 * The seed is printed; SANDBANK_SEED=<seed> replays it.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryRecordLog } from '../../client/append-log.ts';
import { BureauProgram, type BureauRecord } from '../../client/bureau/program.ts';
import { fixedClock, seededKeys, startInvoicing, type InvoicingApp } from '../../client/invoicing/app.ts';
import type { Invoice, Payment } from '../../client/invoicing/model.ts';
import { MemoryInvoicingStore } from '../../client/invoicing/store.ts';
import { withBgMaxTotals, writeBgMax, type BgMaxPayment, type BgMaxSection } from '../../formats/bankgirot/bgmax.ts';
import { generateOcr } from '../../formats/identifiers/ocr.ts';

type Ref = { t: 'invoice'; pick: number } | { t: 'unknown'; n: number } | { t: 'malformed' };
interface PaymentSpec { ref: Ref; amountOre: number; extras: { ref: Ref; amountOre: number; negative: boolean }[]; deduction: boolean }
interface Case { invoices: { qty: number; priceOre: number }[]; credits: number[]; sections: PaymentSpec[][]; assigns: { pick: number; invoice: number }[] }

const ref: fc.Arbitrary<Ref> = fc.oneof(
  { weight: 6, arbitrary: fc.nat(20).map((pick) => ({ t: 'invoice' as const, pick })) },
  { weight: 1, arbitrary: fc.integer({ min: 9000, max: 9999 }).map((n) => ({ t: 'unknown' as const, n })) },
  { weight: 1, arbitrary: fc.constant({ t: 'malformed' as const }) },
);
const payment: fc.Arbitrary<PaymentSpec> = fc.record({
  ref,
  amountOre: fc.integer({ min: 1, max: 400_000 }),
  extras: fc.oneof({ weight: 3, arbitrary: fc.constant<PaymentSpec['extras']>([]) }, { weight: 1, arbitrary: fc.array(fc.record({ ref, amountOre: fc.integer({ min: 0, max: 150_000 }), negative: fc.boolean() }), { minLength: 1, maxLength: 3 }) }),
  deduction: fc.oneof({ weight: 6, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
});
const testCase: fc.Arbitrary<Case> = fc.record({
  invoices: fc.array(fc.record({ qty: fc.integer({ min: 1, max: 3 }), priceOre: fc.integer({ min: 100, max: 200_000 }) }), { minLength: 1, maxLength: 8 }),
  credits: fc.array(fc.nat(20), { maxLength: 2 }),
  sections: fc.array(fc.array(payment, { minLength: 1, maxLength: 10 }), { minLength: 1, maxLength: 2 }),
  assigns: fc.array(fc.record({ pick: fc.nat(20), invoice: fc.nat(20) }), { maxLength: 3 }),
});

const seed = Number(process.env['SANDBANK_SEED'] ?? Math.floor(Math.random() * 2 ** 31));
let app: InvoicingApp;
beforeAll(async () => {
  app = await startInvoicing({ store: new MemoryInvoicingStore(), clock: fixedClock('2026-03-02T09:00:00'), newKey: seededKeys(5) });
});
afterAll(async () => app?.close());

/** The file: each section a deposit of its own date; deductions never take a deposit below zero. */
function bgmaxOf(c: Case, ocrOf: (pick: number) => string): string {
  let serial = 0;
  const reference = (r: Ref) => (r.t === 'invoice' ? ocrOf(r.pick) : r.t === 'unknown' ? generateOcr(String(r.n)) : 'FAKTURA 12');
  const sections: BgMaxSection[] = c.sections.map((specs, s) => {
    let deposit = 0;
    const payments: BgMaxPayment[] = [];
    for (const p of specs) {
      const amountOre = p.deduction ? Math.min(p.amountOre, deposit) : p.amountOre;
      if (amountOre === 0) continue;
      deposit += p.deduction ? -amountOre : amountOre;
      const bgcSerialNumber = String(++serial);
      const fields = (r: Ref, amount: number) => ({ senderBankgiro: '56781234', reference: reference(r), referenceAlignment: 'left' as const, amountOre: amount, referenceCode: r.t === 'malformed' ? '4' : '2', paymentChannel: '1', bgcSerialNumber, imageFlag: '0' });
      payments.push({
        ...fields(p.ref, amountOre), deduction: p.deduction, ...(p.deduction ? { deductionCode: '0' } : {}),
        extraReferences: p.deduction ? [] : p.extras.map((e) => ({ ...fields(e.ref, e.amountOre), negative: e.negative })), information: [], name: 'Betalare',
      });
    }
    return { payeeBankgiro: '9912346', payeePlusgiro: '', currency: 'SEK', payments, deposit: { payeeBankAccount: '5555555555', paymentDate: `2026-03-${String(16 + s).padStart(2, '0')}`, depositSerialNumber: String(s + 1), amountOre: 0, currency: 'SEK', paymentCount: 0, depositType: 'K' } };
  });
  return writeBgMax(withBgMaxTotals({ version: '01', timestamp: '20260317070000000000', testMarker: 'T', sections: sections.filter((s) => s.payments.length > 0), trailer: { paymentCount: 0, deductionCount: 0, extraReferenceCount: 0, depositCount: 0 } }));
}

async function run(c: Case): Promise<void> {
  const s = app.service;
  const made = await s.createCollaboration({ companyName: 'Prop AB', organisationNumber: '5566778899', nextInvoiceNumber: 1001, paymentsRegisteredBy: 'bureau', activation: { recipient: 'bureau', period: 'quarterly' } });
  if (!made.ok) throw new Error(made.message);
  const companyId = made.value.company.id;
  const customer = await s.createCustomer(companyId, { name: 'Kund AB' });
  if (customer.kind !== 'done') throw new Error('no customer');
  for (const i of c.invoices) await s.createInvoice(companyId, { customerId: customer.value.id, lines: [{ description: 'Rad', quantity: i.qty, unitPriceOre: i.priceOre, vatRate: 25 }] });
  const originals = s.list(companyId, 'invoice', 1, 500).items.map((i) => i.id);
  for (const pick of c.credits) await s.creditInvoice(companyId, originals[pick % originals.length] ?? '', {});
  const bureau = await BureauProgram.create({ log: new MemoryRecordLog<BureauRecord>(), baseUrl: app.url, apiKey: made.value.bureau.apiKey, collaborationId: made.value.collaboration.id });
  await bureau.sync();
  const ocrOf = (pick: number) => bureau.invoices.get(originals[pick % originals.length] ?? '')?.ocr ?? '';

  const file = bgmaxOf(c, ocrOf);
  await bureau.readBgMax(file);
  for (const a of c.assigns) {
    const waiting = bureau.unmatched().filter((u) => u.amountOre > 0);
    const u = waiting[a.pick % Math.max(1, waiting.length)];
    if (u) await bureau.assign(u.identity, originals[a.invoice % originals.length] ?? '');
  }
  await bureau.sync();

  const balance = (account: string) => bureau.trialBalance().find((r) => r.account === account)?.balanceOre ?? 0;
  const received = file.split('\r\n').filter((r) => r.startsWith('15')).reduce((sum, r) => sum + Number(r.slice(50, 68)), 0);
  const applied = bureau.settledPayments().reduce((sum, p) => sum + p.appliedOre, 0);
  expect(balance('1930')).toBe(received);
  expect(applied - balance('2420') - balance('2890')).toBe(received);

  const invoices = s.list(companyId, 'invoice', 1, 500).items as Invoice[];
  const payments = s.list(companyId, 'payment', 1, 500).items as Payment[];
  for (const invoice of invoices.filter((i) => i.kind === 'invoice')) {
    const mine = bureau.invoices.get(invoice.id) as Invoice;
    expect(bureau.paidOre(invoice.id), `paid on ${invoice.number}`).toBe(invoice.paidOre ?? 0);
    expect(bureau.paidOre(invoice.id) + bureau.openOre(mine) === invoice.totalOre || bureau.openOre(mine) === 0).toBe(true);
    expect(bureau.paidOre(invoice.id)).toBeLessThanOrEqual(invoice.totalOre);
  }
  expect(payments.reduce((sum, p) => sum + p.unappliedOre, 0)).toBe(0 - balance('2420'));
  expect(payments.reduce((sum, p) => sum + p.appliedOre, 0)).toBe(applied);

  const vouchers = bureau.journal.vouchers.length;
  expect((await bureau.readBgMax(file)).booked).toEqual([]);
  expect(bureau.journal.vouchers.length).toBe(vouchers);
}

describe('incoming payments property', () => {
  it('money is conserved for random files and invoice sets; both programs agree', async () => {
    console.log(`payments property seed ${seed} (replay: SANDBANK_SEED=${seed})`);
    await fc.assert(fc.asyncProperty(testCase, run), { seed, numRuns: 40 });
  }, 120_000);
});
