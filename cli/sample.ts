/**
 * `sandbank sample pain001|lb`: a valid payment file for a sandbox's own company, account and
 * clock (fetched from the server), or with `--invalid <mistake>` one of the classic mistakes.
 * Without a sandbox it writes a file for a fictional company: valid for `sandbank validate`,
 * but a sandbox rejects its debtor account (AC02).
 */
import { writeFileSync } from 'node:fs';
import { Command, InvalidArgumentError, Option } from 'commander';
import { isIsoDate } from '../formats/dates.ts';
import { SAMPLE_KINDS, SAMPLE_MISTAKES, sampleFileFor, type SampleKind, type SampleMistake, type SampleSandbox } from '../formats/sample-files.ts';
import { CliError } from './errors.ts';
import { firstKey, requestJson } from './http.ts';
import { httpUrl } from './option-values.ts';

/** Where the CLI finds sandbank unless told: SANDBANK_BASE_URL, else the default port. */
export const DEFAULT_BASE_URL = process.env['SANDBANK_BASE_URL'] || 'http://127.0.0.1:4010';

interface SampleCliOptions {
  sandbox?: string;
  baseUrl: string;
  apiKey?: string;
  payments: number;
  date?: string;
  seed: number;
  out?: string;
  invalid?: SampleMistake;
}

/** Stands in for a sandbox when none is named: the company of the README's examples. */
const FICTIONAL: SampleSandbox = {
  sandboxId: 'sbx_example',
  now: '2026-03-16T09:00:00',
  company: { name: 'Fjällbacka Snickeri AB', agreementId: '065565123456B001', bankgiro: '5402-9681' },
  accounts: [{ iban: 'SE9380000810596948579930', primary: true }],
};

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 100_000) throw new InvalidArgumentError('a whole number from 1 to 100000.');
  return n;
}

function isoDate(value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) throw new InvalidArgumentError('a date as YYYY-MM-DD.');
  const month = Number(value.slice(5, 7));
  if (!isIsoDate(value)) throw new InvalidArgumentError(`not a calendar date (${month < 1 || month > 12 ? `there is no month ${value.slice(5, 7)}` : `${value.slice(0, 7)} has no day ${value.slice(8)}`}).`);
  return value;
}

async function sandboxFor(options: SampleCliOptions): Promise<SampleSandbox | undefined> {
  const apiKey = firstKey([options.apiKey, '--api-key', 'SANDBANK_API_KEY']);
  if (options.sandbox === undefined && apiKey === undefined) return undefined;
  if (apiKey === undefined) throw new CliError(`--sandbox ${options.sandbox} needs its API key: --api-key sk_test_… (printed by sandbank start)`);
  const base = options.baseUrl.replace(/\/$/, '');
  if (options.sandbox !== undefined) return (await requestJson<SampleSandbox>(`${base}/sandboxes/${encodeURIComponent(options.sandbox)}`, { apiKey })).body;
  const { body } = await requestJson<{ sandboxes: SampleSandbox[] }>(`${base}/sandboxes`, { apiKey });
  const [only] = body.sandboxes;
  if (!only) throw new CliError(`no sandbox at ${base} answers to that API key`);
  return only;
}

export async function runSample(kind: SampleKind, options: SampleCliOptions, err: (line: string) => void = console.error): Promise<void> {
  const sandbox = await sandboxFor(options);
  const file = sampleFileFor(kind, sandbox ?? FICTIONAL, { payments: options.payments, seed: options.seed, ...(options.date ? { date: options.date } : {}), ...(options.invalid ? { invalid: options.invalid } : {}) });
  if (options.out) {
    writeFileSync(options.out, file.bytes);
    err(`wrote ${options.out}: ${kind === 'lb' ? 'Bankgirot LB' : 'pain.001.001.03'}, ${options.payments} payment(s) on ${file.paymentDate}${sandbox ? ` for sandbox ${sandbox.sandboxId}` : ' for a fictional company (pass --sandbox and --api-key for one you can upload)'}${options.invalid ? `, with the mistake "${options.invalid}"` : ''}`);
  } else {
    process.stdout.write(file.bytes);
  }
}

export function registerSample(program: Command): void {
  program
    .command('sample')
    .description('write a ready-to-upload payment file for a sandbox (its company, account and clock)')
    .addArgument(new Command().createArgument('<kind>', 'pain001 or lb').choices(SAMPLE_KINDS))
    .option('--sandbox <id>', 'the sandbox the file is for (with --api-key)')
    .option('--api-key <key>', "the sandbox's API key (default: SANDBANK_API_KEY)")
    .option('--base-url <url>', 'the sandbank server', httpUrl, DEFAULT_BASE_URL)
    .option('--bank <bank>', 'swedbank or sparbanken (both accept both kinds; kept for symmetry with validate)', 'swedbank')
    .option('--payments <n>', 'number of payments', positiveInteger, 3)
    .option('--date <yyyy-mm-dd>', "execution date (default: two bank days after the sandbox's today)", isoDate)
    .option('--seed <n>', 'seed for amounts and payees', positiveInteger, 1)
    .addOption(new Option('--invalid <mistake>', 'make one classic mistake instead').choices(SAMPLE_MISTAKES))
    .option('--out <file>', 'write to a file (default: stdout)')
    .action(async (kind: SampleKind, options: SampleCliOptions) => {
      await runSample(kind, options);
    });
}
