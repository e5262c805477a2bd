/**
 * sandbank's BgMax and LB writers against Bankgirot's published sample files, record type by
 * record type and field by field: the writer, given what it read from a sample record, must
 * put every field where the sample has it, aligned and filled as the sample has it. The
 * samples' own irregularities are listed here, each with where it is, so that a new one fails.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseBgMax, parseLb, writeBgMax, writeLb, type LbRecord } from '../../formats/bankgirot/index.ts';
import { bgmaxFields, checkRecord, lbFields, normaliseRecord, type LayoutField } from '../support/bankgirot-layout.ts';
import { HAS_SHARED, SHARED_MISSING_REASON, sharedPath } from '../support/shared.ts';

const BGMAX_SAMPLE = 'samples/bgmax/bankgiroinbetalningar_exempelfil_avtal-om-ocr-kontroll_checksiffra_langd_sv.txt';

function sampleLines(relative: string): { line: number; raw: string; record: string }[] {
  return readFileSync(sharedPath(relative)).toString('latin1').split(/\r?\n/)
    .map((raw, i) => ({ line: i + 1, raw, record: normaliseRecord(raw) }))
    .filter((l) => l.raw.trim() !== '');
}

/** Compares a written record with the sample's, field by field; masked sample fields are skipped. */
function fieldDifferences(written: string, sample: string, fields: LayoutField[], skip: (field: LayoutField) => boolean = () => false): string[] {
  const out: string[] = [];
  for (const field of fields) {
    const expected = sample.slice(field.from - 1, field.to);
    const actual = written.slice(field.from - 1, field.to);
    if (/X/.test(expected) || skip(field)) continue;
    if (actual !== expected) out.push(`${field.name} (pos ${field.from}–${field.to}): sample "${expected}", written "${actual}"`);
  }
  return out;
}

describe.skipIf(!HAS_SHARED)('BgMax writer against Bankgirot\'s sample, field by field', () => {
  it('the sample\'s own irregularities are exactly these (trailing blanks cut, a TAB, a short TK70 without CRLF, two TK25 lines starting with a blank)', () => {
    const bytes = readFileSync(sharedPath(BGMAX_SAMPLE));
    const text = bytes.toString('latin1');
    const lines = sampleLines(BGMAX_SAMPLE);
    const irregular = lines.flatMap(({ line, raw, record }) => [
      ...(raw.length !== 80 ? [`line ${line}: ${raw.length} characters${raw.includes('\t') ? ', TAB' : ''}`] : []),
      ...checkRecord(record, bgmaxFields(record)).flatMap((c) => (c.problem ? [`line ${line} TK${record.slice(0, 2)} ${c.field.name}: ${c.problem}`] : [])),
    ]);
    expect(irregular).toEqual([
      'line 16: 70 characters',
      'line 17: 60 characters, TAB',
      'line 43 TK25 information: not left-aligned: " Faktura 658369                                   "',
      'line 44 TK25 information: not left-aligned: " Faktura 658468                                   "',
      'line 50: 34 characters',
    ]);
    expect(text.endsWith('\r\n')).toBe(false);
    // Everything else follows the layout: TK15's account right-aligned and zero-filled, TK20's
    // OCR references (reference code 2) right-aligned and blank-filled.
    expect(lines.find((l) => l.record.startsWith('15'))?.record.slice(2, 37)).toBe('00000000000000000005841000001009823');
    expect(lines.find((l) => l.record.startsWith('20'))?.record.slice(12, 37)).toBe('                   655969');
  });

  it('writing what was read reproduces every record type\'s fields where the sample has them, and ends without CRLF after TK70', () => {
    const parsed = parseBgMax(readFileSync(sharedPath(BGMAX_SAMPLE)));
    if (!parsed.value) throw new Error('sample did not parse');
    // As an application holds the values: the account without its zero fill, the reference trimmed.
    const normalised = {
      ...parsed.value,
      sections: parsed.value.sections.map((s) => ({ ...s, ...(s.deposit ? { deposit: { ...s.deposit, payeeBankAccount: s.deposit.payeeBankAccount.replace(/^0+/, '') } } : {}) })),
    };
    const written = writeBgMax(normalised);
    expect(written.endsWith('\r\n')).toBe(false);
    const writtenLines = written.split('\r\n');
    const sample = sampleLines(BGMAX_SAMPLE);
    expect(writtenLines).toHaveLength(sample.length);
    const types = new Set<string>();
    const differences = sample.flatMap(({ line, record }, i) => {
      const mine = writtenLines[i] ?? '';
      types.add(record.slice(0, 2));
      expect(mine).toHaveLength(80);
      // The two TK25 texts the sample starts with a blank are the one listed irregularity skipped.
      const leadingBlank = (field: LayoutField) => field.name === 'information' && record.slice(2, 3) === ' ';
      return fieldDifferences(mine, record, bgmaxFields(record), leadingBlank).map((d) => `line ${line} TK${record.slice(0, 2)} ${d}`);
    });
    expect(differences).toEqual([]);
    expect([...types].sort()).toEqual(['01', '05', '15', '20', '21', '22', '25', '26', '27', '28', '29', '70']);
  });
});

