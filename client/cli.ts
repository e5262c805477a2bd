/**
 * `sandbank client …` — the reference client for people and scripts: tables by default,
 * `--json` for scripts, a progress line on long syncs. State lives in one lowdb file per
 * company (`--data`, default .sandbank-client/company.json).
 */
import { Option, type Command } from 'commander';
import { bankgiroNumber, clearingAndAccount, dataFile, httpUrl, organisationNumber, plusgiroNumber } from '../cli/option-values.ts';
import { addDays } from '../formats/calendar.ts';
import { isIsoDate } from '../formats/dates.ts';
import { formatOreSwedish, parseUserAmountToOre } from '../formats/money.ts';
import { AccountingCompany, ClientError, STATUS_WORDS, type PurchaseInvoice } from './purchasing/company.ts';
import { LowdbClientStore } from './storage.ts';
import { BankConnection, BankError, BankUnreachable } from './bank/connection.ts';
import { sandboxClock } from './sandbox-clock.ts';

interface Global {
  data: string;
  json?: boolean;
}

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ')).join('\n');
}

const kr = (ore: number) => `${formatOreSwedish(ore)} kr`;

function invoiceRow(company: AccountingCompany, i: PurchaseInvoice): string[] {
  const supplier = company.snapshot.suppliers.find((s) => s.id === i.supplierId);
  return [i.id, supplier?.name ?? '', i.invoiceNumber, i.dueDate, i.paymentDate ?? '', kr(i.totalOre), STATUS_WORDS[i.state], i.reason ? `${i.reason.text} (${i.reason.code})` : ''];
}

function invoiceJson(i: PurchaseInvoice) {
  return { ...i, status: STATUS_WORDS[i.state] };
}

async function open(global: Global): Promise<AccountingCompany> {
  const store = new LowdbClientStore(global.data);
  const bank = (await store.load())?.bank;
  const sandboxId = bank?.sandboxId;
  return AccountingCompany.open({ store, ...(bank && sandboxId ? { today: sandboxClock({ ...bank, sandboxId }) } : {}) });
}

type Options = Record<string, string | boolean | undefined>;

/** `YYYY-MM-DD` as given, or `+10d`: days after the company's today (the sandbox clock when connected to one). */
async function dateArg(company: AccountingCompany, value: string): Promise<string> {
  const relative = /^\+(\d{1,4})d$/.exec(value.trim());
  if (relative) return addDays(await company.today(), Number(relative[1]));
  if (!isIsoDate(value.trim())) throw new ClientError('INVALID', `"${value}" is not a date: give YYYY-MM-DD (a real day) or +Nd (N days from today)`);
  return value.trim();
}

/** A string option's value ('' when absent or a flag). */
const str = (o: Options, key: string): string => (typeof o[key] === 'string' ? (o[key] as string) : '');
const list = (o: Options, key: string): string[] => (str(o, key) === '' ? [] : str(o, key).split(',').map((s) => s.trim()));

/** commander calls an action with (positional…, options, command); errors become exit code 1. */
function run(action: (global: Global, options: Options, ...positional: string[]) => Promise<unknown>) {
  return async (...args: unknown[]) => {
    const command = args[args.length - 1] as Command;
    const options = args[args.length - 2] as Options;
    const global = command.optsWithGlobals() as Global & Options;
    const positional = args.slice(0, -2).flatMap((a) => (Array.isArray(a) ? a.map(String) : [String(a)]));
    try {
      const result = await action(global, options, ...positional);
      if (global.json && result !== undefined) console.log(JSON.stringify(result, null, 2));
    } catch (error) {
      if (error instanceof ClientError || error instanceof BankError || error instanceof BankUnreachable) {
        console.error(`error: ${error.message}`);
        process.exitCode = 1;
        return;
      }
      throw error;
    }
  };
}

