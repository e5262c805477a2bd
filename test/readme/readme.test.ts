/**
 * The README's command blocks, run as written, the way a reader runs them: one after the other
 * in one shell session (variables, background services and files carry over from block to
 * block), in one directory with `../shared` beside it, against `sandbank start` on the port
 * the README names (4010). The blocks' own services (`invoicing start --port 4020`, `overview
 * start --port 4100`) start where the blocks say. A port already taken fails the test with
 * that reason: the README is never quietly pointed elsewhere.
 *
 * What a reader substitutes is substituted: `npx sandbank` is the checkout's binary (an `npx`
 * first on PATH), `sbx_…` / `sk_test_…` are the Swedbank sandbox of the start-up output (the
 * server is started afresh for each block that takes values from it, as a reader who starts
 * it for that section sees; with --operator-key only for the blocks that use `$OPERATOR_KEY`,
 * like a reader's plain `npm start` otherwise), `$OPERATOR_KEY` is set, and `CODE=123456` is the authenticator's
 * code. The msw ```ts block runs through tsx. A block that is not run is on ALLOWLIST below
 * with the reason, so a new block fails this test until someone decides.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../support/cli.ts';
import { logIn } from '../support/overview.ts';

interface Block {
  lang: string;
  line: number;
  text: string;
}

function blocks(markdown: string): Block[] {
  const found: Block[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\w+)$/.exec(lines[i] ?? '');
    if (!open) continue;
    const start = i;
    const body: string[] = [];
    while (++i < lines.length && lines[i] !== '```') body.push(lines[i] ?? '');
    found.push({ lang: open[1] ?? '', line: start + 1, text: body.join('\n') });
  }
  return found.filter((b) => b.lang === 'sh' || b.lang === 'ts');
}

/** Blocks not run, by their first line, with the reason (reviewed): each needs what this machine cannot give, or would run for minutes what npm test already runs. */
const ALLOWLIST: Record<string, string> = {
  'npm install': 'the development loop itself: CI runs npm ci && npm test (running npm test inside npm test would recurse; npm start would not return)',
  'npm install --save-dev sandbank': 'installs the published package from the registry into a project of your own; test/package (npm run test:package, in CI) does the same from the packed tarball',
  'npx sandbank contracts verify --provider-base-url https://bank.example/api --bank swedbank \\': "a partner bank's own URL and token; the same command against sandbank start is test/cli/contracts.test.ts and test/package",
  "import { given, scenario, then, when } from '../dsl.ts';": 'not a command: the shape of a scenario file (relative import from scenarios/catalog/); the catalogue runs in npm test',
  'npx sandbank sandboxes export sbx_… --base-url http://ci-host:4010 --api-key sk_test_… --out failed.sandbank.json': 'a CI host named ci-host and a laptop; the same commands through the real binary between two servers are test/cli/sandboxes-transfer.test.ts',
  'npx sandbank start --store postgres://sandbank:secret@db.internal:5432/sandbank': "a PostgreSQL server of the reader's own (db.internal); the same flag against a real PostgreSQL is test/simulator/postgres-http.test.ts and .ci/run's scenario run",
  'npx sandbank start --host 0.0.0.0 --port 4010 --operator-key "$OPERATOR_KEY" --store "$DATABASE_URL"   # host A': "two hosts and a load balancer of the reader's own; two servers on one database behind a round-robin balancer are test/simulator/multi-instance.test.ts and .ci/run's catalogue run",
};

/** The ports the README's blocks use, and what listens there. */
const PORTS: [number, string][] = [
  [4010, '`sandbank start` (the README’s bank server)'],
  [4020, "`sandbank invoicing start --port 4020` (the bureau walkthrough)"],
  [4100, '`sandbank overview start --port 4100` (the accounting overview)'],
];
/**
 * On a machine where a person already runs the README's services, SANDBANK_README_PORT_SHIFT=N
 * moves all of them N ports up, said out loud and only when asked (CI never sets it).
 */
const SHIFT = Number(process.env['SANDBANK_README_PORT_SHIFT'] ?? '0') || 0;
const BANK_PORT = 4010 + SHIFT;
const OVERVIEW_URL = `http://127.0.0.1:${4100 + SHIFT}`;
if (SHIFT !== 0) console.log(`README test: SANDBANK_README_PORT_SHIFT=${SHIFT} moves the README's ports ${PORTS.map(([p]) => `${p}→${p + SHIFT}`).join(', ')}`);
const shifted = (text: string) => SHIFT === 0 ? text : text.replace(/(:|--port )(4010|4020|4100)\b/g, (_m, before: string, port: string) => `${before}${Number(port) + SHIFT}`);

const OPERATOR = 'op_readme_0000000000';
const BIN = join(ROOT, 'bin/sandbank.mjs');

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

interface Bank {
  banner: string;
  operator: boolean;
  stop(): Promise<void>;
}

