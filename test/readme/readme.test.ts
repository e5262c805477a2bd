/**
 * The README's command blocks, run as written: each ```sh block in a fresh directory against a
 * fresh `sandbank start` (with an operator key), after substituting the values the README
 * says to take from the start-up output; the msw ```ts block through tsx. A block that is not
 * run is on ALLOWLIST below with the reason, so a new block fails this test until someone
 * decides.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/cli.ts';

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

/** Blocks not run, by their first line, with the reason (reviewed). */
const ALLOWLIST: Record<string, string> = {
  'npm install': 'the development loop itself: CI runs npm ci && npm test (running npm test inside npm test would recurse)',
  'npm install --save-dev sandbank': 'installing the published package is what test/package (npm run test:package, in CI) does from a packed tarball',
  'npx sandbank contracts verify --provider-base-url https://bank.example/api --bank swedbank \\': "a partner bank's own URL and token; the same command against sandbank start is test/cli/contracts.test.ts and test/package",
  "import { given, scenario, then, when } from '../dsl.ts';": 'the shape of a scenario file (relative import from scenarios/catalog/); the catalogue runs in npm test',
  'npx sandbank scenarios run                       # the whole catalogue, both banks, in-process': 'the whole catalogue twice over (npm test runs it in-process, .ci/run against a real server); a selection is test/cli/scenarios.test.ts',
  'npx sandbank scenarios run --tag bureau --bank swedbank': 'the bureau catalogue runs in npm test (scenarios/catalog.test.ts)',
  'npx sandbank invoicing start --port 4020 --data .sandbank-invoicing > invoicing.log &   # prints the API keys': "the invoicing/bureau walkthrough (another feature's section, landed this session) starts its own services on fixed ports: not yet made runnable here; its commands are exercised by test/cli/ of that feature",
  'npx sandbank sandboxes export sbx_… --base-url http://ci-host:4010 --api-key sk_test_… --out failed.sandbank.json': 'moves a sandbox between two servers (a CI host and a laptop); the same commands through the real binary between two servers are test/cli/sandboxes-transfer.test.ts',
  'npx sandbank collaboration --key $BUREAU_KEY activate collab_000001 --recipient bureau --period quarterly --next-invoice-number 5001': 'needs the invoicing program and keys of the bureau walkthrough (not yet runnable here); the lifecycle commands run through the real binary in test/cli/collaboration.test.ts',
  'npx sandbank overview start --memory --port 4100 --token demo-upload-token --password demo-password': 'a long-running server on a fixed port; the overview feature tests its start and upload through the binary',
  'npx sandbank start --store postgres://sandbank:secret@db.internal:5432/sandbank': "a PostgreSQL server of the reader's own; the same flag against a real PostgreSQL is test/simulator/postgres-http.test.ts and .ci/run's scenario run",
  'npx sandbank start --host 0.0.0.0 --port 4010 --operator-key "$OPERATOR_KEY" --store "$DATABASE_URL"   # host A': 'two hosts and a load balancer of the reader\'s own; two servers on one database behind a round-robin balancer are test/simulator/multi-instance.test.ts and .ci/run\'s catalogue run',
  'npx sandbank overview upload ../shared/samples/sie/SIE_exempelfil.se --url http://127.0.0.1:4100 --token demo-upload-token --company demo': 'needs the overview server of the previous block',
};

const OPERATOR = 'op_readme_0000000000';
const BIN = join(ROOT, 'bin/sandbank.mjs');

async function startServer(cwd: string): Promise<{ banner: string; stop: () => void }> {
  const child = spawn(process.execPath, [BIN, 'start', '--memory', '--port', '0', '--operator-key', OPERATOR], { cwd });
  let banner = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no banner: ${banner}`)), 60_000);
    child.stdout.on('data', (chunk: Buffer) => {
      banner += chunk.toString();
      if (banner.includes('Press Ctrl+C')) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  return { banner, stop: () => child.kill('SIGTERM') };
}

/** The substitutions the README asks for: values from the start-up output, and `npx sandbank` as the checkout's binary. */
function substitute(text: string, banner: string, cwd: string): string {
  const url = /running at http:\/\/([\d.]+:\d+)/.exec(banner)?.[1] ?? '';
  const swedbank = /Swedbank sandbox (sbx_\w+)[\s\S]*?API key\s+(sk_test_\w+)[\s\S]*?sample file\s+(\S+)/.exec(banner);
  const code = `$(node --input-type=module -e "import { generate } from '${join(ROOT, 'node_modules/otplib/dist/index.js')}'; import { readFileSync } from 'node:fs'; const state = JSON.parse(readFileSync('${join(cwd, '.sandbank-client/company.json')}', 'utf8')); const user = state.state.users.find((u) => u.id === 'anna@example.se'); console.log(await generate({ secret: user.totpSecret }))")`;
  return text
    .replaceAll('npx sandbank', `node ${BIN}`)
    .replaceAll('localhost:4010', url)
    .replaceAll('127.0.0.1:4010', url)
    .replaceAll('sk_test_…', swedbank?.[2] ?? '')
    .replaceAll('sbx_…', swedbank?.[1] ?? '')
    .replaceAll('$OPERATOR_KEY', OPERATOR)
    .replace(/^CODE=123456\b/m, `CODE=${code}`);
}

const readme = blocks(readFileSync(join(ROOT, 'README.md'), 'utf8'));
const firstLine = (b: Block) => b.text.split('\n')[0] ?? '';

describe('README command blocks run as written', () => {
  it('every block is run or on the reviewed allowlist (and the allowlist has no stale entries)', () => {
    const known = new Set(readme.map(firstLine));
    expect(Object.keys(ALLOWLIST).filter((k) => !known.has(k))).toEqual([]);
  });

  for (const block of readme.filter((b) => !(firstLine(b) in ALLOWLIST))) {
    it(`README.md:${block.line} (${block.lang}) ${firstLine(block).slice(0, 60)}`, async () => {
      const cwd = mkdtempSync(join(tmpdir(), 'sandbank-readme-'));
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
      const server = await startServer(cwd);
      try {
        const script = substitute(block.text, server.banner, cwd);
        const run = await new Promise<{ code: number | null; out: string }>((resolve) => {
          const url = /running at (http:\/\/\S+)/.exec(server.banner)?.[1] ?? '';
          const child = spawn('bash', ['-euo', 'pipefail', '-c', script], { cwd, env: { ...process.env, NO_COLOR: '1', SANDBANK_BASE_URL: url } });
          let out = '';
          child.stdout.on('data', (c: Buffer) => (out += c.toString()));
          child.stderr.on('data', (c: Buffer) => (out += c.toString()));
          child.on('close', (code) => resolve({ code, out }));
        });
        expect(run.code, `${script}\n---\n${run.out}`).toBe(0);
        // curl -s exits 0 on an HTTP error: no problem document may appear either.
        expect(run.out, script).not.toMatch(/"status":\s*[45]\d\d/);
        expect(run.out).not.toMatch(/^error: /m);
      } finally {
        server.stop();
      }
    }, 240_000);
  }
});
