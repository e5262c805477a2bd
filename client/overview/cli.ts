/**
 * `sandbank overview start|upload`: run the accounting overview; upload a SIE file as the
 * bureau (exit 0 when stored, 1 with the file's line numbers when refused, 2 when the
 * overview cannot be reached).
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { CliError, isFetchFailure, unreachable } from '../../cli/errors.ts';
import { parsePort } from '../../cli/port.ts';

interface Problem {
  code?: string;
  detail?: string;
  issues?: { line?: number; message: string }[];
}

interface UploadAnswer {
  companyId: string;
  years: { start: string; end: string; sieType: number; monthlySource: string | null; replaced: boolean }[];
  reconciliation: unknown[];
}

const day = (d: string) => `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}`;

/** Uploads one file; resolves when stored, throws a CliError (exit 1 refused, 2 unreachable) otherwise. */
export async function uploadSie(file: string, options: { url: string; token: string; company?: string }): Promise<void> {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    throw new CliError(`cannot read ${file}`);
  }
  const base = options.url.replace(/\/+$/, '');
  const target = options.company ? `${base}/api/v1/companies/${encodeURIComponent(options.company)}/sie` : `${base}/api/v1/sie`;
  // A line on a terminal while a large file goes up and is checked; nothing in a pipe.
  if (process.stderr.isTTY) process.stderr.write(`uploading ${file} (${Math.ceil(bytes.length / 1024)} KiB) to ${base} and waiting for its checks…\n`);
  let response: Response;
  try {
    response = await fetch(target, { method: 'POST', headers: { authorization: `Bearer ${options.token}`, 'content-type': 'application/octet-stream' }, body: bytes });
  } catch (error) {
    if (!isFetchFailure(error)) throw error;
    throw new CliError(unreachable(base, error).message.replace('`sandbank start`', '`sandbank overview start`'), 2);
  }
  const text = await response.text();
  if (response.ok) {
    const answer = JSON.parse(text) as UploadAnswer;
    for (const y of answer.years) {
      console.log(`${file}: fiscal year ${day(y.start)} – ${day(y.end)} ${y.replaced ? 'replaced' : 'stored'} for ${answer.companyId} (SIE type ${y.sieType}, months ${y.monthlySource === 'PSALDO' ? 'from #PSALDO' : y.monthlySource === 'VER' ? 'from the vouchers' : 'not in the file'})`);
    }
    if (answer.reconciliation.length > 0) console.log(`  note: ${answer.reconciliation.length} accounts where #UB/#RES differ from #IB plus the months; the overview shows them`);
    return;
  }
  let problem: Problem = {};
  try {
    problem = JSON.parse(text) as Problem;
  } catch {
    problem = { detail: `HTTP ${response.status}` };
  }
  throw new CliError(`${file} refused (${problem.code ?? response.status}): ${problem.detail ?? ''}`);
}

export function registerOverview(program: Command): void {
  const overview = program.command('overview').description('the accounting overview: the bureau uploads SIE 4, the customer sees income statement, balance sheet and charts');
  overview
    .command('start')
    .description('run the overview on 127.0.0.1 with a ready-made bureau (upload token) and customer user')
    .option('--port <port>', 'port to listen on', parsePort, 4100)
    .option('--data <dir>', 'data directory (lowdb documents)', '.sandbank-overview')
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
      });
    });
  overview
    .command('upload <file>')
    .description('upload a SIE file as the bureau; exit 0 when stored, non-zero with the SIE line numbers when refused')
    .requiredOption('--url <url>', 'the overview, e.g. http://127.0.0.1:4100')
    .requiredOption('--token <token>', "the bureau's upload token")
    .option('--company <id>', "the customer company (default: the one whose organisation number the file's #ORGNR gives)")
    .action(async (file: string, options: { url: string; token: string; company?: string }) => {
      await uploadSie(file, options);
    });
}
