import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sandbank } from '../support/cli.ts';
import { HAS_SHARED, sharedPath } from '../support/shared.ts';

const pain001 = 'formats/pain001/testdata/swedbank-supplier-payments.pain001.03.xml';

describe('sandbank validate (the real CLI)', () => {
  it('prints a summary and exits 0 for a valid pain.001', () => {
    const run = sandbank(['validate', pain001]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('pain.001 — valid');
    expect(run.stdout).toMatch(/messageId\s+SB-20260314-0001/);
    expect(run.stdout).toMatch(/payments\s+3/);
    expect(run.stdout).toMatch(/controlSum\s+18637.50/);
    expect(run.stdout).toMatch(/executionDates\s+2026-03-16/);
  });

  it('prints every issue as path  code  message and exits 1 for an invalid file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sandbank-validate-'));
    const file = join(dir, 'bad.xml');
    writeFileSync(file, readFileSync(pain001, 'utf8').replace('<Id>50501055</Id>', '<Id>50501056</Id>').replace('<Ref>1234574</Ref>', '<Ref>1234575</Ref>'));
    const run = sandbank(['validate', file]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('/Document/CstmrCdtTrfInitn/PmtInf[1]/CdtTrfTxInf[1]/CdtrAcct  BANKGIRO_INVALID');
    expect(run.stdout).toContain('OCR_INVALID');
  });

  it('--json gives machine-readable output', () => {
    const run = sandbank(['validate', pain001, '--json']);
    const parsed = JSON.parse(run.stdout) as { ok: boolean; format: string; summary: { payments: number } };
    expect(parsed).toMatchObject({ ok: true, format: 'pain.001', summary: { payments: 3 } });
  });

  it('--bank sparbanken applies that profile (SEK only)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sandbank-validate-'));
    const file = join(dir, 'eur.xml');
    writeFileSync(file, readFileSync(pain001, 'utf8').replaceAll('Ccy="SEK"', 'Ccy="EUR"'));
    expect(sandbank(['validate', file, '--bank', 'swedbank']).code).toBe(0);
    const sparbanken = sandbank(['validate', file, '--bank', 'sparbanken']);
    expect(sparbanken.code).toBe(1);
    expect(sparbanken.stdout).toContain('CURRENCY_NOT_ALLOWED');
  });

  it("--bank applies the bank's rule for a payment date that is not a bank day: Sparbanken rejects an LB file dated on a Saturday, Swedbank pays it on Monday", () => {
    const dir = mkdtempSync(join(tmpdir(), 'sandbank-validate-'));
    const file = join(dir, 'saturday.lb');
    expect(sandbank(['sample', 'lb', '--date', '2026-12-05', '--out', file]).code).toBe(0);
    const sparbanken = sandbank(['validate', file, '--bank', 'sparbanken']);
    expect(sparbanken.code).toBe(1);
    expect(sparbanken.stdout).toContain('lb — INVALID');
    expect(sparbanken.stdout).toContain('payment date  DATE_INVALID  2026-12-05 is not a bank day: Sparbanken rejects an LB payment dated on it (DT01)');
    const swedbank = sandbank(['validate', file, '--bank', 'swedbank']);
    expect(swedbank.code).toBe(0);
    expect(swedbank.stdout).toContain('payment date  DATE_INVALID (warning)  2026-12-05 is not a bank day: Swedbank pays on 2026-12-07');
  });

  it('exits 2 for unreadable input', () => {
    const run = sandbank(['validate', '/no/such/file.xml']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('cannot read');
  });

  it('validates LB and BgMax with --format or by detection', () => {
    expect(sandbank(['validate', 'formats/bankgirot/testdata/supplier-payments.lb.txt', '--format', 'lb']).code).toBe(0);
    expect(sandbank(['validate', 'formats/bankgirot/testdata/incoming.bgmax.txt']).stdout).toContain('bgmax — valid');
  });

  it.skipIf(!HAS_SHARED)('reads every shared sample and reports its oddities with line numbers', () => {
    const rejection = sandbank(['validate', sharedPath('samples/lb/leverantorsbetalning_exempelfil_avvisade_sv.txt'), '--json']);
    const parsed = JSON.parse(rejection.stdout) as { summary: { kind: string; errorLines: number; payments: number } };
    expect(parsed.summary).toMatchObject({ kind: 'rejection', errorLines: 12, payments: 5 });
    const bgmax = sandbank(['validate', sharedPath('samples/bgmax/bankgiroinbetalningar_exempelfil_avtal-om-ocr-kontroll_checksiffra_langd_sv.txt')]);
    expect(bgmax.code).toBe(0);
    expect(bgmax.stdout).toContain('line 17  RECORD_FIELD (warning)');
  });

  it.skipIf(!HAS_SHARED)('lists only real dates as execution dates of Bankgirot\'s payment-specification sample', () => {
    const run = sandbank(['validate', sharedPath('samples/lb/leverantorsbetalning_exempelfil_betalningsspecifikation-med-lonedetaljer.txt'), '--json']);
    const parsed = JSON.parse(run.stdout) as { summary: { kind: string; executionDates: string[] } };
    expect(parsed.summary.kind).toBe('payment-specification');
    expect(parsed.summary.executionDates.length).toBeGreaterThan(0);
    for (const date of parsed.summary.executionDates) expect(date).toMatch(/^(\d{4}-\d{2}-\d{2}|GENAST)$/);
  });

  it.skipIf(!HAS_SHARED)('names the returned-cash-payments sample in words instead of only "unknown"', () => {
    const run = sandbank(['validate', sharedPath('samples/lb/leverantorsbetalning_exempelfil_aterforda-kontantutbetalningar_sv.txt')]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/FORMAT_UNKNOWN\s+Bankgirot Leverantörsbetalningar return file of returned cash payments \(återförda kontantutbetalningar/);
  });
});
