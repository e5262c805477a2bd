/**
 * `sandbank overview start|upload|companies|users`: run the accounting overview; as the
 * bureau, register customer companies and their users and upload SIE files (exit 0 when
 * stored, 1 with the file's line numbers when refused, 2 when the overview cannot be reached).
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { CliError } from '../../cli/errors.ts';
import { stopWhenLauncherExits } from '../../cli/launcher.ts';
import { parsePort } from '../../cli/port.ts';
import { DEFAULT_OVERVIEW_URL, baseOf, overviewFetch, overviewJson, problemOf, type OverviewTarget } from './api-client.ts';
import { dataDirectory, httpUrl } from '../../cli/option-values.ts';

interface UploadAnswer {
  companyId: string;
  years: { start: string; end: string; sieType: number; monthlySource: string | null; replaced: boolean }[];
  reconciliation: unknown[];
}

interface CompanyAnswer {
  id: string;
  name: string;
  organisationNumber?: string;
  years?: { start: string; end: string; sieType: number }[];
}

interface UserAnswer {
  username: string;
  name: string;
  companyId: string;
}

const day = (d: string) => `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}`;

interface TargetOptions {
  url?: string;
  token?: string;
  json?: boolean;
}

/** --url and --token, else SANDBANK_OVERVIEW_URL / SANDBANK_OVERVIEW_TOKEN, else the default port. */
function targetOf(options: TargetOptions): OverviewTarget {
  const token = options.token ?? (process.env['SANDBANK_OVERVIEW_TOKEN'] || undefined);
  if (!token) throw new CliError("give the bureau's upload token with --token (or SANDBANK_OVERVIEW_TOKEN); `sandbank overview start` prints it");
  return { url: options.url ?? (process.env['SANDBANK_OVERVIEW_URL'] || DEFAULT_OVERVIEW_URL), token };
}

function withTarget(command: Command): Command {
  return command
    .option('--url <url>', `the overview (default: SANDBANK_OVERVIEW_URL or ${DEFAULT_OVERVIEW_URL})`, httpUrl)
    .option('--token <token>', "the bureau's upload token (default: SANDBANK_OVERVIEW_TOKEN)")
    .option('--json', 'print the answer as JSON');
}

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ')).join('\n');
}

/** Uploads one file; resolves when stored, throws a CliError (exit 1 refused, 2 unreachable) otherwise. */
export async function uploadSie(file: string, options: TargetOptions & { company?: string }): Promise<void> {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    throw new CliError(`cannot read ${file}`);
  }
  const target = targetOf(options);
  const base = baseOf(target.url);
  const path = options.company ? `/api/v1/companies/${encodeURIComponent(options.company)}/sie` : '/api/v1/sie';
  // A line on a terminal while a large file goes up and is checked; nothing in a pipe.
  if (process.stderr.isTTY) process.stderr.write(`uploading ${file} (${Math.ceil(bytes.length / 1024)} KiB) to ${base} and waiting for its checks…\n`);
  const answer = await overviewFetch(target, path, { method: 'POST', body: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), contentType: 'application/octet-stream' });
  if (answer.ok) {
    const stored = JSON.parse(answer.text) as UploadAnswer;
    if (options.json) return void console.log(JSON.stringify(stored, null, 2));
    for (const y of stored.years) {
      console.log(`${file}: fiscal year ${day(y.start)} – ${day(y.end)} ${y.replaced ? 'replaced' : 'stored'} for ${stored.companyId} (SIE type ${y.sieType}, months ${y.monthlySource === 'PSALDO' ? 'from #PSALDO' : y.monthlySource === 'VER' ? 'from the vouchers' : 'not in the file'})`);
    }
    if (stored.reconciliation.length > 0) console.log(`  note: ${stored.reconciliation.length} accounts where #UB/#RES differ from #IB plus the months; the overview shows them`);
    return;
  }
  const problem = problemOf(answer);
  const hint = problem.code === 'COMPANY_NOT_IDENTIFIED' ? ' — register the customer first: sandbank overview companies add NAME --org <the file\'s #ORGNR>' : '';
  throw new CliError(`${file} refused (${problem.code ?? answer.status}): ${problem.detail ?? ''}${hint}`);
}

async function addCompany(name: string, options: TargetOptions & { org?: string; id?: string }): Promise<void> {
  const target = targetOf(options);
  const company = await overviewJson<CompanyAnswer>(target, 'POST', '/api/v1/companies', { name, ...(options.org ? { organisationNumber: options.org } : {}), ...(options.id ? { id: options.id } : {}) });
  if (options.json) return void console.log(JSON.stringify(company, null, 2));
  console.log(`company ${company.id}: ${company.name}${company.organisationNumber ? `, org ${company.organisationNumber}` : ''}`);
  console.log(company.organisationNumber
    ? `  its SIE files upload by their #ORGNR: sandbank overview upload FILE.se  (or --company ${company.id})`
    : `  upload its SIE files with --company ${company.id} (without --org the file's #ORGNR cannot pick it)`);
  console.log(`  add its users: sandbank overview users add USERNAME --company ${company.id}`);
}

