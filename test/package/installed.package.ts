/**
 * The published package as a stranger gets it: `npm pack`, installed into a fresh project
 * with nothing else, then the CLI, the server, the validator, the contract verifier, the msw
 * handlers from plain Node and from vitest, and the shipped types. Run by `npm run
 * test:package` (CI), not by `npm test`: packing compiles the whole project.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../support/cli.ts';
import { freshDatabase, testPostgres } from '../support/postgres.ts';

const work = mkdtempSync(join(tmpdir(), 'sandbank-package-'));
const project = join(work, 'consumer');
const devDependencies = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> }).devDependencies;

function run(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  const result = spawnSync(command, args, { cwd: options.cwd ?? project, env: { ...process.env, NO_COLOR: '1', ...options.env }, encoding: 'utf8', timeout: 300_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function npmInstall(...specs: string[]): void {
  const install = run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', ...specs]);
  if (install.code !== 0) throw new Error(`npm install ${specs.join(' ')} failed:\n${install.stderr}`);
}

const sandbank = (...args: string[]) => run(join(project, 'node_modules', '.bin', 'sandbank'), args);

let tarball = '';
let server: ChildProcess | undefined;
let url = '';
let apiKey = '';
let sandboxId = '';

beforeAll(() => {
  const pack = run('npm', ['pack', '--pack-destination', work], { cwd: ROOT });
  if (pack.code !== 0) throw new Error(`npm pack failed:\n${pack.stderr}`);
  tarball = join(work, pack.stdout.trim().split('\n').at(-1) ?? '');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  cpSync(join(ROOT, 'test/package/consumer'), project, { recursive: true });
  npmInstall(tarball, `vitest@${devDependencies['vitest']}`, `typescript@${devDependencies['typescript']}`, `@types/node@${devDependencies['@types/node']}`);
}, 300_000);

afterAll(() => {
  server?.kill('SIGTERM');
  rmSync(work, { recursive: true, force: true });
});

describe('the installed package', () => {
  it('ships compiled JavaScript and types, no sources, tests or CI files', () => {
    const listing = run('tar', ['-tzf', tarball]).stdout;
    const files = listing.trim().split('\n');
    expect(listing).toContain('package/dist/cli/main.js');
    expect(listing).toContain('package/dist/simulator/http/msw.d.ts');
    expect(listing).toContain('package/dist/contracts/pacts/');
    expect(files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
    expect(listing).not.toMatch(/package\/(test|bench|\.ci|scripts)\//);
    expect(listing).not.toMatch(/\.test\.(js|ts)/);
  });

  it('npx sandbank --help', () => {
    const help = run('npx', ['--no-install', 'sandbank', '--help']);
    expect(help.code).toBe(0);
    for (const name of ['start', 'validate', 'sample', 'client', 'contracts', 'scenarios']) expect(help.stdout).toMatch(new RegExp(`^  ${name} `, 'm'));
  });

  it('npx sandbank --version prints the installed package\'s version', () => {
    const version = run('npx', ['--no-install', 'sandbank', '--version']);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toBe((JSON.parse(readFileSync(join(project, 'node_modules', 'sandbank', 'package.json'), 'utf8')) as { version: string }).version);
  });

  it.each([['bank'], ['invoicing']])('contracts verify --provider %s without Pact installed: a one-line install hint', (provider) => {
    const verify = sandbank('contracts', 'verify', '--provider', provider, '--provider-base-url', 'http://127.0.0.1:9');
    expect(verify.code).toBe(1);
    expect(verify.stderr.trim()).toBe('error: contracts verify needs Pact: npm install --save-dev @pact-foundation/pact@16');
  });

  it('sandbank start answers /health and prints the default sandboxes', async () => {
    // Contract provider states are opt-in where the server has the flag.
    const providerStates = sandbank('start', '--help').stdout.includes('--provider-states') ? ['--provider-states'] : [];
    server = spawn(join(project, 'node_modules', '.bin', 'sandbank'), ['start', '--memory', '--port', '0', ...providerStates], { cwd: project, env: { ...process.env, NO_COLOR: '1' } });
    let banner = '';
    server.stdout?.on('data', (chunk: Buffer) => (banner += chunk.toString()));
    server.stderr?.on('data', (chunk: Buffer) => (banner += chunk.toString()));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no banner:\n${banner}`)), 60_000);
      server?.stdout?.on('data', () => {
        if (banner.includes('Press Ctrl+C')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    url = banner.match(/running at (http:\/\/\S+)/)?.[1] ?? '';
    apiKey = banner.match(/API key\s+(sk_test_\w+)/)?.[1] ?? '';
    sandboxId = banner.match(/Swedbank sandbox (sbx_\w+)/)?.[1] ?? '';
    expect(apiKey).not.toBe('');
    const health = await fetch(`${url}/health`);
    expect(health.status).toBe(200);
  });

  it('a server started with npx stops when npx is killed (kill %1 on a backgrounded npx in a script left it serving)', async () => {
    const launcher = spawn('npx', ['--no-install', 'sandbank', 'start', '--memory', '--port', '0'], { cwd: project, env: { ...process.env, NO_COLOR: '1' } });
    let banner = '';
    launcher.stdout?.on('data', (chunk: Buffer) => (banner += chunk.toString()));
    const started = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no banner:\n${banner}`)), 60_000);
      launcher.stdout?.on('data', () => {
        const found = /running at (http:\/\/\S+)/.exec(banner)?.[1];
        if (found && banner.includes('Press Ctrl+C')) {
          clearTimeout(timer);
          resolve(found);
        }
      });
    });
    expect((await fetch(`${started}/health`)).status).toBe(200);
    launcher.kill('SIGTERM');
    let answering = true;
    for (let i = 0; i < 100 && answering; i++) {
      await new Promise((r) => setTimeout(r, 100));
      answering = await fetch(`${started}/health`).then(() => true, () => false);
    }
    expect(answering).toBe(false);
  });

  it('sandbank start --store postgres://… migrates a new database with the migrations it ships', async (context) => {
    const postgres = await testPostgres();
    if (!postgres.available) return context.skip(postgres.reason);
    const database = await freshDatabase(postgres.serverUrl);
    const child = spawn(join(project, 'node_modules', '.bin', 'sandbank'), ['start', '--store', database.url, '--port', '0'], { cwd: project, env: { ...process.env, NO_COLOR: '1' } });
    let banner = '';
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no banner:\n${banner}`)), 60_000);
        child.stdout.on('data', (chunk: Buffer) => {
          banner += chunk.toString();
          if (banner.includes('Press Ctrl+C')) {
            clearTimeout(timer);
            resolve();
          }
        });
        child.stderr.on('data', (chunk: Buffer) => (banner += chunk.toString()));
        child.once('exit', (code) => reject(new Error(`exited ${code}:\n${banner}`)));
      });
      expect(banner).toMatch(/Swedbank sandbox sbx_\w+/);
    } finally {
      child.kill('SIGKILL');
      await database.drop();
    }
  });

  it('sandbank sample + sandbank validate on a file for that sandbox', () => {
    const sample = sandbank('sample', 'pain001', '--base-url', url, '--sandbox', sandboxId, '--api-key', apiKey, '--out', 'payments.xml');
    expect(sample.code, sample.stderr).toBe(0);
    const validate = sandbank('validate', 'payments.xml', '--bank', 'swedbank');
    expect(validate.code, validate.stdout).toBe(0);
    expect(validate.stdout).toContain('pain.001 — valid');
  });

  it('sandbank contracts verify against it, once Pact is installed as the hint says', () => {
    npmInstall(`@pact-foundation/pact@${devDependencies['@pact-foundation/pact']}`);
    const verify = sandbank('contracts', 'verify', '--provider-base-url', url, '--bank', 'swedbank');
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    expect(verify.stdout).toMatch(/✔ all \d+ interactions verified/);
  });

  it('import sandbank/msw from plain Node ESM: upload → sign → clock → camt.054', () => {
    const flow = run(process.execPath, ['flow.mjs']);
    expect(flow.code, flow.stderr).toBe(0);
    const { debitedOre, totalOre } = JSON.parse(flow.stdout) as { debitedOre: number; totalOre: number };
    expect(debitedOre).toBe(totalOre);
  });

  it('the same flow from a vitest test in the consumer project', () => {
    const vitest = run(join(project, 'node_modules', '.bin', 'vitest'), ['run', '--root', project]);
    expect(vitest.code, vitest.stdout + vitest.stderr).toBe(0);
    expect(vitest.stdout).toMatch(/1 passed/);
  });

  it('a TypeScript consumer type-checks against the shipped types', () => {
    const tsc = run(join(project, 'node_modules', '.bin', 'tsc'), ['-p', project]);
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.code).toBe(0);
  });
});
