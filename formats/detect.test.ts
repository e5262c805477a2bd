import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { detectFormat, validateFile } from './detect.ts';
import { writeAccountReport } from './camt/report-write.ts';
import { samplePain001, writePain001 } from './pain001/index.ts';

describe('format detection', () => {
  it.each([
    ['pain.001', writePain001(samplePain001({ seed: 1, transactions: 2 }))],
    ['pain.001', `\uFEFF${writePain001(samplePain001({ seed: 1, transactions: 2, version: 'pain.001.001.09' }))}`],
    ['camt.054', writeAccountReport({ message: 'camt.054.001.08', messageId: 'M', creationDateTime: '2026-01-01T00:00:00', reports: [] })],
    ['lb', readFileSync(new URL('./bankgirot/testdata/supplier-payments.lb.txt', import.meta.url))],
    ['bgmax', readFileSync(new URL('./bankgirot/testdata/incoming.bgmax.txt', import.meta.url))],
    ['sie', '#FLAGGA 0\r\n#FORMAT PC8\r\n#SIETYP 4\r\n'],
  ] as const)('detects %s', (format, input) => {
    expect(detectFormat(input)).toBe(format);
  });

  it('an unknown file is reported, not guessed', () => {
    expect(detectFormat('hello world')).toBeUndefined();
    expect(validateFile('hello world')).toMatchObject({ ok: false, issues: [{ code: 'FORMAT_UNKNOWN' }] });
    expect(detectFormat('<Document xmlns="urn:example"/>')).toBeUndefined();
  });
});
