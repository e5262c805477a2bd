/**
 * `sandbank collaboration activate|change-recipient|add-user|terminate|show`: the
 * collaboration's lifecycle through the invoicing program's API (`sandbank invoicing start`).
 * The bureau's key activates, changes the invoice recipient and terminates; the customer's
 * key adds users (buying a licence with --buy) and may terminate too (--as customer).
 */
import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import { CliError, EXIT_USAGE, isFetchFailure, unreachable } from '../../cli/errors.ts';
import { formatOreSwedish, parseUserAmountToOre } from '../../formats/money.ts';
import { httpUrl } from '../../cli/option-values.ts';

interface Global {
  url: string;
  key?: string;
  json?: boolean;
}

interface View {
  collaborationId: string;
  state: string;
  period: string;
  start: string;
  licences: number;
  users: { username: string; kind: string }[];
  recipientNow: string;
  nextPeriodStart: string;
  recipients: { from: string; recipient: string }[];
  nextInvoiceNumber?: number;
  termination?: { at: string; mode: string };
  billing: { from: string; to: string; recipient: string; endUsers: number; orePerUserMonth: number; months: number; amountOre: number }[];
  audit: { at: string; who: string; action: string; detail: string }[];
}

async function api(global: Global, method: 'GET' | 'POST', path: string, body?: unknown): Promise<View> {
  const key = global.key ?? process.env['SANDBANK_INVOICING_KEY'];
  if (!key) throw new CliError('give the API key with --key (the bureau\'s, or the company\'s for add-user), or set SANDBANK_INVOICING_KEY', EXIT_USAGE);
  const base = global.url.replace(/\/+$/, '');
  let response: Response;
  try {
    response = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json', 'idempotency-key': randomUUID() }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch (error) {
    if (!isFetchFailure(error)) throw error;
    throw new CliError(unreachable(base, error).message.replace('`sandbank start`', '`sandbank invoicing start`'), 2);
  }
  const text = await response.text();
  const value = (text === '' ? {} : JSON.parse(text)) as View & { code?: string; detail?: string };
  if (!response.ok) throw new CliError(`${value.code ?? response.status}: ${value.detail ?? text}`);
  return value;
}

const kr = (ore: number) => `${formatOreSwedish(ore)} kr`;

function describe(view: View): string {
  const endUsers = view.users.filter((u) => u.kind === 'end-user').length;
  const lines = [
    `collaboration ${view.collaborationId}: ${view.state}${view.termination ? ` (terminated ${view.termination.at}, ${view.termination.mode})` : ''}`,
    `  contract       ${view.period} from ${view.start}; next period starts ${view.nextPeriodStart}`,
    `  invoiced to    the ${view.recipientNow} now${view.recipients.length > 1 ? `; ${view.recipients.slice(1).map((r) => `the ${r.recipient} from ${r.from}`).join(', ')}` : ''}`,
    `  end users      ${endUsers} of ${view.licences} licences${view.users.some((u) => u.kind === 'bureau-staff') ? ` (+ ${view.users.filter((u) => u.kind === 'bureau-staff').length} bureau staff, not counted)` : ''}`,
    ...(view.nextInvoiceNumber === undefined ? [] : [`  next invoice   ${view.nextInvoiceNumber}`]),
    '  billing',
    ...view.billing.map((p) => `    ${p.from} – ${p.to}  ${p.recipient.padEnd(8)}  ${p.endUsers} × ${kr(p.orePerUserMonth)} × ${p.months} months = ${kr(p.amountOre)}`),
    '  audit',
    ...view.audit.map((a) => `    ${a.at}  ${a.who}: ${a.action} — ${a.detail}`),
  ];
  return lines.join('\n');
}

function ore(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const parsed = parseUserAmountToOre(text);
  if (!parsed.ok) throw new CliError(`${flag} "${text}" is not an amount in kronor (e.g. 109,00)`);
  return parsed.ore;
}

