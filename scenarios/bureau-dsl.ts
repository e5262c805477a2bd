/**
 * Bureau-collaboration steps for scenarios: the customer works in the invoicing program (over
 * its HTTP API), the bureau's program syncs, books and answers. Steps plug into the same
 * runner as the bank steps; each scenario gets its own collaboration in the invoicing service
 * the runner started (or the one at --invoicing-target).
 *
 *   steps: [
 *     bureau.given.collaboration({ nextInvoiceNumber: 1001 }),
 *     bureau.given.customer('Acme', { name: 'Acme AB' }),
 *     bureau.when.invoice('F1', { customer: 'Acme', lines: [{ text: 'Konsult', qty: 2, price: '950,00', vat: 25 }] }),
 *     bureau.when.sync(),
 *     bureau.then.ledger({ '1510': '2 375,00', '3001': '-1 900,00', '2611': '-475,00' }),
 *   ]
 */
import { MemoryRecordLog } from '../client/append-log.ts';
import { bgmaxFilesFromBank } from '../client/bureau/bank-bgmax.ts';
import { BureauProgram, type BureauRecord, type SyncResult } from '../client/bureau/program.ts';
import { formatOreSwedish } from '../formats/money.ts';
import type { Invoice } from '../client/invoicing/model.ts';
import { openAmountOre } from '../client/invoicing/open-amounts.ts';
import { ore, ScenarioFailure, type ScenarioContext, type Step } from './dsl.ts';
import { openOutageGate, type OutageGate } from './outage-gate.ts';

interface BureauWorld {
  url: string;
  companyKey: string;
  collaborationId: string;
  log: MemoryRecordLog<BureauRecord>;
  program: BureauProgram;
  labels: Map<string, string>;
  lastSync?: SyncResult;
  /** What the last read of the bank's reports mailbox did (undefined when it failed). */
  lastRead?: { files: number; booked: number; unmatched: number; alreadyRead: number } | undefined;
  /** The link the bureau reaches the invoicing service through, when the scenario cuts it. */
  gate?: OutageGate;
}

/** A customer's payment at the bank, to an invoice (by label) or a raw reference. */
type BankPayment = {
  invoice?: string; ocr?: string; amount: string; payer?: string;
  /** TK22 parts to further invoices (TK23 when negative). */
  extra?: { invoice?: string; ocr?: string; amount: string; negative?: boolean }[];
  /** A TK21 deduction with this deduction code. */
  deduction?: '0' | '1' | '2';
};

const worlds = new WeakMap<ScenarioContext, BureauWorld>();
const kr = (o: number) => `${formatOreSwedish(o)} kr`;

function world(ctx: ScenarioContext): BureauWorld {
  const w = worlds.get(ctx);
  if (!w) throw new Error('start the scenario with bureau.given.collaboration()');
  return w;
}

function id(w: BureauWorld, label: string): string {
  const found = w.labels.get(label);
  if (!found) throw new Error(`no record labelled "${label}" in this scenario`);
  return found;
}

function fail(ctx: ScenarioContext, what: string, expected: unknown, seen: unknown): never {
  throw new ScenarioFailure(JSON.stringify(expected), JSON.stringify(seen), `${ctx.sandbox.sandboxId}, collaboration ${worlds.get(ctx)?.collaborationId ?? '?'}`, what);
}

function check(ctx: ScenarioContext, what: string, expected: unknown, seen: unknown): void {
  if (JSON.stringify(expected) !== JSON.stringify(seen)) fail(ctx, what, expected, seen);
}