async function listCompanies(options: TargetOptions): Promise<void> {
  const { companies } = await overviewJson<{ companies: CompanyAnswer[] }>(targetOf(options), 'GET', '/api/v1/companies');
  if (options.json) return void console.log(JSON.stringify(companies, null, 2));
  if (companies.length === 0) return void console.log('no companies yet: sandbank overview companies add NAME --org NNNNNN-NNNN');
  console.log(table([['id', 'name', 'org', 'fiscal years'], ...companies.map((c) => [c.id, c.name, c.organisationNumber ?? '-', (c.years ?? []).map((y) => `${day(y.start)}–${day(y.end)}`).join(', ') || 'none uploaded'])]));
}

async function addUser(username: string, options: TargetOptions & { company: string; name?: string; password?: string }): Promise<void> {
  const target = targetOf(options);
  // Without --password the user gets a random one, printed once: it is not stored readable.
  const password = options.password ?? randomBytes(12).toString('base64url');
  const user = await overviewJson<UserAnswer>(target, 'POST', `/api/v1/companies/${encodeURIComponent(options.company)}/users`, { username, name: options.name ?? username, password });
  const login = `${baseOf(target.url)}/login`;
  if (options.json) return void console.log(JSON.stringify({ ...user, login, ...(options.password ? {} : { password }) }, null, 2));
  console.log(`user ${user.username} (${user.name}) for company ${user.companyId}: log in at ${login}${options.password ? '' : `  password ${password}`}`);
}

async function listUsers(options: TargetOptions & { company: string }): Promise<void> {
  const { users } = await overviewJson<{ users: UserAnswer[] }>(targetOf(options), 'GET', `/api/v1/companies/${encodeURIComponent(options.company)}/users`);
  if (options.json) return void console.log(JSON.stringify(users, null, 2));
  if (users.length === 0) return void console.log(`no users for ${options.company} yet: sandbank overview users add USERNAME --company ${options.company}`);
  console.log(table([['username', 'name'], ...users.map((u) => [u.username, u.name])]));
}

export function registerOverview(program: Command): void {
  const overview = program.command('overview').description('the accounting overview: the bureau uploads SIE 4, the customer sees income statement, balance sheet and charts');
  overview
    .command('start')
    .description('run the overview on 127.0.0.1 with a ready-made bureau (upload token) and customer user')
    .option('--port <port>', 'port to listen on', parsePort, 4100)
    .option('--data <dir>', 'data directory (lowdb documents)', dataDirectory, '.sandbank-overview')
    .option('--memory', 'keep everything in memory')
    .option('--token <token>', 'use this upload token for the ready-made bureau (default: a new random one)')
    .option('--password <password>', "use this password for the ready-made customer user (default: a new random one)")
    .action(async (options: { port: number; data: string; memory?: boolean; token?: string; password?: string }) => {
      const { startOverviewSandbox } = await import('./main.ts');
      const running = await startOverviewSandbox({ port: options.port, data: options.data, ...(options.memory ? { memory: true } : {}), ...(options.token ? { token: options.token } : {}), ...(options.password ? { password: options.password } : {}) });
      // The action resolves only when the server is stopped, so the CLI does not exit under it.
      await new Promise<void>((resolve) => {
        const stop = () => void running.close().then(resolve);
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
        stopWhenLauncherExits(stop);
      });
    });
  withTarget(overview.command('upload <file>'))
    .description('upload a SIE file as the bureau; exit 0 when stored, 1 with the SIE line numbers when refused, 2 when the overview does not answer')
    .option('--company <id>', "the customer company (default: the one whose organisation number the file's #ORGNR gives)")
    .action((file: string, options: TargetOptions & { company?: string }) => uploadSie(file, options));

  const companies = overview.command('companies').description("the bureau's customer companies in the overview");
  withTarget(companies.command('add <name>'))
    .description('register a customer company; with --org its SIE files find it by their #ORGNR')
    .option('--org <number>', "organisation number, NNNNNN-NNNN (the #ORGNR of the company's SIE files)")
    .option('--id <id>', 'the company id (default: made from the name)')
    .action((name: string, options: TargetOptions & { org?: string; id?: string }) => addCompany(name, options));
  withTarget(companies.command('list')).description("the bureau's companies and the fiscal years uploaded for each").action((options: TargetOptions) => listCompanies(options));

  const users = overview.command('users').description("the customer's users, who log in to see one company");
  withTarget(users.command('add <username>'))
    .description('give a customer company a login (a random password is printed unless --password)')
    .requiredOption('--company <id>', 'the company the user sees')
    .option('--name <name>', 'the name shown on the pages (default: the username)')
    .option('--password <password>', 'the password, at least 8 characters (default: a new random one, printed)')
    .action((username: string, options: TargetOptions & { company: string; name?: string; password?: string }) => addUser(username, options));
  withTarget(users.command('list')).description("a company's users").requiredOption('--company <id>', 'the company').action((options: TargetOptions & { company: string }) => listUsers(options));
}