const LB_SAMPLES = {
  order: 'samples/lb/leverantorsbetalning_exempelfil_exempel1_sv.txt',
  salary: 'samples/lb/leverantorsbetalning_exempelfil_lon_sv.txt',
  rejection: 'samples/lb/leverantorsbetalning_exempelfil_avvisade_sv.txt',
} as const;

describe.skipIf(!HAS_SHARED)('LB writer against Bankgirot\'s samples (payment order, salaries, rejection return), field by field', () => {
  it.each(Object.entries(LB_SAMPLES))('%s: every record the writer writes back has the sample\'s fields, except the sample\'s listed irregularities', (_kind, relative) => {
    const parsed = parseLb(readFileSync(sharedPath(relative)));
    const records = (parsed.value?.records ?? []).filter((r): r is Exclude<LbRecord, { type: 'raw' }> => r.type !== 'raw');
    const byLine = new Map(sampleLines(relative).map((l) => [l.line, l.record]));
    const irregular: string[] = [];
    const differences = records.flatMap((r) => {
      const sample = byLine.get(r.line ?? 0) ?? '';
      const written = writeLb({ records: [r] }).replace(/\r\n$/, '');
      expect(written).toHaveLength(80);
      const fields = lbFields(sample);
      // The samples' irregularities: payee numbers of account/cash payees written as nine
      // digits and a blank ("000099004 "); return files put a digit in TK11's reserved pos 47
      // and leave TK29's total blank.
      const isIrregular = (field: LayoutField) => {
        const value = sample.slice(field.from - 1, field.to);
        const odd = (field.name === 'payee number' && /^\d{9} $/.test(value))
          || (sample.startsWith('11') && field.name === 'reserved' && field.from === 47 && /^\d/.test(value))
          || (sample.startsWith('29') && field.name === 'total amount' && value.trim() === '');
        if (odd) irregular.push(`TK${sample.slice(0, 2)} ${field.name}`);
        return odd;
      };
      return fieldDifferences(written, sample, fields, isIrregular).map((d) => `line ${r.line} TK${sample.slice(0, 2)} ${d}`);
    });
    expect(differences).toEqual([]);
    expect(records.length).toBeGreaterThan(5);
    console.log(`${relative}: ${records.length} records compared; sample irregularities skipped: ${[...new Set(irregular)].join(', ') || 'none'}`);
  });

  it('TK49 error codes are right-aligned as in the rejection sample ("    0000" after MTRV codes)', () => {
    const lines = sampleLines(LB_SAMPLES.rejection).filter((l) => l.record.startsWith('49'));
    expect(lines.map((l) => l.record.slice(2, 10))).toContain('    0000');
    expect(writeLb({ records: [{ type: '49', errorCode: '0000', text: 'SE FÖREGÅENDE POST' }] }).slice(2, 10)).toBe('    0000');
  });
});

describe.runIf(!HAS_SHARED)('Bankgirot samples', () => {
  it('are skipped', () => console.log(SHARED_MISSING_REASON));
});
