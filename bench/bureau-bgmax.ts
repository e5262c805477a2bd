/**
 * BgMax intake: a file of 10,000 incoming payments matched and booked against 100,000 open
 * invoices in the bureau's program (real files, the booking one append), against parsing the
 * same file alone; then the pushes of those payments to the invoicing program over HTTP.
 * Run alone: `npx tsx bench/bureau-bgmax.ts`.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { FileRecordLog } from '../client/append-log.ts';
import { BureauProgram, type BureauRecord } from '../client/bureau/program.ts';
import { fixedClock, seededKeys, startInvoicing } from '../client/invoicing/app.ts';
import { LowdbInvoicingStore } from '../client/invoicing/store.ts';
import { parseBgMax, withBgMaxTotals, writeBgMax, type BgMaxPayment } from '../formats/bankgirot/bgmax.ts';
import { encodeLatin1 } from '../formats/bankgirot/fixed-width.ts';
import { generateOcr } from '../formats/identifiers/ocr.ts';
import { fmt, median } from './lib.ts';

const dir = (name: string) => mkdtempSync(join(tmpdir(), `sandbank-bench-${name}-`));

export async function benchBgMaxIntake(invoices = 100_000, payments = 10_000): Promise<string> {
  const app = await startInvoicing({ store: new LowdbInvoicingStore(dir('invoicing')), clock: fixedClock('2026-03-02T09:00:00'), newKey: seededKeys(2) });
  try {
    const made = await app.service.createCollaboration({ companyName: 'Bench AB', organisationNumber: '5566778899', nextInvoiceNumber: 100_001, paymentsRegisteredBy: 'bureau', activation: { recipient: 'bureau', period: 'quarterly' } });
    if (!made.ok) throw new Error(made.message);
    const companyId = made.value.company.id;
    const customer = await app.service.createCustomer(companyId, { name: 'Kund AB' });
    if (customer.kind !== 'done') throw new Error('customer');
    const batch: Promise<unknown>[] = [];
    for (let i = 0; i < invoices; i++) {
      batch.push(app.service.createInvoice(companyId, { customerId: customer.value.id, invoiceDate: '2026-03-02', lines: [{ description: 'Rad', quantity: 1, unitPriceOre: 10_000 + (i % 5_000), vatRate: 25 }] }));
      if (batch.length === 1000) await Promise.all(batch.splice(0));
    }
    await Promise.all(batch);
    const bureau = await BureauProgram.create({ log: new FileRecordLog<BureauRecord>(join(dir('bureau'), 'b.log')), baseUrl: app.url, apiKey: made.value.bureau.apiKey, collaborationId: made.value.collaboration.id });
    await bureau.sync();
    const open = [...bureau.invoices.values()];
    const list: BgMaxPayment[] = Array.from({ length: payments }, (_, i) => {
      const invoice = open[(i * 7919) % open.length];
      // Every tenth pays part, every 50th an unknown reference.
      const amount = i % 10 === 0 ? 5_000 : (invoice?.totalOre ?? 1);
      return { senderBankgiro: '0000000000', reference: i % 50 === 0 ? generateOcr(String(900_000 + i)) : (invoice?.ocr ?? ''), referenceAlignment: 'left', amountOre: amount, referenceCode: '2', paymentChannel: '1', bgcSerialNumber: String(i + 1).padStart(12, '0'), imageFlag: '0', deduction: false, extraReferences: [], information: [] };
    });
    const bytes = encodeLatin1(writeBgMax(withBgMaxTotals({
      version: '01', timestamp: '20260320101010123456', testMarker: 'T',
      sections: [{ payeeBankgiro: '9912346', payeePlusgiro: '', currency: 'SEK', payments: list, deposit: { payeeBankAccount: '5555555555', paymentDate: '2026-03-20', depositSerialNumber: '1', amountOre: 0, currency: 'SEK', paymentCount: 0, depositType: 'K' } }],
      trailer: { paymentCount: 0, deductionCount: 0, extraReferenceCount: 0, depositCount: 0 },
    })));
    const parseTimes: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      if (!parseBgMax(bytes).ok) throw new Error('bench file does not parse');
      parseTimes.push(performance.now() - t);
    }
    const t = performance.now();
    const result = await bureau.readBgMax(bytes, { push: false });
    const intakeMs = performance.now() - t;
    const p = performance.now();
    const pushed = await bureau.sync();
    const pushMs = performance.now() - p;
    await bureau.close();
    const parseMs = median(parseTimes);
    return [
      `parse alone: ${fmt(parseMs)} (median of 5, ${(bytes.length / 1024).toFixed(0)} KiB)`,
      `match + book ${payments.toLocaleString('en')} payments against ${invoices.toLocaleString('en')} open invoices: ${fmt(intakeMs)} = ${Math.round((payments / intakeMs) * 1000).toLocaleString('en')} payments/s, ${(intakeMs / parseMs).toFixed(1)}× parsing (${result.booked.length} booked, ${result.unmatched.length} unmatched; one append)`,
      `pushing them to the invoicing program over HTTP (one POST each, idempotent): ${fmt(pushMs)} (${pushed.pushed} pushed)`,
    ].join('\n');
  } finally {
    await app.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log('== bureau (c): BgMax intake, 10,000 payments against 100,000 open invoices');
  console.log(await benchBgMaxIntake());
}
