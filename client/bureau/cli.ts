/**
 * `sandbank bureau …` — the bureau's program for one customer company. State is one
 * append-only log (`--data`, default .sandbank-bureau/bureau.log); `sync` follows the
 * invoicing program's feed with a progress line on stderr; `--json` for scripts.
 */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { CliError, EXIT_USAGE } from '../../cli/errors.ts';
import { formatOreSwedish, parseUserAmountToOre } from '../../formats/money.ts';
import { stockholmDateTime } from '../../formats/stockholm.ts';
import { FileRecordLog } from '../append-log.ts';
import { InvoicingApiError, InvoicingUnreachable } from './connection.ts';
import { BureauError, BureauProgram, type BureauRecord } from './program.ts';
import { dataFile, httpUrl } from '../../cli/option-values.ts';

interface Global {
  data: string;
  url?: string;
  json?: boolean;
}

type Options = Record<string, string | boolean | undefined>;

const kr = (ore: number) => `${formatOreSwedish(ore)} kr`;
const str = (o: Options, k: string): string | undefined => (typeof o[k] === 'string' ? o[k] : undefined);

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ')).join('\n');
}

function ore(text: string | undefined, what: string): number {
  const parsed = parseUserAmountToOre(text ?? '');
  if (!parsed.ok) throw new CliError(`${what} "${text ?? ''}" is not an amount like 1250,00`);
  return parsed.ore;
}

async function open(g: Global): Promise<BureauProgram> {
  const program = await BureauProgram.open({ log: new FileRecordLog<BureauRecord>(g.data), ...(g.url ? { baseUrl: g.url } : {}), connection: { onWait: (w) => { if (!g.json && process.stderr.isTTY) process.stderr.write(`\nwaiting ${Math.round(w.ms / 100) / 10} s (${w.reason}, attempt ${w.attempt})\n`); } } });
  if (!program.collaborationId) throw new CliError(`${g.data} follows no collaboration yet: run \`sandbank bureau init --url … --key … --collaboration …\` first`);
  return program;
}

function run(action: (g: Global, o: Options, ...positional: string[]) => Promise<{ json: unknown; text: string } | undefined>) {
  return async (...args: unknown[]) => {
    const command = args[args.length - 1] as Command;
    const options = args[args.length - 2] as Options;
    const g = command.optsWithGlobals() as Global & Options;
    // An optional argument left out arrives as undefined (read-bgmax --from-bank has no FILE).
    const positional = args.slice(0, -2).flatMap((a) => (a === undefined ? [] : Array.isArray(a) ? a.map(String) : [String(a)]));
    try {
      const out = await action(g, options, ...positional);
      if (out) console.log(g.json ? JSON.stringify(out.json, null, 2) : out.text);
    } catch (error) {
      if (error instanceof BureauError || error instanceof InvoicingApiError || error instanceof InvoicingUnreachable) throw new CliError(error.message);
      throw error;
    }
  };
}