export function registerClient(program: Command): void {
  const client = program.command('client').description('the reference accounting client: invoices → payment proposal → Send / Send and sign → statuses')
    .option('--data <file>', 'the company file (lowdb)', dataFile, '.sandbank-client/company.json')
    .option('--json', 'machine-readable output');

  client.command('init').description('create the company and connect it to a bank (a sandbox or a partner bank)')
    .requiredOption('--base-url <url>', 'bank API base URL, e.g. http://127.0.0.1:4010', httpUrl)
    .addOption(new Option('--bank <bank>', 'swedbank or sparbanken').choices(['swedbank', 'sparbanken']).makeOptionMandatory())
    .requiredOption('--api-key <key>', 'API key')
    .option('--sandbox-id <id>', 'sandbox id (the client then follows the sandbox clock)')
    .requiredOption('--company <name>', 'company name')
    .requiredOption('--org <number>', 'organisation number, NNNNNN-NNNN (10 digits, the last a check digit)', organisationNumber)
    .option('--admin <email>', 'administrator user', 'admin@example.se')
    .option('--admin-name <name>', 'administrator name', 'Administratör')
    .option('--send-each-when-posted', 'send each invoice to the bank when it is posted')
    .action(run(async (g, o) => {
      const bank = o['bank'] === 'sparbanken' ? 'sparbanken' : 'swedbank';
      // "Connected" only once the bank has accepted the key.
      try {
        await new BankConnection({ baseUrl: String(o['baseUrl']), bank, apiKey: String(o['apiKey']), attempts: 1 }).accounts();
      } catch (error) {
        if (error instanceof BankError && (error.status === 401 || error.status === 403)) throw new ClientError('INVALID', `${o['baseUrl']} refused the API key for ${bank} (${error.status} ${error.code}): check --api-key`);
        throw error;
      }
      const company = await AccountingCompany.create({
        name: String(o['company']), organisationNumber: String(o['org']).replace(/\D/g, ''),
        bank: { baseUrl: String(o['baseUrl']), bank, apiKey: String(o['apiKey']), ...(o['sandboxId'] ? { sandboxId: String(o['sandboxId']) } : {}) },
        sendEachWhenPosted: o['sendEachWhenPosted'] === true,
      }, { store: new LowdbClientStore(g.data) });
      await company.addUser(String(o['admin']), String(o['adminName']), 'administrator');
      const enrolment = await company.enrolTwoStep(String(o['admin']));
      if (!g.json) {
        console.log(`Company ${o['company']} connected to ${bank} at ${o['baseUrl']}.`);
        console.log(`Administrator ${o['admin']}: add this key to your authenticator app for Send and sign:\n  ${enrolment.secret}\n  ${enrolment.uri}`);
      }
      return { company: o['company'], administrator: o['admin'], totpSecret: enrolment.secret, otpauthUri: enrolment.uri };
    }));

  client.command('user-add').description('add a user').argument('<email>').argument('<name>').option('--admin', 'administrator')
    .action(run(async (g, o, email = '', name = '') => {
      const company = await open(g);
      const admin = o['admin'] === true;
      await company.addUser(email, name, admin ? 'administrator' : 'user');
      const enrolment = await company.enrolTwoStep(email);
      if (!g.json) console.log(`${email} (${admin ? 'administrator' : 'user'}) — authenticator key ${enrolment.secret}`);
      return { email, role: admin ? 'administrator' : 'user', totpSecret: enrolment.secret, otpauthUri: enrolment.uri };
    }));

  client.command('supplier-add').description('add a supplier with a bankgiro, plusgiro or bank account')
    .argument('<name>')
    .option('--bankgiro <number>', 'e.g. 5402-9681', bankgiroNumber).option('--plusgiro <number>', 'e.g. 41 78 03-2', plusgiroNumber).option('--account <clearing,account>', 'e.g. 8105-9,694857993-0', clearingAndAccount)
    .action(run(async (g, o, name = '') => {
      const company = await open(g);
      const account = list(o, 'account');
      const payee = str(o, 'bankgiro') ? { kind: 'bankgiro' as const, number: str(o, 'bankgiro') } : str(o, 'plusgiro') ? { kind: 'plusgiro' as const, number: str(o, 'plusgiro') } : account.length === 2 ? { kind: 'account' as const, clearing: account[0] ?? '', account: account[1] ?? '' } : undefined;
      if (!payee) throw new ClientError('INVALID', 'give --bankgiro, --plusgiro or --account clearing,account');
      const supplier = await company.addSupplier(name, payee);
      if (!g.json) console.log(`${supplier.id}  ${supplier.name}`);
      return supplier;
    }));

  client.command('invoice-add').description('register a purchase invoice')
    .requiredOption('--supplier <id>').requiredOption('--number <invoice number>').requiredOption('--amount <kr>', 'total incl. VAT, e.g. 12500,00')
    .option('--vat <kr>', 'VAT part (default 20 % of the total, i.e. 25 % on the net)').requiredOption('--due <date>', 'YYYY-MM-DD, or +10d: days after today')
    .option('--date <date>', 'invoice date (default: the due date)').option('--ocr <reference>').option('--message <text>').option('--post', 'post it to the ledger right away')
    .action(run(async (g, o) => {
      const amount = parseUserAmountToOre(String(o['amount']));
      const vat = o['vat'] === undefined ? undefined : parseUserAmountToOre(String(o['vat']));
      if (!amount.ok || (vat !== undefined && !vat.ok)) throw new ClientError('INVALID', 'amounts are like 12500,00 or 12 500.00');
      const company = await open(g);
      const due = await dateArg(company, String(o['due']));
      const invoice = await company.registerInvoice({
        supplierId: String(o['supplier']), invoiceNumber: String(o['number']), invoiceDate: o['date'] === undefined ? due : await dateArg(company, String(o['date'])), dueDate: due, totalOre: amount.ore,
        ...(vat?.ok ? { vatOre: vat.ore } : {}), ...(o['ocr'] ? { ocr: String(o['ocr']) } : {}), ...(o['message'] ? { message: String(o['message']) } : {}),
      });
      if (o['post']) await company.postInvoice(invoice.id);
      if (!g.json) console.log(`${invoice.id}  ${STATUS_WORDS[company.invoice(invoice.id).state]}`);
      return invoiceJson(company.invoice(invoice.id));
    }));

  client.command('invoice-post').description('post invoices to the ledger').argument('<ids...>')
    .action(run(async (g, _o, ...ids) => {
            const company = await open(g);
      for (const id of ids) await company.postInvoice(id);
      if (!g.json) console.log(ids.map((id) => `${id}  ${STATUS_WORDS[company.invoice(id).state]}`).join('\n'));
      return ids.map((id) => invoiceJson(company.invoice(id)));
    }));

  client.command('proposal').description('the ready-for-payment proposal; deselect invoices or change a payment date')
    .option('--deselect <ids>', 'comma-separated').option('--select <ids>', 'comma-separated').option('--date <changes>', 'change payment dates: INV-2=2026-04-02 or INV-2=+14d[,INV-3=…]')
    .action(run(async (g, o) => {
      const company = await open(g);
      for (const id of list(o, 'deselect')) await company.select(id, false);
      for (const id of list(o, 'select')) await company.select(id, true);
      for (const pair of list(o, 'date')) {
        const [id = '', date = ''] = pair.split('=');
        await company.setPaymentDate(id.trim(), await dateArg(company, date));
      }
      const proposal = await company.proposal();
      if (!g.json) {
        console.log(proposal.length === 0 ? 'No invoices are ready for payment.' : `${proposal.length} invoice(s) ready for payment:`);
        if (proposal.length > 0) console.log(table([['', 'invoice', 'supplier', 'due', 'pay on', 'amount'], ...proposal.map((p) => [p.selected ? '[x]' : '[ ]', p.id, company.snapshot.suppliers.find((s) => s.id === p.supplierId)?.name ?? '', p.dueDate, p.proposedDate, kr(p.totalOre)])]));
      }
      return proposal;
    }));

  client.command('send').description('Send the selected invoices (or Send and sign with --sign)')
    .option('--sign', 'Send and sign (administrators with two-step verification)').option('--user <email>', 'the signing administrator').option('--code <code>', '6-digit code from the authenticator app')
    .option('--invoices <ids>', 'comma-separated (default: the selected proposal)')
    .action(run(async (g, o) => {
      const company = await open(g);
      const admin = String(o['user'] ?? company.snapshot.users.find((u) => u.role === 'administrator')?.id ?? '');
      if (o['sign'] && !o['code']) throw new ClientError('INVALID', '--sign needs --code (the 6-digit code from your authenticator app)');
      // A line per step on a terminal (a large file takes a while to upload); nothing in a pipe.
      const onStep = process.stderr.isTTY && !g.json ? (step: string) => process.stderr.write(`${step}…\n`) : undefined;
      const result = await company.send({
        ...(onStep ? { onStep } : {}),
        ...(o['invoices'] ? { invoiceIds: String(o['invoices']).split(',').map((s) => s.trim()) } : {}),
        ...(o['sign'] ? { sign: { userId: admin, code: String(o['code']) } } : {}),
      });
      if (!g.json) {
        console.log(`Sent ${result.invoices.length} invoice(s) in payment file ${result.fileId}${result.signed ? ', signed' : ''}.`);
        console.log(table(result.invoices.map((id) => [id, STATUS_WORDS[company.invoice(id).state]])));
        if (!result.signed) console.log('Sign the file in your internet bank when the status is "Received by bank".');
      }
      return { ...result, invoices: result.invoices.map((id) => invoiceJson(company.invoice(id))) };
    }));

  client.command('sync').description("pull the bank's reports and update statuses")
    .action(run(async (g, o) => {
      const company = await open(g);
      const progress = process.stderr.isTTY && !g.json ? (done: number, total: number) => process.stderr.write(`\rsyncing reports ${done}/${total}`) : undefined;
      const result = await company.sync(progress);
      if (progress) process.stderr.write('\n');
      if (!g.json) console.log(`${result.reports} new report(s) read.`);
      return result;
    }));

  client.command('status').description('invoices and their statuses').option('--no-sync', 'do not pull reports first')
    .action(run(async (g, o) => {
      const company = await open(g);
      if (o['sync'] !== false) await company.sync();
      const invoices = company.snapshot.invoices;
      if (!g.json) console.log(table([['invoice', 'supplier', 'number', 'due', 'pay on', 'amount', 'status', 'reason'], ...invoices.map((i) => invoiceRow(company, i))]));
      return invoices.map(invoiceJson);
    }));

  client.command('future').description('Show future payments, with the primary account balance')
    .action(run(async (g, o) => {
      const company = await open(g);
      await company.sync();
      const future = await company.futurePayments();
      if (!g.json) {
        console.log(`Balance of the primary account: ${kr(future.primaryBalanceOre)} (available ${kr(future.primaryAvailableOre)})`);
        console.log(future.invoices.length === 0 ? 'No future payments.' : table([['invoice', 'supplier', 'number', 'due', 'pay on', 'amount', 'status', ''], ...future.invoices.map((i) => invoiceRow(company, i))]));
      }
      return { primaryBalanceOre: future.primaryBalanceOre, primaryAvailableOre: future.primaryAvailableOre, invoices: future.invoices.map(invoiceJson) };
    }));

  client.command('cancel').description('Send a request to cancel a sent payment').argument('<invoice id>')
    .action(run(async (g, _o, id = '') => {
      const company = await open(g);
      const invoice = await company.requestCancellation(id);
      if (!g.json) console.log(`${id}  ${STATUS_WORDS[invoice.state]}`);
      return invoiceJson(invoice);
    }));

  client.command('trial-balance').description('the ledger: balance per BAS account').option('--as-of <date>')
    .action(run(async (g, o) => {
      const company = await open(g);
      const rows = company.trialBalance(str(o, 'asOf') || undefined);
      if (!g.json) console.log(table([['account', 'name', 'balance'], ...rows.map((r) => [r.account, r.name, kr(r.balanceOre)])]));
      return rows;
    }));

  client.command('export-sie').description('SIE 4 export of the ledger (CP437) to stdout or a file').requiredOption('--year <yyyy>').option('--out <file>')
    .action(run(async (g, o) => {
      const company = await open(g);
      const text = await company.exportSie(Number(o['year']));
      const { encodeSie } = await import('../formats/sie/sie4.ts');
      if (o['out']) {
        const { writeFileSync } = await import('node:fs');
        writeFileSync(String(o['out']), encodeSie(text));
        if (!g.json) console.log(`SIE 4 written to ${o['out']}`);
        return { file: o['out'] };
      }
      process.stdout.write(Buffer.from(encodeSie(text)));
      return undefined;
    }));
}
