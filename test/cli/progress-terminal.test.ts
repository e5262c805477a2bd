/**
 * Progress lines through a real terminal: `sandbank overview upload` and `sandbank client send`
 * under script(1) (a pseudo-terminal, as a person's shell gives them) print what they are
 * doing on stderr; the same commands in a pipe print none of it, only their result.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRandom } from '../../formats/random.ts';
import { startSimulator, type Simulator } from '../../simulator/app.ts';
import { ROOT, sandbankAsync } from '../support/cli.ts';
import { ledgerExport, startTestOverview, type TestOverview } from '../support/overview.ts';

const BIN = join(ROOT, 'bin/sandbank.mjs');
const SCRIPT = '/usr/bin/script';
const quote = (arg: string) => `'${arg.replaceAll("'", "'\\''")}'`;

/** Runs the CLI on a pseudo-terminal; stdout and stderr both arrive on it, in order. */
function onTerminal(args: string[], cwd: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const command = [process.execPath, BIN, ...args].map(quote).join(' ');
    const child = spawn(SCRIPT, ['-qec', command, '/dev/null'], { cwd, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
    child.once('close', (code) => resolve({ code, out: out.replaceAll('\r\n', '\n') }));
  });
}

const dir = mkdtempSync(join(tmpdir(), 'sandbank-progress-'));
let overview: TestOverview;
let simulator: Simulator;
beforeAll(async () => {
  [overview, simulator] = await Promise.all([startTestOverview(), startSimulator({ random: createRandom(91) })]);
});
afterAll(async () => {
  await Promise.all([overview?.close(), simulator?.close()]);
});

describe.skipIf(!existsSync(SCRIPT))('progress lines on a terminal, none in a pipe (real binary)', () => {
  it('sandbank overview upload says what it sends and waits for on a terminal; in a pipe only the result', async () => {
    const file = join(dir, 'books-2026.se');
    const bytes = ledgerExport();
    writeFileSync(file, bytes);
    const args = ['overview', 'upload', file, '--url', overview.url, '--token', overview.token, '--company', 'snickeri'];
    const tty = await onTerminal(args, dir);
    expect(tty.code, tty.out).toBe(0);
    const progress = `uploading ${file} (${Math.ceil(bytes.byteLength / 1024)} KiB) to ${overview.url} and waiting for its checks…\n`;
    expect(tty.out).toContain(progress);
    // The progress line comes before the answer it waits for.
    expect(tty.out.indexOf(progress)).toBeLessThan(tty.out.indexOf('stored for snickeri'));

    const piped = await sandbankAsync(args, { cwd: dir });
    expect(piped.code).toBe(0);
    expect(piped.stderr).toBe('');
    expect(piped.stdout).toMatch(/^.*fiscal year 2026-01-01 – 2026-12-31 replaced for snickeri .*\n$/);
  }, 60_000);

  it('sandbank client send prints each step on a terminal (upload with its size, received, status reports); in a pipe only the result', async () => {
    const data = (name: string) => ['client', '--data', join(dir, `${name}.json`)];
    // A sandbox each: the same company sending from two books would reuse its idempotency keys.
    const prepare = async (name: string) => {
      const sandbox = (await (await fetch(`${simulator.url}/sandboxes`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ bank: 'swedbank', seed: 5, start: '2026-03-02T08:00:00' }) })).json()) as { sandboxId: string; apiKey: string };
      for (const args of [
        ['init', '--base-url', simulator.url, '--bank', 'swedbank', '--api-key', sandbox.apiKey, '--sandbox-id', sandbox.sandboxId, '--company', 'Fjällbacka Snickeri AB', '--org', '556512-3451', '--admin', 'anna@example.se'],
        ['supplier-add', 'Trävaruhuset AB', '--bankgiro', '5050-1055'],
        ['invoice-add', '--supplier', 'SUP-1', '--number', `F-${name}`, '--amount', '1 250,00', '--due', '2026-03-10', '--post'],
      ]) {
        const run = await sandbankAsync([...data(name), ...args], { cwd: dir });
        if (run.code !== 0) throw new Error(`sandbank client ${args.join(' ')}: ${run.stderr}`);
      }
    };
    await Promise.all([prepare('tty'), prepare('pipe')]);

    const tty = await onTerminal([...data('tty'), 'send'], dir);
    expect(tty.code, tty.out).toBe(0);
    const lines = tty.out.split('\n');
    const steps = [/^uploading payment file \S+: 1 payment\(s\), \d+ KiB…$/, /^received by the bank as pf_\d+…$/, /^reading the bank's status reports…$/, /^Sent 1 invoice\(s\) in payment file pf_\d+\.$/];
    const at = steps.map((step) => lines.findIndex((line) => step.test(line)));
    expect(at.every((i) => i >= 0), tty.out).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);

    const piped = await sandbankAsync([...data('pipe'), 'send'], { cwd: dir });
    expect(piped.code, piped.stderr).toBe(0);
    expect(piped.stderr).toBe('');
    expect(piped.stdout).toMatch(/^Sent 1 invoice\(s\) in payment file pf_\d+\./);
    expect(piped.stdout).not.toMatch(/uploading|received by the bank as|…/);
  }, 180_000);
});
