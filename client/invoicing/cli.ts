/**
 * `sandbank invoicing …` — the customer's invoicing program: `start` runs the service; the
 * other commands talk to a running one over HTTP (`--url`, `--key`, or SANDBANK_INVOICING_URL
 * / SANDBANK_INVOICING_KEY), tables for people and `--json` for scripts.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { CliError, EXIT_USAGE, isFetchFailure, unreachable } from '../../cli/errors.ts';
import { formatOreSwedish, parseUserAmountToOre } from '../../formats/money.ts';
import { stockholmDateTime } from '../../formats/stockholm.ts';
import { parseRateLimit } from './http/rate-limit.ts';
import type { ActivationTerms, Invoice } from './model.ts';
import { normaliseLocalDateTime } from './clock.ts';
import { openAmountOre } from './open-amounts.ts';
import { dataDirectory, httpUrl } from '../../cli/option-values.ts';

interface Global {
  url: string;
  key?: string;
  json?: boolean;
}

type Options = Record<string, string | string[] | boolean | undefined>;

/** The activation terms of --recipient / --period, or false for --no-activate. */
function terms(o: { recipient: string; period: string; activate: boolean }): ActivationTerms | false {
  if (!o.activate) return false;
  if (o.recipient !== 'bureau' && o.recipient !== 'customer') throw new CliError(`--recipient ${o.recipient}: bureau or customer`);
  if (o.period !== 'quarterly' && o.period !== 'yearly') throw new CliError(`--period ${o.period}: quarterly or yearly`);
  return { recipient: o.recipient, period: o.period };
}

const kr = (ore: unknown) => `${formatOreSwedish(Number(ore))} kr`;

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ')).join('\n');
}

function ore(text: string, what: string): number {
  const parsed = parseUserAmountToOre(text);
  if (!parsed.ok) throw new CliError(`${what} "${text}" is not an amount like 1250,00 or 1 250.00`);
  return parsed.ore;
}

function port(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65_535) throw new InvalidArgumentError('a port is a whole number from 0 to 65535.');
  return n;
}

type Json = Record<string, unknown> & { items?: Record<string, unknown>[] };