/** `sandbank start` on the README's port; with --operator-key only for the blocks that use one (such a server creates sandboxes only for its operator). */
async function startBank(cwd: string, operator: boolean): Promise<Bank> {
  const child = spawn(process.execPath, [BIN, 'start', '--memory', '--port', String(BANK_PORT), ...(operator ? ['--operator-key', OPERATOR] : [])], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let banner = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`sandbank start printed no banner: ${banner}`)), 60_000);
    child.stderr.on('data', (chunk: Buffer) => (banner += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      banner += chunk.toString();
      if (banner.includes('Press Ctrl+C')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`sandbank start --port ${BANK_PORT} exited ${code}: ${banner}`)));
  });
  return {
    banner,
    operator,
    stop: () => new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    }),
  };
}

/** The environment of a reader's fresh terminal: none of the variables the blocks set themselves. */
function readerEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of Object.keys(env)) if (/^SANDBANK_/.test(name) || name === 'CODE' || name === 'KEY' || name === 'SANDBOX') delete env[name];
  return { ...env, ...extra };
}

/** One bash session that runs blocks in turn; it ends when a block fails (set -e), as a script would. */
class Session {
  private readonly child: ChildProcess;
  private output = '';
  private ended: number | null | undefined;
  private waiting: (() => void) | undefined;
  private done = 0;

  constructor(readonly cwd: string) {
    // `npx sandbank` is this checkout's binary, any other npx is npx: a program first on PATH
    // that execs node, so `npx sandbank … &` then `kill %1` / `kill $!` stops the service itself.
    const shims = join(cwd, '..', 'bin');
    mkdirSync(shims, { recursive: true });
    const realNpx = spawnSync('sh', ['-c', 'command -v npx'], { encoding: 'utf8' }).stdout.trim() || 'npx';
    writeFileSync(join(shims, 'npx'), `#!/bin/sh\nif [ "$1" = sandbank ]; then shift; exec '${process.execPath}' '${BIN}' "$@"; fi\nexec '${realNpx}' "$@"\n`, { mode: 0o755 });
    const driver = [
      'set -euo pipefail',
      'while IFS= read -r -u 3 block; do source "$block"; echo done >&4; done',
    ].join('\n');
    // Its own process group, so the services the blocks leave running end with the session.
    this.child = spawn('bash', ['--noprofile', '--norc', '-c', driver], {
      cwd,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe', 'pipe', 'pipe'],
      env: readerEnv({ PATH: `${shims}:${process.env['PATH'] ?? ''}`, NO_COLOR: '1', OPERATOR_KEY: OPERATOR, ...(SHIFT === 0 ? {} : { SANDBANK_BASE_URL: `http://127.0.0.1:${BANK_PORT}` }) }),
    });
    this.child.stdout?.on('data', (c: Buffer) => (this.output += c.toString()));
    this.child.stderr?.on('data', (c: Buffer) => (this.output += c.toString()));
    const markers = this.child.stdio[4];
    markers?.on('data', (c: Buffer) => {
      this.done += c.toString().split('\n').filter((l) => l === 'done').length;
      this.waiting?.();
    });
    this.child.once('exit', (code) => {
      this.ended = code;
      this.waiting?.();
    });
  }

