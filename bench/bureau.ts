/**
 * Bureau collaboration sync, over real HTTP with both programs on real files (append-only
 * logs): (a) 10,000 invoices into an empty bureau program; (b) an incremental sync of 100
 * changes on top of 100,000 already synced, against the same 100 changes into an empty
 * program (target ratio ≤ 1.5×). Run alone: `npx tsx bench/bureau.ts`.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { FileRecordLog } from '../client/append-log.ts';
import { BureauProgram, type BureauRecord } from '../client/bureau/program.ts';
import { fixedClock, seededKeys, startInvoicing, type InvoicingApp } from '../client/invoicing/app.ts';
import { LowdbInvoicingStore } from '../client/invoicing/store.ts';
import { fmt, median } from './lib.ts';

const dir = (name: string) => mkdtempSync(join(tmpdir(), `sandbank-bench-${name}-`));

async function service(): Promise<InvoicingApp> {
  return startInvoicing({ store: new LowdbInvoicingStore(dir('invoicing')), clock: fixedClock('2026-03-02T09:00:00'), newKey: seededKeys(1) });
}

/** A collaboration with one customer and `n` invoices, written through the service (not timed). */
async function company(app: InvoicingApp, n: number): Promise<{ companyId: string; customerId: string; collaborationId: string; bureauApiKey: string }> {
  const made = await app.service.createCollaboration({ companyName: 'Bench AB', organisationNumber: '5566778899', nextInvoiceNumber: 1001, roundToWholeKronor: true, activation: { recipient: 'bureau', period: 'quarterly' } });
  if (!made.ok) throw new Error(made.message);
  const companyId = made.value.company.id;
  const customer = await app.service.createCustomer(companyId, { name: 'Kund AB' });
  if (customer.kind !== 'done') throw new Error('customer');
  const ids = { companyId, customerId: customer.value.id, collaborationId: made.value.collaboration.id, bureauApiKey: made.value.bureau.apiKey };
  await addInvoices(app, ids, n);
  return ids;
}

async function addInvoices(app: InvoicingApp, ids: { companyId: string; customerId: string }, n: number): Promise<void> {
  const batch: Promise<unknown>[] = [];
  for (let i = 0; i < n; i++) {
    batch.push(app.service.createInvoice(ids.companyId, { customerId: ids.customerId, invoiceDate: '2026-03-02', lines: [{ description: `Rad ${i}`, quantity: 1 + (i % 3), unitPriceOre: 1_000 + (i % 997), vatRate: [25, 12, 6, 0][i % 4] ?? 25 }] }));
    if (batch.length === 1000) await Promise.all(batch.splice(0));
  }
  await Promise.all(batch);
}

async function bureauFor(app: InvoicingApp, ids: { collaborationId: string; bureauApiKey: string }): Promise<BureauProgram> {
  return BureauProgram.create({ log: new FileRecordLog<BureauRecord>(join(dir('bureau'), 'bureau.log')), baseUrl: app.url, apiKey: ids.bureauApiKey, collaborationId: ids.collaborationId });
}

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
}

export async function benchSyncEmpty(n = 10_000): Promise<string> {
  const app = await service();
  try {
    const ids = await company(app, n);
    const bureau = await bureauFor(app, ids);
    const { ms, value } = await timed(() => bureau.sync());
    if (value.vouchers !== n) throw new Error(`booked ${value.vouchers} of ${n}`);
    await bureau.close();
    return `sync ${n.toLocaleString('en')} invoices into an empty bureau program: ${fmt(ms)} (${Math.round((n / ms) * 1000).toLocaleString('en')} invoices/s, ${value.pages} pages of 500, each page one append)`;
  } finally {
    await app.close();
  }
}

export async function benchIncremental(big = 100_000, changes = 100, rounds = 9): Promise<string> {
  const app = await service();
  try {
    const large = await company(app, big);
    const full = await bureauFor(app, large);
    const initial = await timed(() => full.sync());
    const onTop: number[] = [];
    const intoEmpty: number[] = [];
    for (let r = 0; r < rounds; r++) {
      await addInvoices(app, large, changes);
      const a = await timed(() => full.sync());
      if (a.value.vouchers !== changes) throw new Error('incremental sync booked the wrong count');
      onTop.push(a.ms);
      const small = await company(app, changes);
      const empty = await bureauFor(app, small);
      const b = await timed(() => empty.sync());
      if (b.value.vouchers !== changes) throw new Error('empty sync booked the wrong count');
      intoEmpty.push(b.ms);
      await empty.close();
    }
    await full.close();
    const ratio = median(onTop) / median(intoEmpty);
    return [
      `initial sync of ${big.toLocaleString('en')} invoices: ${fmt(initial.ms)}`,
      `${changes} changes on top of ${big.toLocaleString('en')} synced: ${fmt(median(onTop))} (median of ${rounds}: ${onTop.map((m) => m.toFixed(1)).join(', ')})`,
      `${changes} changes into an empty program:  ${fmt(median(intoEmpty))} (median of ${rounds}: ${intoEmpty.map((m) => m.toFixed(1)).join(', ')})`,
      `ratio ${ratio.toFixed(2)}× (target ≤ 1.5× ${ratio <= 1.5 ? 'met' : 'MISSED'})`,
    ].join('\n');
  } finally {
    await app.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log('== bureau (a): sync 10,000 invoices into an empty bureau program (real HTTP, append-only logs)');
  console.log(await benchSyncEmpty());
  console.log('== bureau (b): incremental sync of 100 changes on top of 100,000 vs into an empty program');
  console.log(await benchIncremental());
}