/** One call to the running service; a problem answer becomes one line with its code. */
async function api(g: Global, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ json: Json; etag: string | null }> {
  const key = g.key ?? process.env['SANDBANK_INVOICING_KEY'];
  if (!key && !path.startsWith('/setup')) throw new CliError('give the company API key with --key or SANDBANK_INVOICING_KEY (printed by `sandbank invoicing start`)', EXIT_USAGE);
  let response: Response;
  try {
    response = await fetch(`${g.url.replace(/\/$/, '')}${path}`, {
      method,
      headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(method === 'POST' ? { 'idempotency-key': randomUUID() } : {}), ...headers },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  } catch (error) {
    if (isFetchFailure(error)) throw new CliError(unreachable(g.url, error).message.replace('`sandbank start`', '`sandbank invoicing start`'));
    throw error;
  }
  const text = await response.text();
  const json = (text === '' ? {} : JSON.parse(text)) as Json;
  if (response.status >= 400) throw new CliError(`${String(json['detail'] ?? response.statusText)} (${String(json['code'] ?? response.status)})`);
  return { json, etag: response.headers.get('etag') };
}

function run(action: (g: Global, o: Options, ...positional: string[]) => Promise<{ json: unknown; text: string } | undefined>) {
  return async (...args: unknown[]) => {
    const command = args[args.length - 1] as Command;
    const options = args[args.length - 2] as Options;
    const g = command.optsWithGlobals() as Global & Options;
    const positional = args.slice(0, -2).flatMap((a) => (Array.isArray(a) ? a.map(String) : [String(a)]));
    const out = await action(g, options, ...positional);
    if (out) console.log(g.json ? JSON.stringify(out.json, null, 2) : out.text);
  };
}

const str = (o: Options, k: string): string | undefined => (typeof o[k] === 'string' ? o[k] : undefined);
const collect = (value: string, previous: string[] = []) => [...previous, value];

/** `Resa;1;333,33;25` → a free line; `art_000001` or `art_000001;3` → an article line. */
function parseLine(text: string): Record<string, unknown> {
  const parts = text.split(';').map((s) => s.trim());
  if (parts.length === 4) {
    const [description = '', quantity = '', price = '', vat = ''] = parts;
    return { description, quantity: Number(quantity), unitPriceOre: ore(price, 'price'), vatRate: Number(vat) };
  }
  if (parts.length <= 2 && parts[0]?.startsWith('art_')) return { articleId: parts[0], quantity: Number(parts[1] ?? '1') };
  throw new CliError(`--line "${text}": give "description;quantity;price;vat" (e.g. "Resa;1;333,33;25") or "art_000001;quantity"`);
}

export function registerInvoicing(program: Command): void {
  const inv = program.command('invoicing').description("the customer's invoicing program: customers, articles, invoices, scanner, notes, change feed")
    .option('--url <url>', 'the running invoicing service', httpUrl, process.env['SANDBANK_INVOICING_URL'] ?? 'http://127.0.0.1:4020')
    .option('--key <key>', "the company's API key (or SANDBANK_INVOICING_KEY)")
    .option('--json', 'machine-readable output');

  inv.command('start').description('run the invoicing service on 127.0.0.1 and print the API keys')
    .option('--port <port>', 'port to listen on', port, 4020)
    .option('--data <dir>', 'data directory', dataDirectory, '.sandbank-invoicing')
    .option('--memory', 'keep everything in memory')
    .option('--rate-limit <n/window>', 'requests per key and window, e.g. 25/5s; "off" for none', '25/5s')
    .option('--retain-changes <n>', 'feed entries retained per collaboration (older cursors get 410)')
    .option('--next-invoice-number <n>', 'the first invoice number of the ready-made company', '1001')
    .option('--payments-by <side>', 'who registers incoming payments in the ready-made collaboration: customer or bureau', 'customer')
    .option('--contract-states', "serve the bureau contract's provider states (needs --memory: a state replaces all data)")
    .option('--clock <date-time>', 'a simulated clock starting at this local time (e.g. 2026-01-15T09:00:00), moved by POST /setup/clock/advance; default: the real clock')
    .option('--recipient <who>', "the ready-made collaboration's invoice recipient at activation: bureau or customer", 'bureau')
    .option('--period <period>', "the ready-made collaboration's contract period at activation: quarterly or yearly", 'quarterly')
    .option('--no-activate', 'leave the ready-made collaboration not activated (the bureau then activates it: sandbank collaboration activate)')
    .action(async (o: { port: number; data: string; memory?: boolean; rateLimit: string; retainChanges?: string; nextInvoiceNumber: string; contractStates?: boolean; paymentsBy: string; clock?: string; recipient: string; period: string; activate: boolean }) => {
      if (o.contractStates && !o.memory) throw new CliError('--contract-states replaces the data on every provider state: use it with --memory');
      if (o.clock !== undefined && !normaliseLocalDateTime(o.clock)) throw new CliError(`--clock ${o.clock}: give a local date-time like 2026-01-15T09:00:00`);
      const activation = terms(o);
      const limit = parseRateLimit(o.rateLimit);
      if (limit === 'invalid') throw new CliError(`--rate-limit "${o.rateLimit}": give requests/window like 25/5s or 100/500ms, or "off"`);
      const { runInvoicingStart } = await import('./main.ts');
      await runInvoicingStart({
        port: o.port, data: o.data, rateLimit: limit, nextInvoiceNumber: Number(o.nextInvoiceNumber), paymentsRegisteredBy: o.paymentsBy === 'bureau' ? 'bureau' : 'customer',
        ...(o.memory ? { memory: true } : {}), ...(o.contractStates ? { contractStates: true } : {}), ...(o.retainChanges ? { retainChanges: Number(o.retainChanges) } : {}),
        ...(o.clock !== undefined ? { clock: o.clock } : {}), activation,
      });
      // The server runs until Ctrl+C / SIGTERM (handled in main.ts).
      await new Promise<never>(() => undefined);
    });

  inv.command('setup').description('create another company with its bureau and collaboration (prints both keys)')
    .requiredOption('--company <name>').requiredOption('--org <number>', 'NNNNNN-NNNN').option('--bureau <name>').option('--next-invoice-number <n>').option('--round', 'öresavrundning')
    .option('--payments-by <side>', 'who registers incoming payments: customer or bureau', 'customer')
    .option('--bureau-id <id>', 'an existing bureau (bu_…) instead of a new one')
    .option('--recipient <who>', 'invoice recipient at activation: bureau or customer', 'bureau')
    .option('--period <period>', 'contract period at activation: quarterly or yearly', 'quarterly')
    .option('--no-activate', 'create it not activated (the bureau then activates it: sandbank collaboration activate)')
    .action(run(async (g, o) => {
      const activation = terms({ recipient: str(o, 'recipient') ?? 'bureau', period: str(o, 'period') ?? 'quarterly', activate: o['activate'] !== false });
      const { json } = await api(g, 'POST', '/setup/collaborations', {
        ...(activation ? { activation } : {}), ...(str(o, 'bureauId') ? { bureauId: str(o, 'bureauId') } : {}),
        companyName: str(o, 'company'), organisationNumber: str(o, 'org'), ...(str(o, 'bureau') ? { bureauName: str(o, 'bureau') } : {}),
        ...(str(o, 'nextInvoiceNumber') ? { nextInvoiceNumber: Number(str(o, 'nextInvoiceNumber')) } : {}), ...(o['round'] ? { roundToWholeKronor: true } : {}),
        paymentsRegisteredBy: str(o, 'paymentsBy') === 'bureau' ? 'bureau' : 'customer',
      });
      return { json, text: `collaboration ${json['collaborationId']}\n  company API key  ${json['companyApiKey']}\n  bureau API key   ${json['bureauApiKey']}\n  lifecycle        ${activation ? `activated: ${activation.period}, invoiced to the ${activation.recipient}` : `not activated: sandbank collaboration --key <bureau key> activate ${json['collaborationId']} --recipient … --period …`}` };
    }));

  inv.command('customer-add').description('add a customer').argument('<name>').option('--org <number>').option('--email <email>').option('--terms <days>', 'payment terms in days')
    .action(run(async (g, o, name = '') => {
      const { json } = await api(g, 'POST', '/v1/customers', { name, ...(str(o, 'org') ? { organisationNumber: str(o, 'org') } : {}), ...(str(o, 'email') ? { email: str(o, 'email') } : {}), ...(str(o, 'terms') ? { paymentTermsDays: Number(str(o, 'terms')) } : {}) });
      return { json, text: `${json['id']}  ${json['name']}` };
    }));

  inv.command('customer-edit').description('edit a customer (the invoicing program is master of customers)').argument('<id>').option('--name <name>').option('--email <email>').option('--terms <days>')
    .action(run(async (g, o, id = '') => {
      const current = await api(g, 'GET', `/v1/customers/${id}`);
      const next = { name: str(o, 'name') ?? current.json['name'], ...(str(o, 'email') ?? current.json['email'] ? { email: str(o, 'email') ?? current.json['email'] } : {}), paymentTermsDays: str(o, 'terms') ? Number(str(o, 'terms')) : current.json['paymentTermsDays'] };
      const { json } = await api(g, 'PUT', `/v1/customers/${id}`, next, { 'if-match': current.etag ?? '' });
      return { json, text: `${json['id']}  ${json['name']}  (version ${json['version']})` };
    }));

  inv.command('customers').description('the customer register')
    .action(run(async (g) => {
      const { json } = await api(g, 'GET', '/v1/customers?limit=500');
      return { json: json.items, text: table([['id', 'number', 'name', 'terms'], ...(json.items ?? []).map((c) => [String(c['id']), String(c['customerNumber']), String(c['name']), `${c['paymentTermsDays']} days`])]) };
    }));

  inv.command('article-add').description('add an article').argument('<name>').requiredOption('--price <kr>', 'unit price excluding VAT').requiredOption('--vat <rate>', '25, 12, 6 or 0').option('--unit <unit>')
    .action(run(async (g, o, name = '') => {
      const { json } = await api(g, 'POST', '/v1/articles', { name, unitPriceOre: ore(str(o, 'price') ?? '', 'price'), vatRate: Number(str(o, 'vat')), ...(str(o, 'unit') ? { unit: str(o, 'unit') } : {}) });
      return { json, text: `${json['id']}  ${json['name']}  ${kr(json['unitPriceOre'])}  ${json['vatRate']} %` };
    }));

  inv.command('articles').description('the article register')
    .action(run(async (g) => {
      const { json } = await api(g, 'GET', '/v1/articles?limit=500');
      return { json: json.items, text: table([['id', 'name', 'price', 'VAT'], ...(json.items ?? []).map((a) => [String(a['id']), String(a['name']), kr(a['unitPriceOre']), `${a['vatRate']} %`])]) };
    }));

  inv.command('invoice-add').description('issue a customer invoice (next number, OCR reference)')
    .requiredOption('--customer <id>').option('--line <line>', 'repeatable: "art_000001;2" or "Resa;1;333,33;25"', collect).option('--date <date>', 'invoice date').option('--due <date>', 'due date')
    .action(run(async (g, o) => {
      const lines = (Array.isArray(o['line']) ? o['line'] : []).map(parseLine);
      if (lines.length === 0) throw new CliError('give at least one --line', EXIT_USAGE);
      const { json } = await api(g, 'POST', '/v1/invoices', { customerId: str(o, 'customer'), lines, ...(str(o, 'date') ? { invoiceDate: str(o, 'date') } : {}), ...(str(o, 'due') ? { dueDate: str(o, 'due') } : {}) });
      return { json, text: `invoice ${json['number']}  ${json['customerName']}  ${kr(json['totalOre'])}  OCR ${json['ocr']}  due ${json['dueDate']}` };
    }));

  inv.command('invoice-credit').description('credit an invoice in full').argument('<id>').option('--date <date>')
    .action(run(async (g, o, id = '') => {
      const { json } = await api(g, 'POST', `/v1/invoices/${id}/credit`, str(o, 'date') ? { invoiceDate: str(o, 'date') } : {});
      return { json, text: `credit invoice ${json['number']} for invoice ${json['creditOf']}  ${kr(json['totalOre'])}` };
    }));

  inv.command('pay').description('register an incoming payment on an invoice (when the customer registers payments)').argument('<invoice id>')
    .requiredOption('--amount <kr>').option('--date <date>', 'payment date (default: today)').option('--reference <text>')
    .option('--from-credit', "apply this much of the customer's unapplied credit (over-payments, payments on the customer) instead of new money")
    .action(run(async (g, o, id = '') => {
      const date = str(o, 'date') ?? stockholmDateTime(Date.now()).slice(0, 10);
      const { json } = await api(g, 'POST', `/v1/invoices/${id}/payments`, { amountOre: ore(str(o, 'amount') ?? '', '--amount'), date, ...(str(o, 'reference') ? { reference: str(o, 'reference') } : {}), ...(o['fromCredit'] === true ? { fromCustomerCredit: true } : {}) });
      return { json, text: `payment ${json['id']}: ${kr(json['appliedOre'])} applied to ${id}${json['fromCustomerCredit'] ? " from the customer's credit" : ''}${Number(json['unappliedOre']) > 0 ? `, ${kr(json['unappliedOre'])} left as credit on the customer` : ''}` };
    }));

  inv.command('invoices').description('customer invoices')
    .action(run(async (g) => {
      const all: Record<string, unknown>[] = [];
      for (let page = 1; ; page++) {
        const { json } = await api(g, 'GET', `/v1/invoices?page=${page}&limit=500`);
        all.push(...(json.items ?? []));
        if (page >= Number((json['meta'] as Record<string, unknown>)['totalPages'])) break;
      }
      // Open amounts by the rule the bureau's program uses, so both show the same.
      const invoices = all as unknown as Invoice[];
      const byNumber = new Map(invoices.map((i) => [i.number, i]));
      const creditedNumbers = new Set(invoices.flatMap((i) => (i.creditOf === undefined ? [] : [i.creditOf])));
      const rows = invoices.map((i) => ({ ...i, openOre: openAmountOre(i, { credited: i.kind === 'invoice' && creditedNumbers.has(i.number), paidOnCreditedOre: i.creditOf === undefined ? 0 : byNumber.get(i.creditOf)?.paidOre ?? 0 }) }));
      return { json: rows, text: table([['id', 'number', 'customer', 'date', 'due', 'total', 'paid', 'open', 'OCR'], ...rows.map((i) => [i.id, `${i.number}${i.kind === 'credit' ? ' (credit)' : ''}`, i.customerName, i.invoiceDate, i.dueDate, kr(i.totalOre), kr(i.paidOre ?? 0), kr(i.openOre), i.ocr])]) };
    }));

  inv.command('settings').description('show or change settings (next invoice number, öresavrundning)').option('--next-invoice-number <n>').option('--round', 'round totals to whole kronor').option('--no-round', 'do not round')
    .action(run(async (g, o) => {
      const current = await api(g, 'GET', '/v1/settings');
      const change = { ...(str(o, 'nextInvoiceNumber') ? { nextInvoiceNumber: Number(str(o, 'nextInvoiceNumber')) } : {}), ...(typeof o['round'] === 'boolean' ? { roundToWholeKronor: o['round'] } : {}) };
      const { json } = Object.keys(change).length === 0 ? current : await api(g, 'PUT', '/v1/settings', change, { 'if-match': current.etag ?? '' });
      return { json, text: `next invoice number ${json['nextInvoiceNumber']}, öresavrundning ${json['roundToWholeKronor'] ? 'on' : 'off'}, payment terms ${json['paymentTermsDays']} days` };
    }));

  inv.command('scan').description('scan a supplier invoice or receipt (image or PDF) with a comment, for the bureau').argument('<file>')
    .requiredOption('--kind <kind>', 'supplier-invoice or receipt').option('--comment <text>')
    .action(run(async (g, o, file = '') => {
      const types: Record<string, string> = { '.pdf': 'application/pdf', '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.heic': 'image/heic', '.tif': 'image/tiff', '.tiff': 'image/tiff' };
      const contentType = types[extname(file).toLowerCase()];
      if (!contentType) throw new CliError(`${file}: scan a .pdf, .png, .jpg, .heic or .tiff file`);
      let bytes: Buffer;
      try {
        bytes = readFileSync(file);
      } catch {
        throw new CliError(`cannot read ${file}`);
      }
      const { json } = await api(g, 'POST', '/v1/documents', { kind: str(o, 'kind'), fileName: basename(file), contentType, contentBase64: bytes.toString('base64'), ...(str(o, 'comment') ? { comment: str(o, 'comment') } : {}) });
      return { json, text: `${json['id']}  ${json['fileName']}  sent to the bureau` };
    }));

  inv.command('documents').description('the scanner inbox with each document\'s status')
    .action(run(async (g) => {
      const { json } = await api(g, 'GET', '/v1/documents?limit=500');
      return { json: json.items, text: table([['id', 'file', 'comment', 'status'], ...(json.items ?? []).map((d) => [String(d['id']), String(d['fileName']), String(d['comment']), String(d['statusText'] ?? 'sent to the bureau')])]) };
    }));

  inv.command('notes').description('notes and notifications (unread marked *)')
    .action(run(async (g) => {
      const { json } = await api(g, 'GET', '/v1/notes?limit=500');
      return { json: json.items, text: table([['', 'id', 'from', 'text'], ...(json.items ?? []).map((n) => [n['readByCustomer'] ? ' ' : '*', String(n['id']), String(n['author']), String(n['text'])])]) };
    }));

  inv.command('note-add').description('write a note to the bureau').argument('<text>')
    .action(run(async (g, _o, text = '') => {
      const { json } = await api(g, 'POST', '/v1/notes', { text });
      return { json, text: `${json['id']}  sent to the bureau` };
    }));

  inv.command('note-read').description('mark a note read').argument('<id>')
    .action(run(async (g, _o, id = '') => {
      const { json } = await api(g, 'POST', `/v1/notes/${id}/read`);
      return { json, text: `${json['id']}  read` };
    }));
}