export function registerBureau(program: Command): void {
  const bureau = program.command('bureau').description("the bureau's program: sync from the invoicing program, book on BAS, dunning, VAT report, documents, notes")
    .option('--data <file>', 'the bureau store for this customer (append-only log)', dataFile, '.sandbank-bureau/bureau.log')
    .option('--url <url>', 'the invoicing service, if it moved from the URL given at init', httpUrl)
    .option('--json', 'machine-readable output');

  bureau.command('init').description('follow a collaboration of the invoicing program')
    .requiredOption('--key <key>', "the bureau's API key").requiredOption('--collaboration <id>')
    .action(run(async (g, o) => {
      if (!g.url) throw new CliError('give the invoicing service with --url (e.g. sandbank bureau init --url http://127.0.0.1:4020 --key … --collaboration …)', EXIT_USAGE);
      const p = await BureauProgram.create({ log: new FileRecordLog<BureauRecord>(g.data), baseUrl: g.url, apiKey: str(o, 'key') ?? '', collaborationId: str(o, 'collaboration') ?? '' });
      await p.close();
      return { json: { collaborationId: p.collaborationId, company: p.company }, text: `following ${p.collaborationId}: ${p.company?.name} (org ${p.company?.organisationNumber}); run \`sandbank bureau sync\`` };
    }));

  bureau.command('sync').description('pull every page of the change feed and book what is new').option('--page-size <n>', 'entries per page (at most 500)', '500')
    .option('--progress', 'a progress line per page on stderr even when it is no terminal (a counter on a terminal by default)')
    .action(run(async (g, o) => {
      const p = await open(g);
      const tty = process.stderr.isTTY && !g.json;
      // A counter on a terminal; in a pipe or a log only when asked, where the result line is what belongs.
      const lines = o['progress'] === true && !tty;
      const result = await p.sync({ pageSize: Number(str(o, 'pageSize')), ...(tty || lines ? { onProgress: (x) => process.stderr.write(`${tty ? '\r' : ''}syncing ${x.done}/${x.total} changes${tty ? '' : '\n'}`) } : {}) });
      if (tty) process.stderr.write('\n');
      await p.close();
      return { json: result, text: `${result.applied} change(s) applied, ${result.vouchers} invoice(s) booked, ${result.skipped} already had${result.relisted ? ', re-listed after an expired cursor' : ''}; cursor ${result.cursor}` };
    }));

  bureau.command('status').description('what this bureau store follows, how far it has synced, and whether the collaboration still lets it sync (asks no server)')
    .action(run(async (g) => {
      const p = await open(g);
      const ended = p.ended;
      const json = { collaborationId: p.collaborationId, company: p.company, cursor: p.cursor, pending: p.pending, sync: ended ? 'stopped' : 'active', ...(ended ? { ended } : {}) };
      const text = table([
        ['collaboration', `${p.collaborationId ?? ''}  ${p.company?.name ?? ''} (org ${p.company?.organisationNumber ?? ''})`],
        ['synced to', `cursor ${p.cursor}`],
        ['to deliver', `${p.pending} change(s)`],
        ['sync', ended ? `stopped for good: the invoicing program answered ${ended.code} (${ended.detail.replace(/[.:]\s*$/, '')}); the bureau's copy stays readable here` : 'active (run `sandbank bureau sync`)'],
      ]);
      return { json, text };
    }));

  bureau.command('customers').description("the customer register (read-only copy)")
    .action(run(async (g) => {
      const p = await open(g);
      const rows = [...p.customers.values()].map((c) => ({ ...c, creditOre: p.customerCreditOre(c.id) }));
      return { json: rows, text: table([['id', 'number', 'name', 'unapplied credit'], ...rows.map((c) => [c.id, c.customerNumber, c.name, kr(c.creditOre)])]) };
    }));

  bureau.command('customer-edit').description('(refused: customers are kept in the invoicing program)').argument('<id>').option('--name <name>')
    .action(run(async (g, o, id = '') => {
      const p = await open(g);
      return p.editCustomer(id, { ...(str(o, 'name') ? { name: str(o, 'name') } : {}) });
    }));

  bureau.command('invoices').description('customer invoices with their vouchers and reminders')
    .action(run(async (g) => {
      const p = await open(g);
      const rows = [...p.invoices.values()].map((i) => ({ ...i, voucher: p.voucherOfInvoice(i.id), paidOre: p.paidOre(i.id), openOre: p.openOre(i), reminders: p.remindersOf(i.id).length }));
      return { json: rows, text: table([['number', 'customer', 'date', 'due', 'total', 'open', 'voucher', 'reminders'], ...rows.map((i) => [`${i.number}${i.kind === 'credit' ? ' (credit)' : ''}`, i.customerName, i.invoiceDate, i.dueDate, kr(i.totalOre), kr(i.openOre), i.voucher ?? '', String(i.reminders)])]) };
    }));

  bureau.command('trial-balance').description('balance per BAS account').option('--as-of <date>')
    .action(run(async (g, o) => {
      const p = await open(g);
      const rows = p.trialBalance(str(o, 'asOf'));
      return { json: rows, text: table([['account', 'name', 'balance'], ...rows.map((r) => [r.account, r.name, kr(r.balanceOre)])]) };
    }));

  bureau.command('vat-report').description("the VAT report (momsdeklaration) for a period from the ledger").requiredOption('--from <date>').requiredOption('--to <date>')
    .action(run(async (g, o) => {
      const p = await open(g);
      const r = p.vatReport(str(o, 'from') ?? '', str(o, 'to') ?? '');
      const rows = [['05', 'Momspliktig försäljning', r.box05TaxableSalesOre], ['10', 'Utgående moms 25 %', r.box10OutputVat25Ore], ['11', 'Utgående moms 12 %', r.box11OutputVat12Ore], ['12', 'Utgående moms 6 %', r.box12OutputVat6Ore], ['42', 'Momsfri försäljning', r.box42ExemptSalesOre], ['48', 'Ingående moms', r.box48InputVatOre], ['49', 'Moms att betala (−: att få tillbaka)', r.box49VatToPayOre]] as const;
      return { json: r, text: `VAT report ${r.from} – ${r.to}\n${table(rows.map(([box, name, value]) => [box, name, kr(value)]))}` };
    }));

  bureau.command('export-sie').description("SIE 4 export of the customer's books kept here (CP437, with #KSUMMA), for the accounting overview: sandbank overview upload FILE").requiredOption('--year <yyyy>').requiredOption('--out <file>')
    .action(run(async (g, o) => {
      const p = await open(g);
      const year = str(o, 'year') ?? '';
      if (!/^\d{4}$/.test(year)) throw new CliError(`--year ${year} is not a year like 2026`);
      const company = p.company ?? { name: '', organisationNumber: '' };
      const { encodeSie } = await import('../../formats/sie/sie4.ts');
      const text = p.journal.toSie(company, { start: `${year}-01-01`, end: `${year}-12-31` }, stockholmDateTime(Date.now()).slice(0, 10));
      writeFileSync(str(o, 'out') ?? '', encodeSie(text));
      const vouchers = p.journal.vouchers.filter((v) => v.date.startsWith(year)).length;
      return { json: { file: str(o, 'out'), year: Number(year), vouchers }, text: `${str(o, 'out')}: SIE 4 of ${company.name} for ${year}, ${vouchers} voucher(s); upload it with \`sandbank overview upload ${str(o, 'out')} --url … --token …\` (the customer registered there by its organisation number: \`sandbank overview companies add "${company.name}" --org ${company.organisationNumber}\`)` };
    }));

  bureau.command('dunning').description('send reminders for overdue invoices (by the clock)').option('--today <date>', "default: today's date in Sweden")
    .action(run(async (g, o) => {
      const p = await open(g);
      // The edge of the program: the real date unless the caller gives one.
      const today = str(o, 'today') ?? stockholmDateTime(Date.now()).slice(0, 10);
      const result = await p.dunning(today);
      await p.close();
      return { json: result, text: result.reminders.length === 0 ? 'No invoice needs a reminder.' : table([['invoice', 'reminder', 'due', 'open'], ...result.reminders.map((r) => [String(r.invoiceNumber), String(r.level), r.dueDate, kr(r.amountOre)])]) };
    }));

  bureau.command('documents').description("the customer's scanned documents")
    .action(run(async (g) => {
      const p = await open(g);
      const rows = [...p.documents.values()].map((d) => ({ ...d, voucher: p.voucherOfDocument(d.id) }));
      return { json: rows, text: table([['id', 'kind', 'file', 'comment', 'voucher'], ...rows.map((d) => [d.id, d.kind, d.fileName, d.comment, d.voucher ?? ''])]) };
    }));

  bureau.command('document-content').description('save a scanned document to a file').argument('<id>').requiredOption('--out <file>')
    .action(run(async (g, o, id = '') => {
      const p = await open(g);
      const content = await p.documentContent(id);
      writeFileSync(str(o, 'out') ?? '', content.bytes);
      return { json: { file: str(o, 'out'), contentType: content.contentType, bytes: content.bytes.length }, text: `${content.bytes.length} bytes (${content.contentType}) written to ${str(o, 'out')}` };
    }));

  bureau.command('register-document').description('register a scanned document as a voucher (its status goes back to the customer)').argument('<id>')
    .requiredOption('--total <kr>').requiredOption('--vat <kr>').option('--account <bas>', 'cost account', '4010').option('--date <date>', "default: the document's scan date").option('--text <text>')
    .action(run(async (g, o, id = '') => {
      const p = await open(g);
      const document = p.documents.get(id);
      const result = await p.registerDocument(id, { date: str(o, 'date') ?? document?.scannedAt.slice(0, 10) ?? '', totalOre: ore(str(o, 'total'), '--total'), vatOre: ore(str(o, 'vat'), '--vat'), costAccount: str(o, 'account') ?? '4010', text: str(o, 'text') });
      await p.close();
      return { json: result, text: `${id} registered as voucher ${result.reference}${result.pushed ? '; the customer sees it' : '; the status reaches the customer at the next sync'}` };
    }));

  bureau.command('read-bgmax').description("read incoming payments from a BgMax file or the bank's reports mailbox: match by OCR, book, push to the invoicing program")
    .argument('[file]', 'a BgMax file (Latin-1)')
    .option('--from-bank <url>', "the bank API (e.g. the simulator's) whose reports mailbox holds the BgMax files", httpUrl).option('--bank <bank>', 'swedbank or sparbanken', 'swedbank').option('--api-key <key>', 'the bank API key')
    .action(run(async (g, o, file) => {
      const p = await open(g);
      const inputs: { name: string; bytes: Uint8Array }[] = [];
      if (file) {
        const { readFileSync } = await import('node:fs');
        try {
          inputs.push({ name: file, bytes: readFileSync(file) });
        } catch {
          throw new CliError(`cannot read ${file}`);
        }
      } else if (str(o, 'fromBank')) {
        const { bgmaxFilesFromBank } = await import('./bank-bgmax.ts');
        const bank = str(o, 'bank') === 'sparbanken' ? 'sparbanken' : 'swedbank';
        for (const f of await bgmaxFilesFromBank({ baseUrl: str(o, 'fromBank') ?? '', bank, apiKey: str(o, 'apiKey') ?? '' })) inputs.push({ name: f.reportId, bytes: f.bytes });
      } else throw new CliError('give a BgMax FILE or --from-bank <url> --api-key <key>', EXIT_USAGE);
      const results = [];
      for (const input of inputs) results.push({ file: input.name, ...(await p.readBgMax(input.bytes)) });
      await p.close();
      const booked = results.reduce((n, r) => n + r.booked.length, 0);
      const unmatched = results.reduce((n, r) => n + r.unmatched.length, 0);
      const already = results.reduce((n, r) => n + r.alreadyRead, 0);
      return { json: results, text: `${inputs.length} BgMax file(s): ${booked} payment(s) booked, ${unmatched} left for manual handling (sandbank bureau unmatched), ${already} already read` };
    }));

  bureau.command('unmatched').description('incoming payments waiting for a person: unknown or malformed references, deductions')
    .action(run(async (g) => {
      const p = await open(g);
      const rows = p.unmatched();
      return { json: rows, text: rows.length === 0 ? 'Nothing waits for manual handling.' : table([['payment', 'date', 'amount', 'reference', 'why', 'payer'], ...rows.map((u) => [u.identity, u.date, kr(u.amountOre), u.reference, u.reason, u.payerName ?? ''])]) };
    }));

  bureau.command('assign').description('assign an unmatched payment to an invoice or to a customer (an unapplied credit there); a held deduction to the credit invoice it sets off or the invoice it reduces')
    .argument('<payment>', 'the payment identity from `sandbank bureau unmatched`').option('--invoice <id>', 'the invoice (or, for a deduction, the credit invoice) it goes to').option('--customer <id>', 'the customer it is an unapplied credit of')
    .action(run(async (g, o, identity = '') => {
      const invoiceId = str(o, 'invoice');
      const customerId = str(o, 'customer');
      if ((invoiceId === undefined) === (customerId === undefined)) throw new CliError('give either --invoice <id> or --customer <id> (see `sandbank bureau invoices` / `sandbank bureau customers`)', EXIT_USAGE);
      const p = await open(g);
      const settled = await p.assign(identity, invoiceId !== undefined ? { invoiceId } : { customerId: customerId ?? '' });
      await p.close();
      const invoice = settled.invoiceId ? p.invoices.get(settled.invoiceId) : undefined;
      const text = settled.amountOre < 0
        ? `${identity} (${kr(settled.amountOre)}) set off against ${invoice?.kind === 'credit' ? 'credit invoice' : 'invoice'} ${invoice?.number ?? settled.invoiceId}: open there now ${kr(invoice ? p.openOre(invoice) : 0)}`
        : settled.invoiceId ? `${identity} assigned to ${settled.invoiceId}: ${kr(settled.appliedOre)} applied${settled.unappliedOre ? `, ${kr(settled.unappliedOre)} left on the customer` : ''}`
          : `${identity} assigned to customer ${settled.customerId}: ${kr(settled.unappliedOre)} unapplied credit (customer's credit now ${kr(p.customerCreditOre(settled.customerId ?? ''))}; apply it with \`sandbank bureau apply-credit\`)`;
      return { json: settled, text };
    }));

  bureau.command('apply-credit').description("apply a customer's unapplied credit (over-payments, payments assigned to it) to one of its open invoices")
    .requiredOption('--customer <id>').requiredOption('--invoice <id>').option('--amount <kr>', 'default: as much as the credit and the invoice allow').option('--date <date>', "default: today's date in Sweden")
    .action(run(async (g, o) => {
      const p = await open(g);
      const amount = str(o, 'amount');
      const settled = await p.applyCredit(str(o, 'customer') ?? '', str(o, 'invoice') ?? '', str(o, 'date') ?? stockholmDateTime(Date.now()).slice(0, 10), amount === undefined ? undefined : ore(amount, '--amount'));
      await p.close();
      const invoice = p.invoices.get(settled.invoiceId ?? '');
      return { json: settled, text: `${kr(settled.appliedOre)} of the customer's credit applied to invoice ${invoice?.number ?? settled.invoiceId}: open there now ${kr(invoice ? p.openOre(invoice) : 0)}, credit left ${kr(p.customerCreditOre(settled.customerId ?? ''))}` };
    }));

  bureau.command('notes').description('notes and notifications from both sides (unread marked *)')
    .action(run(async (g) => {
      const p = await open(g);
      const notes = p.listNotes();
      return { json: notes, text: `${p.unreadCount()} unread\n${table([['', 'id', 'from', 'text'], ...notes.map((n) => [n.readByBureau ? ' ' : '*', n.id, n.pending ? 'bureau (sending)' : n.author, n.text])])}` };
    }));

  bureau.command('note-add').description('write a note to the customer').argument('<text>')
    .action(run(async (g, _o, text = '') => {
      const p = await open(g);
      const result = await p.addNote(text);
      await p.close();
      return { json: result, text: result.pushed ? 'note sent' : 'note queued; it is sent at the next sync' };
    }));

  bureau.command('note-read').description('mark notes read').argument('<ids...>')
    .action(run(async (g, _o, ...ids) => {
      const p = await open(g);
      await p.markRead(ids);
      await p.close();
      return { json: { read: ids, unread: p.unreadCount() }, text: `${ids.length} marked read, ${p.unreadCount()} unread` };
    }));
}