export function registerCollaboration(program: Command): void {
  const c = program
    .command('collaboration')
    .description("a bureau collaboration's lifecycle: activate, invoice recipient, users and licences, termination")
    .option('--url <url>', 'the invoicing program', httpUrl, process.env['SANDBANK_INVOICING_URL'] ?? 'http://127.0.0.1:4020')
    .option('--key <key>', "the bureau's API key (the company's for add-user, and for --as customer)")
    .option('--json', 'print the lifecycle as JSON');
  const out = (view: View) => console.log(c.opts<Global>().json ? JSON.stringify(view, null, 2) : describe(view));
  const bureauPath = (id: string) => `/v1/collaborations/${encodeURIComponent(id)}/lifecycle`;
  const companyPath = (id: string) => `/v1/company/collaborations/${encodeURIComponent(id)}`;

  c.command('activate <collaboration>')
    .description('start the contract: invoice recipient and period (quarterly 109 SEK or yearly 99 SEK per end user and month unless priced)')
    .requiredOption('--recipient <who>', 'bureau | customer')
    .requiredOption('--period <period>', 'quarterly | yearly')
    .option('--licences <n>', 'end users covered from the start', '1')
    .option('--next-invoice-number <n>', "the customer's next invoice number, when moving from a previous program")
    .option('--price-quarterly <kr>', 'SEK per end user and month, quarterly contract')
    .option('--price-yearly <kr>', 'SEK per end user and month, yearly contract')
    .action(async (id: string, o: { recipient: string; period: string; licences: string; nextInvoiceNumber?: string; priceQuarterly?: string; priceYearly?: string }) => {
      const q = ore(o.priceQuarterly, '--price-quarterly');
      const y = ore(o.priceYearly, '--price-yearly');
      out(await api(c.opts<Global>(), 'POST', `${bureauPath(id)}/activation`, {
        recipient: o.recipient, period: o.period, licences: Number(o.licences),
        ...(o.nextInvoiceNumber ? { nextInvoiceNumber: Number(o.nextInvoiceNumber) } : {}),
        ...(q === undefined ? {} : { quarterlyOrePerUserMonth: q }), ...(y === undefined ? {} : { yearlyOrePerUserMonth: y }),
      }));
    });
  c.command('change-recipient <collaboration>')
    .description('invoice the other party from the next contract period (never before)')
    .requiredOption('--recipient <who>', 'bureau | customer')
    .action(async (id: string, o: { recipient: string }) => out(await api(c.opts<Global>(), 'POST', `${bureauPath(id)}/recipient`, { recipient: o.recipient })));
  c.command('add-user <collaboration>')
    .description("add a user as the customer's administrator (company key); one end user beyond the licences is refused")
    .requiredOption('--username <name>', 'the login')
    .option('--name <name>', 'full name')
    .option('--staff', "one of the bureau's staff (not counted in the licences)")
    .option('--buy', 'buy one more end-user licence first')
    .action(async (id: string, o: { username: string; name?: string; staff?: boolean; buy?: boolean }) => {
      if (o.buy) await api(c.opts<Global>(), 'POST', `${companyPath(id)}/licences`, { count: 1 });
      out(await api(c.opts<Global>(), 'POST', `${companyPath(id)}/users`, { username: o.username, name: o.name ?? o.username, kind: o.staff ? 'bureau-staff' : 'end-user' }));
    });
  c.command('terminate <collaboration>')
    .description('end the collaboration: the customer continues standalone, or keeps read-only access')
    .requiredOption('--mode <mode>', 'standalone | read-only')
    .option('--as <who>', 'bureau (default) or customer: whose key --key is', 'bureau')
    .action(async (id: string, o: { mode: string; as: string }) => out(await api(c.opts<Global>(), 'POST', o.as === 'customer' ? `${companyPath(id)}/termination` : `${bureauPath(id)}/termination`, { mode: o.mode })));
  c.command('show <collaboration>')
    .description('contract, invoice recipient per period, licences, the service\'s billing and the audit trail')
    .option('--as <who>', 'bureau (default) or customer: whose key --key is', 'bureau')
    .action(async (id: string, o: { as: string }) => out(await api(c.opts<Global>(), 'GET', o.as === 'customer' ? `${companyPath(id)}/lifecycle` : bureauPath(id))));
}
