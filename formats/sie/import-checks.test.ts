import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { checkSieAccounts, checkSieEncoding, encodeSie, parseSieDetailed } from './index.ts';

const TEXT = ['#FLAGGA 0', '#FORMAT PC8', '#SIETYP 4', '#FNAMN "Fjällbacka Snickeri AB"', '#RAR 0 20260101 20261231', '#KONTO 1930 "Företagskonto"', '#KONTO 3001 "Försäljning"', '#IB 0 1930 100.00', '#VER A 1 20260115 "Försäljning"', '{', '#TRANS 1930 {} 125.00', '#TRANS 3001 {} -125.00', '}', ''].join('\r\n');

const checkEncoding = (bytes: Uint8Array) => checkSieEncoding(bytes, parseSieDetailed(bytes)).map((i) => [i.code, i.line]);

describe('SIE import checks', () => {
  it('accepts code page 437 bytes', () => {
    expect(checkEncoding(encodeSie(TEXT))).toEqual([]);
  });

  it('lists the lines of a file written as UTF-8 or Latin-1 while it declares #FORMAT PC8', () => {
    const linesWithÅÄÖ = [4, 6, 7, 9].map((line) => ['SIE_ENCODING_MISMATCH', line]);
    expect(checkEncoding(new Uint8Array(Buffer.from(TEXT, 'utf8')))).toEqual(linesWithÅÄÖ);
    expect(checkEncoding(new Uint8Array(iconv.encode(TEXT, 'latin1')))).toEqual(linesWithÅÄÖ);
  });

  it('refuses a #FORMAT other than PC8', () => {
    const bytes = encodeSie(TEXT.replace('#FORMAT PC8', '#FORMAT UTF8'));
    expect(checkEncoding(bytes)).toEqual([['SIE_FORMAT_UNSUPPORTED', 2]]);
  });

  it('lists every use of an account no #KONTO declares', () => {
    const parsed = parseSieDetailed(TEXT.replace('#KONTO 1930 "Företagskonto"\r\n', ''));
    expect(checkSieAccounts(parsed).map((i) => [i.code, i.line, i.value])).toEqual([['SIE_UNKNOWN_ACCOUNT', 7, '1930'], ['SIE_UNKNOWN_ACCOUNT', 10, '1930']]);
    expect(checkSieAccounts(parsed)[0]?.message).toMatch(/SIE 4B §6: #KONTO is mandatory in an exported type 1–4 file/);
  });

  it('a type 4I import file (vouchers only) may leave out #KONTO for a BAS account the importer has, never for another', () => {
    const importFile = TEXT.replace('#KONTO 1930 "Företagskonto"\r\n', '').replace('#IB 0 1930 100.00\r\n', '');
    expect(checkSieAccounts(parseSieDetailed(importFile))).toEqual([]);
    const unknown = checkSieAccounts(parseSieDetailed(importFile.replace('#TRANS 1930', '#TRANS FEL')));
    expect(unknown.map((i) => [i.code, i.line, i.value])).toEqual([['SIE_UNKNOWN_ACCOUNT', 9, 'FEL']]);
    expect(unknown[0]?.message).toMatch(/no BAS account/);
  });
});
