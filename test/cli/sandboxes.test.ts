import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateFile } from '../../formats/detect.ts';
import { createRandom } from '../../formats/random.ts';
import { stockholmDateTime } from '../../formats/stockholm.ts';
import { startSimulator, type Simulator } from '../../simulator/app.ts';
import { ROOT, sandbankAsync } from '../support/cli.ts';

const OPERATOR = 'op_test_housekeeping';
const DAY = 86_400_000;
// The server's clock when each sandbox is opened: set per test, so ages are exact.
let openedAtMs = Date.now();
let simulator: Simulator;

beforeAll(async () => {
  simulator = await startSimulator({ random: createRandom(31), operatorKey: OPERATOR, defaultStart: () => stockholmDateTime(openedAtMs) });
});
afterAll(async () => {
  await simulator?.close();
});

async function open(bank: 'swedbank' | 'sparbanken', ageDays: number, isDefault = false) {
  openedAtMs = Date.now() - ageDays * DAY;
  const created = await simulator.engine.createSandbox({ bank, isDefault });
  if (!created.ok) throw new Error(created.message);
  return created.value;
}

const cli = (...args: string[]) => sandbankAsync(['sandboxes', ...args, '--base-url', simulator.url]);

describe('sandbank sandboxes (the real CLI)', () => {
  it('list, show and delete: the operator key sees every sandbox, an API key its own', async () => {
    const a = await open('swedbank', 0);
    const b = await open('sparbanken', 0);
    const all = await cli('list', '--operator-key', OPERATOR, '--json');
    expect(all.code, all.stderr).toBe(0);
    const ids = (JSON.parse(all.stdout) as { sandboxId: string }[]).map((s) => s.sandboxId);
    expect(ids).toEqual(expect.arrayContaining([a.id, b.id]));
    const own = await cli('list', '--api-key', a.apiKey, '--json');
    expect((JSON.parse(own.stdout) as { sandboxId: string }[]).map((s) => s.sandboxId)).toEqual([a.id]);
    const show = await cli('show', b.id, '--operator-key', OPERATOR);
    expect(JSON.parse(show.stdout)).toMatchObject({ sandboxId: b.id, apiKey: b.apiKey, default: false });
    const refused = await cli('delete', b.id, '--api-key', a.apiKey);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^error: DELETE .*\/sandboxes\/sbx_\w+: no sandbox sbx_\w+ \[SANDBOX_NOT_FOUND\]\n$/);
    const deleted = await cli('delete', a.id, b.id, '--operator-key', OPERATOR);
    expect(deleted.stdout).toBe(`deleted ${a.id}\ndeleted ${b.id}\n`);
    expect(simulator.engine.sandbox(a.id)).toBeUndefined();
  });

  it('prune --older-than deletes what was opened earlier, keeps the default pair and younger ones', async () => {
    const keptDefault = await open('swedbank', 30, true);
    const old = await open('swedbank', 8);
    const older = await open('sparbanken', 20);
    const young = await open('sparbanken', 2);
    const dry = await cli('prune', '--older-than', '7d', '--dry-run', '--operator-key', OPERATOR, '--json');
    expect(JSON.parse(dry.stdout).wouldDelete.sort()).toEqual([old.id, older.id].sort());
    expect(simulator.engine.sandbox(old.id)).toBeDefined();
    const pruned = await cli('prune', '--older-than', '7d', '--operator-key', OPERATOR);
    expect(pruned.code, pruned.stderr).toBe(0);
    expect(pruned.stdout).toMatch(/deleted 2 of \d+ sandbox\(es\)\n$/);
    for (const gone of [old, older]) expect(simulator.engine.sandbox(gone.id)).toBeUndefined();
    for (const kept of [keptDefault, young]) expect(simulator.engine.sandbox(kept.id)).toBeDefined();
  });

  it('bad input is one line: an age that is not one, no key at all', async () => {
    const age = await cli('prune', '--older-than', 'a week', '--operator-key', OPERATOR);
    expect(age.code).toBe(2);
    expect(age.stderr).toBe("error: option '--older-than <age>' argument 'a week' is invalid. an age like 7d, 12h or 30m.\n");
    const none = await sandbankAsync(['sandboxes', 'list', '--base-url', simulator.url], { env: { SANDBANK_OPERATOR_KEY: '', SANDBANK_API_KEY: '' } });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^error: pass --operator-key .*\n$/);
  });
});

