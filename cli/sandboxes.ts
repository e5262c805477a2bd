/**
 * `sandbank sandboxes list|show|delete|prune`: housekeeping on a running server. A sandbox's
 * own API key sees and deletes that sandbox; the operator key (`sandbank start
 * --operator-key`) every one — which is what `prune` needs after test runs.
 */
import { Command, InvalidArgumentError } from 'commander';
import { CliError, EXIT_USAGE } from './errors.ts';
import { firstKey, requestJson, type GivenKey } from './http.ts';
import { DEFAULT_BASE_URL } from './sample.ts';
import { httpUrl } from './option-values.ts';

interface Connection {
  baseUrl: string;
  apiKey?: string;
  operatorKey?: string;
  json?: boolean;
}

interface SandboxSummary {
  sandboxId: string;
  bank: string;
  now: string;
  createdAt?: string;
  openedAt?: string | null;
  default?: boolean;
  company: { name: string };
}

/** `7d`, `12h`, `30m`: the age as milliseconds. */
export function parseAge(value: string): number {
  const match = /^(\d+)([dhm])$/.exec(value);
  if (!match) throw new InvalidArgumentError('an age like 7d, 12h or 30m.');
  const unit = { d: 86_400_000, h: 3_600_000, m: 60_000 }[match[2] as 'd' | 'h' | 'm'];
  return Number(match[1]) * unit;
}

function key(connection: Connection): GivenKey {
  const chosen = firstKey([connection.operatorKey, '--operator-key', 'SANDBANK_OPERATOR_KEY'], [connection.apiKey, '--api-key', 'SANDBANK_API_KEY']);
  if (!chosen) throw new CliError('pass --operator-key (every sandbox) or --api-key (your own), or set SANDBANK_OPERATOR_KEY / SANDBANK_API_KEY', EXIT_USAGE);
  return chosen;
}

const base = (connection: Connection) => connection.baseUrl.replace(/\/$/, '');

async function list(connection: Connection): Promise<SandboxSummary[]> {
  return (await requestJson<{ sandboxes: SandboxSummary[] }>(`${base(connection)}/sandboxes`, { apiKey: key(connection) })).body.sandboxes;
}

async function remove(connection: Connection, id: string): Promise<void> {
  await requestJson(`${base(connection)}/sandboxes/${encodeURIComponent(id)}`, { method: 'DELETE', apiKey: key(connection) });
}

/** A sandbox's age on the wall clock; `openedAt` is Swedish local time, like every server time. */
function ageMs(sandbox: SandboxSummary, nowMs: number, offsetMs: number): number | undefined {
  const opened = sandbox.openedAt ?? undefined;
  if (opened === undefined) return undefined;
  return nowMs - (Date.parse(`${opened}Z`) - offsetMs);
}

/** Stockholm's offset from UTC right now, in ms (CET +1 h, CEST +2 h). */
function stockholmOffsetMs(nowMs: number): number {
  const local = new Date(nowMs).toLocaleString('sv-SE', { timeZone: 'Europe/Stockholm' }).replace(' ', 'T');
  return Date.parse(`${local}Z`) - Math.floor(nowMs / 1000) * 1000;
}

function row(s: SandboxSummary): string {
  return `${s.sandboxId}${s.default ? ' (default)' : ''}  ${s.bank.padEnd(10)}  clock ${s.now}  opened ${s.openedAt ?? '(unknown)'}  ${s.company.name}`;
}

function withConnection(command: Command): Command {
  return command
    .option('--base-url <url>', 'the sandbank server', httpUrl, DEFAULT_BASE_URL)
    .option('--operator-key <key>', 'the server\'s operator key: every sandbox (default: SANDBANK_OPERATOR_KEY)')
    .option('--api-key <key>', 'a sandbox API key: that sandbox only (default: SANDBANK_API_KEY)')
    .option('--json', 'machine-readable output');
}

export function registerSandboxes(program: Command): void {
  const sandboxes = program.command('sandboxes').description('list, show, delete and prune sandboxes on a running server');

  withConnection(sandboxes.command('list').description('the sandboxes the key can see'))
    .action(async (options: Connection) => {
      const found = await list(options);
      if (options.json) return console.log(JSON.stringify(found, null, 2));
      for (const s of found) console.log(row(s));
      console.log(`${found.length} sandbox(es)`);
    });

  withConnection(sandboxes.command('show').description('one sandbox with its credentials').argument('<id>'))
    .action(async (id: string, options: Connection) => {
      const { body } = await requestJson<Record<string, unknown>>(`${base(options)}/sandboxes/${encodeURIComponent(id)}`, { apiKey: key(options) });
      console.log(JSON.stringify(body, null, 2));
    });

  withConnection(sandboxes.command('delete').description('delete sandboxes and everything in them').argument('<ids...>'))
    .action(async (ids: string[], options: Connection) => {
      for (const id of ids) {
        await remove(options, id);
        if (!options.json) console.log(`deleted ${id}`);
      }
      if (options.json) console.log(JSON.stringify({ deleted: ids }));
    });

  withConnection(sandboxes.command('prune').description('delete sandboxes opened longer ago than --older-than')
    .requiredOption('--older-than <age>', 'e.g. 7d, 12h, 30m', parseAge)
    .option('--keep <ids>', 'comma-separated sandbox ids never to delete')
    .option('--include-default', 'also the default pair `sandbank start` made (kept otherwise)')
    .option('--dry-run', 'list what would be deleted'))
    .action(async (options: Connection & { olderThan: number; keep?: string; dryRun?: boolean; includeDefault?: boolean }) => {
      const nowMs = Date.now();
      const offset = stockholmOffsetMs(nowMs);
      const keep = new Set((options.keep ?? '').split(',').map((s) => s.trim()).filter(Boolean));
      const found = await list(options);
      // A sandbox from before openedAt was recorded counts as old.
      const old = found.filter((s) => !keep.has(s.sandboxId) && (options.includeDefault || !s.default) && (ageMs(s, nowMs, offset) ?? Number.POSITIVE_INFINITY) > options.olderThan);
      for (const [i, s] of old.entries()) {
        if (!options.dryRun) await remove(options, s.sandboxId);
        if (!options.json) console.log(`${options.dryRun ? 'would delete' : 'deleted'} ${row(s)}${old.length > 20 ? `  [${i + 1}/${old.length}]` : ''}`);
      }
      if (options.json) console.log(JSON.stringify({ [options.dryRun ? 'wouldDelete' : 'deleted']: old.map((s) => s.sandboxId), kept: found.length - old.length }));
      else console.log(`${options.dryRun ? 'would delete' : 'deleted'} ${old.length} of ${found.length} sandbox(es)`);
    });
}
