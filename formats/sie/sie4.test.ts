import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HAS_SHARED, sharedPath } from '../../test/support/shared.ts';
import { encodeSie, parseSie, tokenizeSieLine, writeSie, type SieFile } from './index.ts';

const file: SieFile = {
  program: { name: 'sandbank', version: '0.1.0' },
  sieType: 4,
  format: 'PC8',
  generated: '20260331',
  companyName: 'Fjällbacka Snickeri AB',
  organisationNumber: '556512-3456',
  fiscalYears: [{ index: 0, start: '20260101', end: '20261231' }],
  chartOfAccountsType: 'BAS2014',
  currency: 'SEK',
  accounts: [
    { number: '1930', name: 'Företagskonto' },
    { number: '2440', name: 'Leverantörsskulder' },
    { number: '2641', name: 'Debiterad ingående moms' },
    { number: '4010', name: 'Inköp material och varor' },
  ],
  openingBalances: [{ yearIndex: 0, account: '1930', amountOre: 10_000_000 }],
  closingBalances: [{ yearIndex: 0, account: '1930', amountOre: 8_750_000 }, { yearIndex: 0, account: '2440', amountOre: 0 }],
  results: [{ yearIndex: 0, account: '4010', amountOre: 1_000_000 }],
  periodBalances: [{ yearIndex: 0, period: '202603', account: '1930', objects: '{}', amountOre: -1_250_000 }, { yearIndex: 0, period: '202603', account: '4010', objects: '{1 "Kontor 1"}', amountOre: 1_000_000 }],
  vouchers: [
    { series: 'A', number: '1', date: '20260314', text: 'Leverantörsfaktura 1001 Trävaruhuset', transactions: [
      { account: '4010', objects: '{}', amountOre: 1_000_000 },
      { account: '2641', objects: '{}', amountOre: 250_000 },
      { account: '2440', objects: '{}', amountOre: -1_250_000 },
    ] },
    { series: 'B', number: '1', date: '20260316', text: 'Betalning "1001"', registrationDate: '20260316', transactions: [
      { account: '2440', objects: '{}', amountOre: 1_250_000, date: '20260316', text: 'E2E-INV-1001' },
      { account: '1930', objects: '{}', amountOre: -1_250_000 },
    ] },
  ],
  other: [],
};

describe('SIE 4', () => {
  it('round-trips write → parse', () => {
    const parsed = parseSie(encodeSie(writeSie(file)));
    expect(parsed.issues).toEqual([]);
    expect(parsed.value).toEqual(file);
  });

  it('round-trips a checksummed file (#KSUMMA after #FLAGGA and last)', () => {
    const text = writeSie(file, { checksum: true });
    const lines = text.trimEnd().split('\r\n');
    expect(lines.slice(0, 2)).toEqual(['#FLAGGA 0', '#KSUMMA']);
    expect(lines.at(-1)).toMatch(/^#KSUMMA \d+$/);
    expect(parseSie(encodeSie(text)).value).toEqual(file);
  });

  it('writes the header the format requires, in code page 437', () => {
    const text = writeSie(file);
    expect(text.split('\r\n').slice(0, 3)).toEqual(['#FLAGGA 0', '#FORMAT PC8', '#SIETYP 4']);
    const bytes = Buffer.from(encodeSie(text));
    // ä is 0x84 and ö 0x94 in CP437 (not 0xE4/0xF6 as in Latin-1).
    expect(bytes.includes(Buffer.from([0x46, 0x6a, 0x84, 0x6c, 0x6c]))).toBe(true);
    expect(bytes.includes(0xe4)).toBe(false);
  });

  it('reports a voucher that does not balance', () => {
    const broken = writeSie(file).replace('#TRANS 1930 {} -12500.00', '#TRANS 1930 {} -12499.00');
    expect(parseSie(broken).issues.map((i) => [i.code, i.line])).toEqual([['SIE_UNBALANCED_VOUCHER', writeSie(file).split('\r\n').findIndex((l) => l.startsWith('#VER "B"')) + 1]]);
  });

  it('reports syntax problems with their line numbers and keeps reading', () => {
    const broken = writeSie(file).replace('#KONTO 2440', 'KONTO 2440').replace('#TRANS 2641 {} 2500.00', '#TRANS 2641 {} 25,00');
    const parsed = parseSie(broken);
    expect(parsed.issues.filter((i) => i.code === 'SIE_SYNTAX').map((i) => i.line)).toHaveLength(2);
    expect(parsed.value?.vouchers).toHaveLength(2);
  });

  it('tokenizes quoted strings with escapes and object lists', () => {
    expect(tokenizeSieLine('#TRANS 2440 {"1" "1"} -18579.00 20100105 "Text \\"citat\\""')).toEqual(['#TRANS', '2440', '{"1" "1"}', '-18579.00', '20100105', 'Text "citat"']);
  });
});

describe.skipIf(!HAS_SHARED)('real SIE 4 exports (../shared/samples/sie)', () => {
  it.each([
    ['Sie4.se', 'Demoföretaget AB', 70],
    ['Sie4.si', 'Testföretaget AB', 165],
    ['SIE_exempelfil.se', 'SBMDEMO Lars', 26],
    ['SIE-fil_fran_Visma_Eget_Aktiebolag_2010.se', 'Övningsföretaget AB', 0],
  ])('%s reads with every voucher balanced', (name, company, vouchers) => {
    const parsed = parseSie(readFileSync(sharedPath(`samples/sie/${name}`)));
    expect(parsed.issues).toEqual([]);
    expect(parsed.value?.companyName).toBe(company);
    expect(parsed.value?.vouchers).toHaveLength(vouchers);
    expect(parsed.value?.accounts.length).toBeGreaterThan(100);
  });
});