describe('a refused key: the hint names the flag or variable it came from', () => {
  it.each([
    [['list', '--operator-key', 'wrong'], {}, '--operator-key'],
    [['list'], { SANDBANK_OPERATOR_KEY: 'wrong' }, 'SANDBANK_OPERATOR_KEY'],
    [['list', '--api-key', 'sk_wrong'], { SANDBANK_OPERATOR_KEY: '' }, '--api-key'],
    [['list'], { SANDBANK_OPERATOR_KEY: '', SANDBANK_API_KEY: 'sk_wrong' }, 'SANDBANK_API_KEY'],
    [['export', 'sbx_x', '--operator-key', 'wrong'], { SANDBANK_API_KEY: '' }, '--operator-key'],
  ])('sandboxes %j %j', async (args, env, flag) => {
    const run = await sandbankAsync(['sandboxes', ...args, '--base-url', simulator.url], { env: { SANDBANK_OPERATOR_KEY: '', SANDBANK_API_KEY: '', ...env } });
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringMatching(new RegExp(`\\(check ${flag}\\)$`))]);
  });
});

describe('test runs clean up after themselves', () => {
  it('scenarios run --target deletes the sandbox of every passed scenario', async () => {
    // A server without an operator key: anyone may create sandboxes there, as the runner does.
    const open = await startSimulator({ random: createRandom(32) });
    try {
      const run = await sandbankAsync(['scenarios', 'run', '01-*', '--target', open.url]);
      expect(run.code, run.stdout + run.stderr).toBe(0);
      expect(run.stdout).toMatch(/2 passed, 0 failed/);
      expect(open.engine.sandboxIds()).toHaveLength(0);
    } finally {
      await open.close();
    }
  });
});

describe('sandbank start banner', () => {
  it('shows the default pair with a ready-to-upload sample each, and only a count of the others', async () => {
    const data = mkdtempSync(join(tmpdir(), 'sandbank-banner-'));
    const start = () => new Promise<{ banner: string; stop: () => void }>((resolve, reject) => {
      const child = spawn(process.execPath, [join(ROOT, 'bin/sandbank.mjs'), 'start', '--port', '0', '--data', data], { cwd: ROOT });
      let banner = '';
      const timer = setTimeout(() => reject(new Error(`no banner: ${banner}`)), 60_000);
      child.stdout.on('data', (chunk: Buffer) => {
        banner += chunk.toString();
        if (banner.includes('Press Ctrl+C')) {
          clearTimeout(timer);
          resolve({ banner, stop: () => child.kill('SIGTERM') });
        }
      });
      child.once('exit', () => resolve({ banner, stop: () => undefined }));
    });
    const first = await start();
    const url = first.banner.match(/running at (\S+)/)?.[1] ?? '';
    for (let i = 0; i < 3; i++) await fetch(`${url}/sandboxes`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ bank: 'swedbank' }) });
    first.stop();
    await new Promise((resolve) => setTimeout(resolve, 500));
    const second = await start();
    second.stop();
    const samples = [...second.banner.matchAll(/sample file\s+(\S+)/g)].map((m) => m[1] ?? '');
    expect(samples).toHaveLength(2);
    for (const sample of samples) {
      expect(existsSync(sample)).toBe(true);
      expect(validateFile(new Uint8Array(await import('node:fs').then((fs) => fs.readFileSync(sample)))).ok).toBe(true);
    }
    expect(second.banner.match(/ sandbox sbx_/g)).toHaveLength(2);
    expect(second.banner).toContain('and 3 other sandbox(es)');
  });
});