  /** Runs one block; resolves with its exit status (0, or the status the session ended with) and what it printed. */
  async run(text: string, timeoutMs: number): Promise<{ code: number | null; out: string }> {
    if (this.ended !== undefined) return { code: this.ended, out: 'the session ended in an earlier block' };
    const file = join(mkdtempSync(join(tmpdir(), 'sandbank-readme-block-')), 'block.sh');
    writeFileSync(file, `${text}\n`);
    this.output = '';
    const before = this.done;
    const input = this.child.stdio[3];
    if (!input || !('write' in input)) throw new Error('no command pipe to the session');
    input.write(`${file}\n`);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`block still running after ${timeoutMs / 1000} s:\n${this.output}`)), timeoutMs);
      this.waiting = () => {
        if (this.done > before || this.ended !== undefined) {
          clearTimeout(timer);
          this.waiting = undefined;
          resolve();
        }
      };
      this.waiting();
    });
    return { code: this.done > before ? 0 : (this.ended ?? null), out: this.output };
  }

  close(): void {
    if (this.child.pid !== undefined) {
      try {
        process.kill(-this.child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
  }
}

/** The substitutions the README asks for: the Swedbank sandbox's values from the start-up output, the authenticator's code. */
function substitute(text: string, banner: string, cwd: string): string {
  const swedbank = /Swedbank sandbox (sbx_\w+)[\s\S]*?API key\s+(sk_test_\w+)/.exec(banner);
  const code = `$(node --input-type=module -e "import { generate } from '${join(ROOT, 'node_modules/otplib/dist/index.js')}'; import { readFileSync } from 'node:fs'; const state = JSON.parse(readFileSync('${join(cwd, '.sandbank-client/company.json')}', 'utf8')); const user = state.state.users.find((u) => u.id === 'anna@example.se'); console.log(await generate({ secret: user.totpSecret }))")`;
  return shifted(text)
    .replaceAll('sk_test_…', swedbank?.[2] ?? '')
    .replaceAll('sbx_…', swedbank?.[1] ?? '')
    .replace(/^CODE=123456\b/m, `CODE=${code}`);
}

const readme = blocks(readFileSync(join(ROOT, 'README.md'), 'utf8'));
const firstLine = (b: Block) => b.text.split('\n')[0] ?? '';
const usesStartOutput = (b: Block) => b.text.includes('sk_test_…') || b.text.includes('sbx_…');
const needsOperator = (b: Block) => b.text.includes('$OPERATOR_KEY');

describe('README command blocks run as written', () => {
  it('every block is run or on the reviewed allowlist (and the allowlist has no stale entries)', () => {
    const known = new Set(readme.map(firstLine));
    expect(Object.keys(ALLOWLIST).filter((k) => !known.has(k))).toEqual([]);
  });

  const base = mkdtempSync(join(tmpdir(), 'sandbank-readme-'));
  // The reader's checkout with ../shared beside it (the samples the blocks upload).
  const cwd = join(base, 'sandbank');
  let session: Session | undefined;
  let bank: Bank | undefined;

  beforeAll(async () => {
    const taken = [];
    for (const [port, what] of PORTS) if (!(await portFree(port + SHIFT))) taken.push(`port ${port + SHIFT} (${what})`);
    if (taken.length > 0) throw new Error(`the README's commands use ${taken.join(', ')}, which something on this machine already listens on: stop it and run the README test again (it runs the services where the README says; SANDBANK_README_PORT_SHIFT=N moves them all N ports up when you ask)`);
    mkdirSync(cwd);
    symlinkSync(join(ROOT, '..', 'shared'), join(base, 'shared'));
    bank = await startBank(cwd, readme.some((b) => !(firstLine(b) in ALLOWLIST) && needsOperator(b)));
    session = new Session(cwd);
  }, 90_000);
  afterAll(async () => {
    session?.close();
    await bank?.stop();
  });

  let first = true;
  for (const block of readme.filter((b) => !(firstLine(b) in ALLOWLIST))) {
    it(`README.md:${block.line} (${block.lang}) ${firstLine(block).slice(0, 60)}`, async () => {
      if (block.lang === 'ts') {
        // Beside the checkout's node_modules, so `msw` resolves as in a consumer's project.
        mkdirSync(join(ROOT, 'node_modules', '.cache'), { recursive: true });
        const file = join(mkdtempSync(join(ROOT, 'node_modules', '.cache', 'sandbank-readme-')), 'snippet.mts');
        writeFileSync(file, block.text.replace("'sandbank/msw'", `'${join(ROOT, 'simulator/http/msw.ts')}'`).replace("'sandbank/formats'", `'${join(ROOT, 'formats/index.ts')}'`));
        const run = spawnSync(process.execPath, ['--import', 'tsx', file], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
        expect(run.status, run.stderr).toBe(0);
        expect(run.stdout).toMatch(/^201 sbx_\w+\n$/);
        return;
      }
      if (!session || !bank) throw new Error('no session (see the first failure)');
      if (block.lang === 'sh' && ((usesStartOutput(block) && !first) || bank.operator !== needsOperator(block))) {
        await bank.stop();
        bank = await startBank(cwd, needsOperator(block));
      }
      if (usesStartOutput(block)) first = false;
      const script = substitute(block.text, bank.banner, cwd);
      const run = await session.run(script, 180_000);
      expect(run.code, `${script}\n---\n${run.out}`).toBe(0);
      // curl -s exits 0 on an HTTP error: no problem document may appear either.
      expect(run.out, script).not.toMatch(/"status":\s*[45]\d\d/);
      // A command the block expects to be refused says so with `||`: that many error lines, no more.
      const expected = (block.text.match(/\|\|/g) ?? []).length;
      expect((run.out.match(/^error: /gm) ?? []).length, run.out).toBeLessThanOrEqual(expected);
      // The overview walkthrough ends with its customer user able to log in and see the books.
      const user = /overview users add (\S+) --company \S+ --password (\S+)/.exec(block.text);
      if (user?.[1] && user[2]) {
        const cookie = await logIn(OVERVIEW_URL, user[1], user[2]);
        const page = await (await fetch(`${OVERVIEW_URL}/overview`, { headers: { cookie } })).text();
        expect(page).toContain('Kundföretaget AB');
        const monthly = await (await fetch(`${OVERVIEW_URL}/overview/monthly.csv`, { headers: { cookie } })).text();
        // The bureau walkthrough's invoice 1001: 2 × 950,00 + 249,00 excluding VAT, the month's revenue.
        expect(monthly).toMatch(/^\d{4}-\d{2};2149,00;/m);
      }
    }, 240_000);
  }
});
