/**
 * `sandbank sandboxes export <sandboxId>` and `sandbank sandboxes import <file>`: a sandbox
 * of a running server saved as one file (docs/sandbox-export.md), and such a file — a CI
 * failure's, say — recreated on another server, ready to open in its console.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { CliError, EXIT_USAGE, isFetchFailure, unreachable } from './errors.ts';
import { DEFAULT_BASE_URL } from './sample.ts';
import { firstKey, refusedKeyHint, type GivenKey } from './http.ts';
import { httpUrl } from './option-values.ts';

interface ServerOptions {
  baseUrl: string;
  operatorKey?: string;
  json?: boolean;
}

async function request(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (error) {
    if (isFetchFailure(error)) throw unreachable(new URL(url).origin, error);
    throw error;
  }
}

async function refusal(res: Response, key: GivenKey | undefined): Promise<CliError> {
  const text = await res.text();
  const hint = refusedKeyHint(res.status, key);
  try {
    const problem = JSON.parse(text) as { code?: string; detail?: string; title?: string };
    return new CliError(`${problem.detail ?? problem.title ?? `HTTP ${res.status}`} (${problem.code ?? res.status})${hint}`);
  } catch {
    return new CliError(`the server answered HTTP ${res.status}${hint}`);
  }
}

export async function exportSandbox(sandboxId: string, options: ServerOptions & { apiKey?: string; out?: string }, out: (line: string) => void = console.log): Promise<string> {
  const key = firstKey([options.apiKey, '--api-key', 'SANDBANK_API_KEY'], [options.operatorKey, '--operator-key', 'SANDBANK_OPERATOR_KEY']);
  if (!key) throw new CliError('pass --api-key (the sandbox\'s) or --operator-key, or set SANDBANK_API_KEY / SANDBANK_OPERATOR_KEY', EXIT_USAGE);
  const base = options.baseUrl.replace(/\/$/, '');
  const res = await request(`${base}/sandboxes/${encodeURIComponent(sandboxId)}/export`, { headers: { authorization: `Bearer ${key.key}` } });
  if (!res.ok) throw await refusal(res, key);
  const text = await res.text();
  const file = options.out ?? /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? `${sandboxId}.sandbank.json`;
  writeFileSync(file, text);
  out(options.json ? JSON.stringify({ file, sandboxId, bytes: Buffer.byteLength(text) }) : `exported ${sandboxId} to ${file} (${Buffer.byteLength(text)} bytes)`);
  return file;
}

export async function importSandbox(file: string, options: ServerOptions, out: (line: string) => void = console.log): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new CliError(`cannot read ${file}`, 2);
  }
  const base = options.baseUrl.replace(/\/$/, '');
  // An import creates a sandbox: a server with an operator key wants it.
  const operatorKey = firstKey([options.operatorKey, '--operator-key', 'SANDBANK_OPERATOR_KEY']);
  const res = await request(`${base}/sandboxes/import`, { method: 'POST', headers: { 'content-type': 'application/json', ...(operatorKey ? { authorization: `Bearer ${operatorKey.key}` } : {}) }, body: text });
  if (res.status !== 201) throw await refusal(res, operatorKey);
  const sandbox = (await res.json()) as { sandboxId: string; apiKey: string; bank: string; now: string; importedFrom: string; internetBankUsers: { userId: string; password: string; totpSecret: string; role: string }[] };
  if (options.json) out(JSON.stringify(sandbox));
  else {
    const admin = sandbox.internetBankUsers.find((u) => u.role === 'administrator');
    out([
      `imported ${sandbox.importedFrom} as ${sandbox.sandboxId} (${sandbox.bank}, clock ${sandbox.now})`,
      `  console            ${base}/console/  (log in with the API key)`,
      `  API key            ${sandbox.apiKey}`,
      ...(admin ? [`  internet bank      ${base}/internetbank/${sandbox.bank}/  user ${admin.userId}  password ${admin.password}  authenticator key ${admin.totpSecret}`] : []),
    ].join('\n'));
  }
  return sandbox;
}

/** Adds `export` and `import` to the `sandboxes` command (created here if it is not yet). */
export function registerSandboxTransfer(program: Command): void {
  const sandboxes = program.commands.find((c) => c.name() === 'sandboxes') ?? program.command('sandboxes').description('sandboxes of a running server');
  sandboxes.command('export').description('save a sandbox (state and history, no secrets) as one file')
    .argument('<sandboxId>', 'the sandbox, e.g. sbx_…')
    .option('--base-url <url>', 'the sandbank server', httpUrl, DEFAULT_BASE_URL)
    .option('--api-key <key>', 'the sandbox\'s API key (default: SANDBANK_API_KEY)')
    .option('--operator-key <key>', 'or the server\'s operator key (default: SANDBANK_OPERATOR_KEY)')
    .option('--out <file>', 'where to write it (default: the name the server suggests)')
    .option('--json', 'print the result as JSON')
    .action(async (sandboxId: string, options: ServerOptions & { apiKey?: string; out?: string }) => {
      await exportSandbox(sandboxId, options);
    });
  sandboxes.command('import').description('recreate an exported sandbox on a server: new id, API key and credentials, same files, payments and reports')
    .argument('<file>', 'a sandbox export (.sandbank.json)')
    .option('--base-url <url>', 'the sandbank server', httpUrl, DEFAULT_BASE_URL)
    .option('--operator-key <key>', 'the server\'s operator key, when it has one (default: SANDBANK_OPERATOR_KEY)')
    .option('--json', 'print the new sandbox as JSON')
    .action(async (file: string, options: ServerOptions) => {
      await importSandbox(file, options);
    });
}
