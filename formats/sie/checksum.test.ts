import { describe, expect, it } from 'vitest';
import { checkSieChecksum, checksumText, encodeSie, parseSieDetailed, sieChecksum } from './index.ts';

// Records with the cases section 10.14 of the SIE 4B specification names: tabs and spaces
// between fields, quoted fields, an escaped quote, object lists, a voucher block, å ä ö.
const RECORDS = ['#FORMAT PC8', '#SIETYP 4', '#PROGRAM "Test" 1.0', '#GEN 20260331', '#FNAMN "Åkesson & Öberg AB"', '#RAR 0 20260101 20261231', '#KONTO 1915 "Kassa \\"special\\""', '#KONTO 3001 "Försäljning"', '#VER A 1 20260115 "Kontant försäljning"', '{', '   #TRANS 1915 {} 125.00', '   #TRANS 3001 {1 "Kontor 1"} -125.00', '}'];
// Computed by an independent implementation — Open End's SIE importer (jacob22/accounting,
// accounting/sie_import.py), run by test/overview/ksumma-reference.test.ts — over these records.
const REFERENCE_CRC = 1934118388;

const file = (records: string[], closing: string) => encodeSie(['#FLAGGA 0', '#KSUMMA', ...records, closing, ''].join('\r\n'));

describe('#KSUMMA (CRC-32 as SIE 4B section 10 defines it)', () => {
  it('covers labels and fields, not separators, quotes, braces or the escaping backslash', () => {
    expect(checksumText('#KONTO 1915 "Kassa \\"special\\""')).toBe('#KONTO1915Kassa "special"');
    expect(checksumText('\t#TRANS\t3001 {1 "Kontor 1"}  -125.00')).toBe('#TRANS30011Kontor 1-125.00');
    expect(checksumText('{')).toBe('');
  });

  it('matches the value an independent implementation computes for the same records', () => {
    expect(sieChecksum(RECORDS)).toBe(REFERENCE_CRC);
  });

  it('accepts a file whose closing #KSUMMA matches, and names the line when it does not', () => {
    const good = file(RECORDS, `#KSUMMA ${REFERENCE_CRC}`);
    expect(checkSieChecksum(good, parseSieDetailed(good))).toEqual([]);
    const changed = file(RECORDS.map((r) => r.replace('125.00', '126.00')), `#KSUMMA ${REFERENCE_CRC}`);
    const issues = checkSieChecksum(changed, parseSieDetailed(changed));
    expect(issues.map((i) => [i.code, i.line])).toEqual([['SIE_CHECKSUM_MISMATCH', RECORDS.length + 3]]);
  });

  it('refuses a file that announces a checksum and is cut short before the closing #KSUMMA', () => {
    const cut = encodeSie(['#FLAGGA 0', '#KSUMMA', ...RECORDS.slice(0, 5), ''].join('\r\n'));
    expect(checkSieChecksum(cut, parseSieDetailed(cut)).map((i) => [i.code, i.line])).toEqual([['SIE_CHECKSUM_MISSING', 2]]);
  });
});