let keyCounter = 0;
async function api(w: BureauWorld, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: Record<string, unknown> & { items?: Record<string, unknown>[] }; etag: string | null }> {
  const res = await fetch(`${w.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${w.companyKey}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(method === 'POST' ? { 'idempotency-key': `scenario-${w.collaborationId}-${++keyCounter}` } : {}), ...headers },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  const json = (text === '' ? {} : JSON.parse(text)) as Record<string, unknown> & { items?: Record<string, unknown>[] };
  if (res.status >= 400) throw new Error(`invoicing ${method} ${path}: ${res.status} ${String(json['code'])} ${String(json['detail'])}`);
  return { status: res.status, json, etag: res.headers.get('etag') };
}

const step = (kind: Step['kind'], text: string, run: (ctx: ScenarioContext, w: BureauWorld) => Promise<void>): Step => ({
  kind, text, run: (ctx) => run(ctx, world(ctx)),
});

type Line = { article: string; qty: number } | { text: string; qty: number; price: string; vat: 25 | 12 | 6 | 0 };

export const bureau = {
  given: {
    collaboration(options: { nextInvoiceNumber?: number; round?: boolean; paymentsBy?: 'customer' | 'bureau'; outages?: boolean } = {}): Step {
      return {
        kind: 'given', text: `a collaboration${options.nextInvoiceNumber ? ` numbering from ${options.nextInvoiceNumber}` : ''}${options.round ? ', öresavrundning' : ''}${options.paymentsBy ? `, incoming payments registered by the ${options.paymentsBy}` : ''}${options.outages ? ', the bureau reaching the invoicing service over a link that can go down' : ''}`,
        async run(ctx) {
          if (!ctx.target.invoicingUrl) throw new Error('this target runs no invoicing service (give --invoicing-target)');
          const url = await ctx.target.invoicingUrl();
          const res = await fetch(`${url}/setup/collaborations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ companyName: 'Scenariokunden AB', organisationNumber: '556500-0002', bureauName: 'Scenariobyrån AB', nextInvoiceNumber: options.nextInvoiceNumber ?? 1001, roundToWholeKronor: options.round ?? false, paymentsRegisteredBy: options.paymentsBy ?? 'customer', activation: { recipient: 'bureau', period: 'quarterly' } }) });
          const made = (await res.json()) as { collaborationId: string; companyApiKey: string; bureauApiKey: string };
          const log = new MemoryRecordLog<BureauRecord>();
          const gate = options.outages ? await openOutageGate(url) : undefined;
          const program = await BureauProgram.create({ log, baseUrl: gate?.url ?? url, apiKey: made.bureauApiKey, collaborationId: made.collaborationId, connection: { baseDelayMs: 10 } });
          worlds.set(ctx, { url, companyKey: made.companyApiKey, collaborationId: made.collaborationId, log, program, labels: new Map(), ...(gate ? { gate } : {}) });
        },
      };
    },
    customer(label: string, c: { name: string; terms?: number }): Step {
      return step('given', `customer ${label} (${c.name}) in the invoicing program`, async (_ctx, w) => {
        w.labels.set(label, String((await api(w, 'POST', '/v1/customers', { name: c.name, ...(c.terms !== undefined ? { paymentTermsDays: c.terms } : {}) })).json['id']));
      });
    },
    article(label: string, a: { name: string; price: string; vat: 25 | 12 | 6 | 0 }): Step {
      return step('given', `article ${label} (${a.name}, ${a.price} kr, ${a.vat} %)`, async (_ctx, w) => {
        w.labels.set(label, String((await api(w, 'POST', '/v1/articles', { name: a.name, unitPriceOre: ore(a.price), vatRate: a.vat })).json['id']));
      });
    },
  },
  when: {
    invoice(label: string, i: { customer: string; date?: string; lines: Line[] }): Step {
      return step('when', `the customer issues invoice ${label}`, async (_ctx, w) => {
        const lines = i.lines.map((l) => ('article' in l ? { articleId: id(w, l.article), quantity: l.qty } : { description: l.text, quantity: l.qty, unitPriceOre: ore(l.price), vatRate: l.vat }));
        w.labels.set(label, String((await api(w, 'POST', '/v1/invoices', { customerId: id(w, i.customer), invoiceDate: i.date ?? '2026-03-02', lines })).json['id']));
      });
    },
    credit(label: string, of: string, date = '2026-03-05'): Step {
      return step('when', `the customer credits invoice ${of} (${label})`, async (_ctx, w) => {
        w.labels.set(label, String((await api(w, 'POST', `/v1/invoices/${id(w, of)}/credit`, { invoiceDate: date })).json['id']));
      });
    },
    editCustomer(label: string, c: { name: string }): Step {
      return step('when', `the customer renames ${label} to ${c.name} in the invoicing program`, async (_ctx, w) => {
        const current = await api(w, 'GET', `/v1/customers/${id(w, label)}`);
        await api(w, 'PUT', `/v1/customers/${id(w, label)}`, { name: c.name }, { 'if-match': current.etag ?? '' });
      });
    },
    setNextInvoiceNumber(n: number): Step {
      return step('when', `the customer sets the next invoice number to ${n}`, async (_ctx, w) => {
        const current = await api(w, 'GET', '/v1/settings');
        await api(w, 'PUT', '/v1/settings', { nextInvoiceNumber: n }, { 'if-match': current.etag ?? '' });
      });
    },
    scan(label: string, d: { kind: 'supplier-invoice' | 'receipt'; comment: string }): Step {
      return step('when', `the customer scans ${label} (${d.kind}: "${d.comment}")`, async (_ctx, w) => {
        w.labels.set(label, String((await api(w, 'POST', '/v1/documents', { kind: d.kind, fileName: `${label}.pdf`, contentType: 'application/pdf', contentBase64: Buffer.from(`%PDF-1.4 ${label}`).toString('base64'), comment: d.comment })).json['id']));
      });
    },
    customerNote(text: string): Step {
      return step('when', `the customer writes "${text}"`, async (_ctx, w) => void (await api(w, 'POST', '/v1/notes', { text })));
    },
    sync(options: { pageSize?: number; stopAfterPages?: number } = {}): Step {
      return step('when', `the bureau syncs${options.stopAfterPages ? ` (stopped after ${options.stopAfterPages} page(s))` : ''}`, async (_ctx, w) => {
        w.lastSync = await w.program.sync(options);
      });
    },
    restartBureau(): Step {
      return step('when', "the bureau's program is restarted", async (_ctx, w) => {
        w.program = await BureauProgram.open({ log: w.log, connection: { baseDelayMs: 10 } });
      });
    },
    bureauEditsCustomer(label: string, c: { name: string }): Step {
      return step('when', `the bureau tries to rename customer ${label}`, async (ctx, w) => {
        try {
          w.program.editCustomer(id(w, label), c);
        } catch (error) {
          ctx.lastError = error instanceof Error ? error : new Error(String(error));
        }
      });
    },
    registerDocument(label: string, r: { total: string; vat: string; account: string; date?: string }): Step {
      return step('when', `the bureau registers ${label} (${r.total} kr, VAT ${r.vat} kr, account ${r.account})`, async (_ctx, w) => {
        await w.program.registerDocument(id(w, label), { date: r.date ?? '2026-03-06', totalOre: ore(r.total), vatOre: ore(r.vat), costAccount: r.account });
      });
    },
    dunning(today: string): Step {
      return step('when', `the bureau runs dunning on ${today}`, async (_ctx, w) => void (await w.program.dunning(today)));
    },
    customerPays(label: string, amount: string, date = '2026-03-20'): Step {
      return step('when', `the customer registers a payment of ${amount} kr on ${label}`, async (ctx, w) => {
        try {
          await api(w, 'POST', `/v1/invoices/${id(w, label)}/payments`, { amountOre: ore(amount), date });
        } catch (error) {
          ctx.lastError = error instanceof Error ? error : new Error(String(error));
        }
      });
    },
    /** Customers pay the company's bankgiro at the simulated bank: camt.054 now, the BgMax at the end of the day. */
    bankPayments(payments: BankPayment[]): Step {
      return step('when', `${payments.length} customer(s) pay the company's bankgiro at the bank`, async (ctx, w) => {
        const reference = async (p: { invoice?: string; ocr?: string }) => p.ocr ?? String((await api(w, 'GET', `/v1/invoices/${id(w, p.invoice ?? '')}`)).json['ocr']);
        for (const p of payments) {
          const body = {
            amountOre: ore(p.amount), reference: await reference(p), payerName: p.payer ?? 'Kund AB',
            ...(p.extra ? { extraReferences: await Promise.all(p.extra.map(async (e) => ({ reference: await reference(e), amountOre: ore(e.amount), negative: e.negative ?? false }))) } : {}),
            ...(p.deduction ? { deductionCode: p.deduction } : {}),
          };
          const res = await fetch(`${ctx.target.baseUrl}/sandboxes/${ctx.sandbox.sandboxId}/incoming-payments`, { method: 'POST', headers: { authorization: `Bearer ${ctx.sandbox.apiKey}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
          if (res.status !== 201) throw new Error(`the bank refused the incoming payment: HTTP ${res.status} ${await res.text()}`);
        }
      });
    },
    /** The bureau reads every BgMax file in the bank's reports mailbox (a refusal is kept for then.refusedNaming). */
    readBgMaxFromBank(): Step {
      return step('when', "the bureau reads the BgMax files in the bank's reports mailbox", async (ctx, w) => {
        w.lastRead = undefined;
        try {
          const files = await bgmaxFilesFromBank({ baseUrl: ctx.target.baseUrl, bank: ctx.bank, apiKey: ctx.sandbox.apiKey });
          const read = { files: files.length, booked: 0, unmatched: 0, alreadyRead: 0 };
          for (const f of files) {
            const r = await w.program.readBgMax(f.bytes);
            read.booked += r.booked.length;
            read.unmatched += r.unmatched.length;
            read.alreadyRead += r.alreadyRead;
          }
          w.lastRead = read;
        } catch (error) {
          ctx.lastError = error instanceof Error ? error : new Error(String(error));
        }
      });
    },
    assignUnmatched(reference: string, invoice: string): Step {
      return step('when', `a person assigns the waiting payment with reference ${reference} to ${invoice}`, async (_ctx, w) => {
        const u = w.program.unmatched().find((x) => x.reference === reference);
        if (!u) throw new Error(`no payment with reference ${reference} waits`);
        await w.program.assign(u.identity, id(w, invoice));
      });
    },
    assignToCustomer(reference: string, customer: string): Step {
      return step('when', `a person keeps the waiting payment with reference ${reference} as ${customer}'s unapplied credit`, async (_ctx, w) => {
        const u = w.program.unmatched().find((x) => x.reference === reference);
        if (!u) throw new Error(`no payment with reference ${reference} waits`);
        await w.program.assign(u.identity, { customerId: id(w, customer) });
      });
    },
    applyCredit(customer: string, invoice: string, date = '2026-03-03'): Step {
      return step('when', `the bureau applies ${customer}'s unapplied credit to ${invoice}`, async (_ctx, w) => {
        await w.program.applyCredit(id(w, customer), id(w, invoice), date);
      });
    },
    invoicingDown(): Step {
      return step('when', 'the invoicing service goes down (as the bureau sees it)', async (_ctx, w) => {
        if (!w.gate) throw new Error('give bureau.given.collaboration({ outages: true })');
        w.gate.up = false;
      });
    },
    invoicingUp(): Step {
      return step('when', 'the invoicing service is back', async (_ctx, w) => {
        if (!w.gate) throw new Error('give bureau.given.collaboration({ outages: true })');
        w.gate.up = true;
      });
    },
    /** A sync that is expected to fail (the error is kept for then.refusedNaming). */
    syncFails(): Step {
      return step('when', 'the bureau tries to sync', async (ctx, w) => {
        try {
          w.lastSync = await w.program.sync();
        } catch (error) {
          ctx.lastError = error instanceof Error ? error : new Error(String(error));
          return;
        }
        throw new Error('the sync went through');
      });
    },
    bureauReadsNotes(): Step {
      return step('when', 'the bureau reads its notes', async (_ctx, w) => {
        await w.program.markRead(w.program.listNotes().filter((n) => !n.readByBureau && !n.pending).map((n) => n.id));
      });
    },
  },
  then: {
    ledger(expected: Record<string, string>): Step {
      return step('then', `the bureau's trial balance: ${Object.entries(expected).map(([a, v]) => `${a} ${v}`).join(', ')}`, async (ctx, w) => {
        const seen = Object.fromEntries(w.program.trialBalance().map((r) => [r.account, kr(r.balanceOre)]));
        check(ctx, 'trial balance', Object.fromEntries(Object.entries(expected).map(([a, v]) => [a, kr(ore(v))])), Object.fromEntries(Object.keys(expected).map((a) => [a, seen[a] ?? kr(0)])));
      });
    },
    vatReport(from: string, to: string, boxes: Partial<Record<'05' | '10' | '11' | '12' | '42' | '48' | '49', string>>): Step {
      return step('then', `the VAT report ${from} – ${to}: ${Object.entries(boxes).map(([b, v]) => `box ${b} ${v}`).join(', ')}`, async (ctx, w) => {
        const r = w.program.vatReport(from, to);
        const all = { '05': r.box05TaxableSalesOre, '10': r.box10OutputVat25Ore, '11': r.box11OutputVat12Ore, '12': r.box12OutputVat6Ore, '42': r.box42ExemptSalesOre, '48': r.box48InputVatOre, '49': r.box49VatToPayOre };
        check(ctx, 'VAT report', Object.fromEntries(Object.entries(boxes).map(([b, v]) => [b, kr(ore(v))])), Object.fromEntries(Object.keys(boxes).map((b) => [b, kr(all[b as keyof typeof all])])));
      });
    },
    invoiceNumbers(numbers: number[]): Step {
      return step('then', `the bureau has invoices ${numbers.join(', ')}`, async (ctx, w) => check(ctx, 'invoice numbers', numbers, [...w.program.invoices.values()].map((i) => i.number).sort((a, b) => a - b)));
    },
    lastSync(expected: Partial<Pick<SyncResult, 'applied' | 'vouchers' | 'skipped' | 'relisted'>>): Step {
      return step('then', `the last sync: ${JSON.stringify(expected)}`, async (ctx, w) => {
        const seen = Object.fromEntries(Object.keys(expected).map((k) => [k, w.lastSync?.[k as keyof SyncResult]]));
        check(ctx, 'sync result', expected, seen);
      });
    },
    bureauCustomer(label: string, c: { name: string }): Step {
      return step('then', `the bureau sees customer ${label} as ${c.name}`, async (ctx, w) => check(ctx, `customer ${label}`, c.name, w.program.customers.get(id(w, label))?.name));
    },
    refusedNaming(text: string): Step {
      return step('then', `it was refused, naming "${text}"`, async (ctx) => {
        if (!ctx.lastError?.message.includes(text)) fail(ctx, 'a refusal', text, ctx.lastError?.message ?? 'no error');
      });
    },
    documentStatus(label: string, status: string): Step {
      return step('then', `the customer sees ${label}: "${status}"`, async (ctx, w) => check(ctx, `document ${label}`, status, (await api(w, 'GET', `/v1/documents/${id(w, label)}`)).json['statusText']));
    },
    customerNotification(text: string, options: { unread: boolean }): Step {
      return step('then', `the customer has ${options.unread ? 'an unread' : 'a'} notification "${text}"`, async (ctx, w) => {
        const notes = (await api(w, 'GET', '/v1/notes?limit=500')).json.items ?? [];
        const found = notes.find((n) => String(n['text']).startsWith(text));
        if (!found) fail(ctx, 'notification', text, notes.map((n) => n['text']));
        check(ctx, `notification "${text}" unread`, options.unread, !found['readByCustomer']);
      });
    },
    noNotification(text: string): Step {
      return step('then', `the customer has no notification "${text}"`, async (ctx, w) => {
        const notes = (await api(w, 'GET', '/v1/notes?limit=500')).json.items ?? [];
        if (notes.some((n) => String(n['text']).startsWith(text))) fail(ctx, 'no notification', text, 'one was sent');
      });
    },
    bureauUnread(count: number): Step {
      return step('then', `the bureau has ${count} unread note(s)`, async (ctx, w) => check(ctx, 'unread notes', count, w.program.unreadCount()));
    },
    paid(label: string, amount: string): Step {
      return step('then', `both programs show ${amount} kr paid on ${label}`, async (ctx, w) => {
        const invoicing = Number((await api(w, 'GET', `/v1/invoices/${id(w, label)}`)).json['paidOre'] ?? 0);
        check(ctx, `paid on ${label} (bureau, invoicing)`, [kr(ore(amount)), kr(ore(amount))], [kr(w.program.paidOre(id(w, label))), kr(invoicing)]);
      });
    },
    /** What is open on an invoice (negative on a credit invoice: owed back), by the invoicing program's API and in the bureau's program. */
    open(label: string, amount: string): Step {
      return step('then', `both programs show ${amount} kr open on ${label}`, async (ctx, w) => {
        const invoices = ((await api(w, 'GET', '/v1/invoices?limit=500')).json.items ?? []) as unknown as Invoice[];
        const invoice = invoices.find((i) => i.id === id(w, label));
        if (!invoice) fail(ctx, `invoice ${label}`, 'in the invoicing program', 'missing');
        const credited = invoices.some((i) => i.creditOf === invoice.number);
        const paidOnCredited = invoices.find((i) => i.kind === 'invoice' && i.number === invoice.creditOf)?.paidOre ?? 0;
        const bureauInvoice = w.program.invoices.get(invoice.id);
        check(ctx, `open on ${label} (bureau, invoicing)`, [kr(ore(amount)), kr(ore(amount))], [kr(bureauInvoice ? w.program.openOre(bureauInvoice) : Number.NaN), kr(openAmountOre(invoice, { credited: invoice.kind === 'invoice' && credited, paidOnCreditedOre: paidOnCredited }))]);
      });
    },
    /** A customer's unapplied credit: the bureau's (2420 per customer) and the invoicing program's payments. */
    customerCredit(label: string, amount: string): Step {
      return step('then', `both programs show ${amount} kr unapplied credit on ${label}`, async (ctx, w) => {
        const payments = (await api(w, 'GET', '/v1/payments?limit=500')).json.items ?? [];
        const invoicing = payments.filter((p) => p['customerId'] === id(w, label)).reduce((n, p) => n + Number(p['unappliedOre']), 0);
        check(ctx, `unapplied credit of ${label} (bureau, invoicing)`, [kr(ore(amount)), kr(ore(amount))], [kr(w.program.customerCreditOre(id(w, label))), kr(invoicing)]);
      });
    },
    unmatched(reasons: string[]): Step {
      return step('then', `waiting for a person: ${reasons.join(', ') || 'nothing'}`, async (ctx, w) => check(ctx, 'unmatched payments', reasons, w.program.unmatched().map((u) => u.reason)));
    },
    lastRead(expected: Partial<{ files: number; booked: number; unmatched: number; alreadyRead: number }>): Step {
      return step('then', `the last mailbox read: ${JSON.stringify(expected)}`, async (ctx, w) => {
        if (!w.lastRead) fail(ctx, 'mailbox read', expected, ctx.lastError?.message ?? 'no read');
        check(ctx, 'mailbox read', expected, Object.fromEntries(Object.keys(expected).map((k) => [k, w.lastRead?.[k as keyof typeof expected]])));
      });
    },
    /** Every payment in the bureau's journal once, every bureau payment in the invoicing program once. */
    paymentsOnce(count: number): Step {
      return step('then', `${count} payment(s) booked, each once, in both programs`, async (ctx, w) => {
        const sources = w.program.journal.vouchers.filter((v) => v.series === 'I' && v.source.startsWith('payment:')).map((v) => v.source);
        check(ctx, 'payment vouchers (all, distinct)', [count, count], [sources.length, new Set(sources).size]);
        const registered = ((await api(w, 'GET', '/v1/payments?limit=500')).json.items ?? []).map((p) => String(p['identity']));
        check(ctx, 'payments in the invoicing program (distinct)', registered.length, new Set(registered).size);
      });
    },
    bookedOnce(): Step {
      return step('then', 'every invoice is booked exactly once', async (ctx, w) => {
        const sources = w.program.journal.vouchers.filter((v) => v.series === 'F').map((v) => v.source);
        check(ctx, 'vouchers per invoice', w.program.invoices.size, new Set(sources).size);
        check(ctx, 'customer-invoice vouchers', w.program.invoices.size, sources.length);
      });
    },
  },
};
