import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateFile } from '../../formats/detect.ts';
import { createRandom } from '../../formats/random.ts';
import { startSimulator, type Simulator } from '../../simulator/app.ts';
import { sandbank, sandbankAsync } from '../support/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'sandbank-sample-'));
let simulator: Simulator;
beforeAll(async () => {
  simulator = await startSimulator({ random: createRandom(9) });
});
afterAll(async () => {
  await simulator?.close();
});

describe('sandbank sample (the real CLI)', () => {
  it.each(['pain001', 'lb'])('%s without a sandbox: a valid file for a fictional company', (kind) => {
    const out = join(dir, `offline.${kind}`);
    const run = sandbank(['sample', kind, '--payments', '4', '--out', out]);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/4 payment\(s\) on 2026-03-18 for a fictional company/);
    const result = validateFile(readFileSync(out));
    expect(result.ok).toBe(true);
    expect(result.summary.payments).toBe(4);
  });

  it.each([
    ['pain001', 'bankgiro', 'BANKGIRO_INVALID'],
    ['pain001', 'ocr', 'OCR_INVALID'],
    ['pain001', 'control-sum', 'CTRL_SUM_MISMATCH'],
    ['lb', 'control-sum', undefined],
  ] as const)('%s --invalid %s is reported by validate', (kind, mistake, code) => {
    const out = join(dir, `${mistake}.${kind}`);
    expect(sandbank(['sample', kind, '--invalid', mistake, '--out', out]).code).toBe(0);
    const result = validateFile(readFileSync(out));
    expect(result.ok).toBe(false);
    if (code) expect(result.issues.map((i) => i.code)).toContain(code);
  });

  it('for a sandbox on a running server: its account and clock, accepted by the bank as written; --invalid debtor-account is rejected AC02', async () => {
    const created = await simulator.engine.createSandbox({ bank: 'sparbanken', start: '2026-05-04T10:00:00' });
    if (!created.ok) throw new Error(created.message);
    const core = created.value;
    const upload = async (file: string) => {
      const res = await fetch(`${simulator.url}/v1/sparbanken/payment-files`, { method: 'POST', headers: { authorization: `Bearer ${core.apiKey}`, 'content-type': 'application/octet-stream' }, body: readFileSync(file) });
      const { fileId } = (await res.json()) as { fileId: string };
      const view = await fetch(`${simulator.url}/v1/sparbanken/payment-files/${fileId}`, { headers: { authorization: `Bearer ${core.apiKey}` } });
      return (await view.json()) as { payments: { status: string; requestedExecutionDate: string; reasons: { code: string }[] }[] };
    };
    for (const kind of ['pain001', 'lb']) {
      const out = join(dir, `sandbox.${kind}`);
      const run = await sandbankAsync(['sample', kind, '--base-url', simulator.url, '--sandbox', core.id, '--api-key', core.apiKey, '--payments', '2', '--out', out]);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).toContain(`for sandbox ${core.id}`);
      const file = await upload(out);
      expect(file.payments).toHaveLength(2);
      for (const p of file.payments) {
        expect(p.reasons).toEqual([]);
        expect(p.requestedExecutionDate).toBe('2026-05-06');
      }
    }
    const bad = join(dir, 'not-ours.xml');
    expect((await sandbankAsync(['sample', 'pain001', '--base-url', simulator.url, '--sandbox', core.id, '--api-key', core.apiKey, '--invalid', 'debtor-account', '--out', bad])).code).toBe(0);
    expect((await upload(bad)).payments[0]?.reasons[0]?.code).toBe('AC02');
    // Each further sample for the same sandbox is a new message (it was refused DUPL), and a
    // wrong OCR number is rejected CH16 in an LB file as in a pain.001.
    for (const kind of ['pain001', 'lb']) {
      const out = join(dir, `sandbox-ocr.${kind}`);
      expect((await sandbankAsync(['sample', kind, '--base-url', simulator.url, '--sandbox', core.id, '--api-key', core.apiKey, '--invalid', 'ocr', '--out', out])).code).toBe(0);
      const file = await upload(out);
      expect(file.payments.map((p) => p.reasons[0]?.code)).toEqual(['CH16', undefined, undefined]);
    }
  });

  it('lb --invalid ocr: validate warns that the reference reads as an OCR number with a wrong check digit', () => {
    const out = join(dir, 'ocr.lb');
    expect(sandbank(['sample', 'lb', '--invalid', 'ocr', '--out', out]).code).toBe(0);
    const warnings = validateFile(readFileSync(out)).issues.filter((i) => i.code === 'OCR_INVALID');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ severity: 'warning', line: 2 });
    expect(warnings[0]?.message).toMatch(/reads as an OCR number but .*; a payee with OCR control refuses it/);
  });

  it.each([
    ['2026-02-30', /not a calendar date \(2026-02 has no day 30\)\.$/],
    ['2026-13-01', /not a calendar date \(there is no month 13\)\.$/],
    ['tomorrow', /a date as YYYY-MM-DD\.$/],
  ])('--date %s is refused in one line saying what is wrong', (date, message) => {
    const run = sandbank(['sample', 'pain001', '--date', date]);
    expect(run.code).not.toBe(0);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr.trim()).toMatch(message);
  });

  it('a wrong API key is one line naming the request', async () => {
    const run = await sandbankAsync(['sample', 'pain001', '--base-url', simulator.url, '--sandbox', 'sbx_nope', '--api-key', 'sk_test_wrong']);
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^error: GET http:\/\/127\.0\.0\.1:\d+\/sandboxes\/sbx_nope: .*\(check --api-key\)/);
  });
});
