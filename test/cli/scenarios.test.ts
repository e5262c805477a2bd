import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sandbankAsync } from '../support/cli.ts';

describe('sandbank scenarios run (the real CLI)', () => {
  it('runs a selection with a progress line each, a summary, JUnit and a Markdown report', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sandbank-scenarios-'));
    const run = await sandbankAsync(['scenarios', 'run', '0[12]-*', '--bank', 'all', '--parallel', '2', '--junit', join(dir, 'junit.xml'), '--report', join(dir, 'report.md')]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/\[1\/4\] ✔/);
    expect(run.stdout).toMatch(/4 passed, 0 failed/);
    expect(readFileSync(join(dir, 'junit.xml'), 'utf8')).toMatch(/<testsuite name="sandbank scenarios" tests="4" failures="0">/);
    const report = readFileSync(join(dir, 'report.md'), 'utf8');
    expect(report).toContain('| given invoice A of 12 500,00 kr due 2026-03-04 with OCR 1234574 |');
  });

  it('a failed scenario exits 1 and its reason is repeated after the summary, where a log is read from', async () => {
    // The bureau steps need an invoicing service; port 9 (discard) on this machine has none.
    const run = await sandbankAsync(['scenarios', 'run', 'b02-*', '--invoicing-target', 'http://127.0.0.1:9']);
    expect(run.code, run.stdout + run.stderr).toBe(1);
    const tail = run.stdout.trimEnd().split('\n').slice(-3);
    expect(tail[0]).toMatch(/^✘ swedbank Bureau: a second sync/);
    expect(tail[1]).toMatch(/\S/);
    expect(tail[2]).toMatch(/seed \d+, sandbox sbx_\w+/);
  });

  it('the same seed gives the same run; an unknown selection exits 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sandbank-scenarios-'));
    const reportOf = async (name: string) => {
      const run = await sandbankAsync(['scenarios', 'run', '16-*', '--bank', 'swedbank', '--seed', '42', '--report', join(dir, name)]);
      expect(run.code).toBe(0);
      return readFileSync(join(dir, name), 'utf8');
    };
    const sandbox = (text: string) => /\| (sbx_\w+) \|/.exec(text)?.[1];
    const first = sandbox(await reportOf('a.md'));
    expect(first).toMatch(/^sbx_/);
    expect(sandbox(await reportOf('b.md'))).toBe(first);
    const unknown = await sandbankAsync(['scenarios', 'run', 'no-such-scenario']);
    expect(unknown.code).toBe(2);
  });
});
