import { readFileSync, readdirSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HAS_SHARED, sharedPath } from '../../test/support/shared.ts';
import { encodeLatin1, lbErrorsByRecord, lbFileKind, parseBgMax, parseLb, withBgMaxTotals, writeBgMax, writeLb, type LbRecord } from './index.ts';

const lbGolden = readFileSync(new URL('./testdata/supplier-payments.lb.txt', import.meta.url));
const bgmaxGolden = readFileSync(new URL('./testdata/incoming.bgmax.txt', import.meta.url));

describe('LB payment order (golden file written from the Bankgirot manual)', () => {
  it('reads every record with its fields', () => {
    const result = parseLb(lbGolden);
    expect(result.issues).toEqual([]);
    const records = result.value?.records ?? [];
    expect(records.map((r) => r.type)).toEqual(['11', '14', '14', '16', '26', '27', '40', '14', '29']);
    expect(records[0]).toMatchObject({ type: '11', senderBankgiro: '0005050105', fileDate: '260314', product: 'LEVERANTÖRSBETALNINGAR', paymentDate: '260316', currency: 'SEK' });
    expect(records[1]).toMatchObject({ type: '14', payee: '0009912346', reference: '1234574', amountOre: 1_250_000, paymentDate: '260316', information: 'Faktura 1001' });
    expect(records[2]).toMatchObject({ paymentDate: 'GENAST' });
    expect(records[5]).toMatchObject({ type: '27', address: 'Storgatan 2', postCode: '12345', town: 'Storåker' });
    expect(records[6]).toMatchObject({ type: '40', clearing: '8105', account: '006948579930', statementText: 'Fakt 2211' });
    expect(records[8]).toMatchObject({ type: '29', paymentCount: 4, totalOre: 1_843_750 });
    expect(lbFileKind({ records })).toBe('payment-order');
  });

  it('writes back byte-identical Latin-1 with CRLF', () => {
    const value = parseLb(lbGolden).value;
    if (!value) throw new Error('golden LB did not parse');
    expect(Buffer.from(encodeLatin1(writeLb(value)))).toEqual(lbGolden);
  });

  it('accepts LF line endings too', () => {
    expect(parseLb(lbGolden.toString('latin1').replace(/\r\n/g, '\n')).ok).toBe(true);
  });

  const text = lbGolden.toString('latin1');
  it.each([
    ['TK29 count wrong', text.replace('000000040000', '000000050000').replace('0005050105000000040', '0005050105000000050'), 'CONTROL_COUNT_MISMATCH'],
    ['TK29 total wrong', text.replace('000001843750', '000001843751'), 'CONTROL_TOTAL_MISMATCH'],
    ['payee bankgiro check digit wrong', text.replace('1400099123461234574', '1400099123471234574'), 'BANKGIRO_INVALID'],
    ['impossible date', text.replace('000001250000260316', '000001250000260230'), 'DATE_INVALID'],
    ['amount not digits', text.replace('000001250000', '0000012500X0'), 'RECORD_FIELD'],
    ['unknown record type', text.replace('26000000000', '99000000000'), 'RECORD_UNKNOWN'],
    ['no closing record', text.split('\r\n').slice(0, -2).join('\r\n'), 'RECORD_ORDER'],
    ['over-long record', text.replace('Faktura 1001        ', 'Faktura 1001        EXTRA'), 'RECORD_LENGTH'],
  ])('%s → %s', (_name, input, code) => {
    const result = parseLb(Buffer.from(input, 'latin1'));
    expect(result.ok).toBe(false);
    expect(result.issues.map((i) => i.code)).toContain(code);
  });

  it('one bad record does not make the others unreadable', () => {
    const result = parseLb(Buffer.from(text.replace('000000489050', '00000048905X'), 'latin1'));
    expect(result.issues.find((i) => i.code === 'RECORD_FIELD')).toMatchObject({ line: 3 });
    expect(result.value?.records).toHaveLength(9);
    expect(result.value?.records[3]).toMatchObject({ type: '16', amountOre: 20_000 });
  });

  it('round-trips random payment orders (property)', () => {
    const seed = Date.now() % 100000;
    console.log(`LB round-trip property seed=${seed}`);
    const payment = fc.record({
      type: fc.constantFrom('14' as const, '15' as const, '16' as const, '17' as const),
      payee: fc.stringMatching(/^\d{10}$/),
      reference: fc.stringMatching(/^[A-Z0-9]{0,25}$/),
      amountOre: fc.integer({ min: 1, max: 999_999_999_999 }),
      paymentDate: fc.constantFrom('260316', 'GENAST', ''),
      information: fc.stringMatching(/^[A-ZÅÄÖ0-9]{0,20}$/),
    });
    fc.assert(
      fc.property(fc.array(payment, { maxLength: 20 }), (payments) => {
        const records: LbRecord[] = [
          { type: '11', senderBankgiro: '0005050105', fileDate: '260314', product: 'LEVERANTÖRSBETALNINGAR', paymentDate: '', currency: 'SEK' },
          ...payments,
          { type: '29', senderBankgiro: '0005050105', paymentCount: payments.length, totalOre: 0 },
        ];
        const parsed = parseLb(encodeLatin1(writeLb({ records })));
        expect(parsed.value?.records.map(({ line: _line, ...rest }) => rest)).toEqual(records);
      }),
      { seed, numRuns: 100 },
    );
  });
});

describe('BgMax (golden file written from the Bankgirot manual)', () => {
  it('reads sections, payments, deductions, extra references and the deposit', () => {
    const result = parseBgMax(bgmaxGolden);
    expect(result.issues).toEqual([]);
    const file = result.value;
    expect(file).toMatchObject({ version: '01', timestamp: '20260316063012123456', testMarker: 'P', trailer: { paymentCount: 2, deductionCount: 1, extraReferenceCount: 2, depositCount: 1 } });
    const [section] = file?.sections ?? [];
    expect(section).toMatchObject({ payeeBankgiro: '0050501055', currency: 'SEK' });
    expect(section?.payments[0]).toMatchObject({ reference: '1234574', referenceCode: '2', amountOre: 1_250_000, name: 'Trävaruhuset i Göteborg AB', town: 'Göteborg', organisationNumber: '005561234567' });
    expect(section?.payments[1]).toMatchObject({ deduction: true, deductionCode: '1', amountOre: 20_000 });
    expect(section?.payments[2]?.extraReferences.map((r) => r.reference)).toEqual(['655969', '657866']);
    expect(section?.payments[2]?.information).toEqual(['Betalning av två fakturor']);
    expect(section?.deposit).toMatchObject({ paymentDate: '2026-03-16', amountOre: 1_530_000, paymentCount: 3, currency: 'SEK' });
  });

  it('writes back byte-identical', () => {
    const value = parseBgMax(bgmaxGolden).value;
    if (!value) throw new Error('golden BgMax did not parse');
    expect(Buffer.from(encodeLatin1(writeBgMax(value)))).toEqual(bgmaxGolden);
  });

  it('withBgMaxTotals computes the deposit and end-record counts', () => {
    const value = parseBgMax(bgmaxGolden).value;
    if (!value) throw new Error('golden BgMax did not parse');
    const broken = { ...value, trailer: { paymentCount: 0, deductionCount: 0, extraReferenceCount: 0, depositCount: 0 } };
    expect(withBgMaxTotals(broken)).toEqual(value);
  });

  it.each([
    ['paymentCount', '7000000003000000010000000200000001', 'line 14', 'TK70 paymentCount is 3, the file holds 2 TK20 payment record(s) (lines 3, 9)'],
    ['deductionCount', '7000000002000000000000000200000001', 'line 14', 'TK70 deductionCount is 0, the file holds 1 TK21 deduction record(s) (line 8)'],
    ['extraReferenceCount', '7000000002000000010000000100000001', 'line 14', 'TK70 extraReferenceCount is 1, the file holds 2 TK22/TK23 extra reference record(s) (lines 10, 11)'],
    ['depositCount', '7000000002000000010000000200000002', 'line 14', 'TK70 depositCount is 2, the file holds 1 TK15 deposit record(s) (line 13)'],
  ])('a wrong TK70 %s names the TK70 line and the records counted', (_key, trailer, path, message) => {
    const input = bgmaxGolden.toString('latin1').replace('7000000002000000010000000200000001', trailer);
    const result = parseBgMax(Buffer.from(input, 'latin1'));
    expect(result.ok).toBe(false);
    expect(result.issues).toEqual([expect.objectContaining({ code: 'CONTROL_COUNT_MISMATCH', path, line: 14, message })]);
  });

  it('a TK15 that does not add up names its line and the payment records of its section', () => {
    const input = bgmaxGolden.toString('latin1').replace('000000000001530000SEK00000003', '000000000001530000SEK00000004');
    expect(parseBgMax(Buffer.from(input, 'latin1')).issues).toEqual([expect.objectContaining({ code: 'CONTROL_COUNT_MISMATCH', path: 'line 13', line: 13, message: 'deposit counts 4 payments, the section holds 3 (TK20/TK21 of the section from line 2: lines 3, 8, 9)' })]);
  });

  it('reports a deposit that does not add up', () => {
    const input = bgmaxGolden.toString('latin1').replace('000000000001530000SEK', '000000000001530001SEK');
    expect(parseBgMax(Buffer.from(input, 'latin1')).issues.map((i) => i.code)).toContain('CONTROL_TOTAL_MISMATCH');
  });

  it('random byte mutations never throw (fuzz)', () => {
    const seed = Date.now() % 100000;
    console.log(`BgMax/LB fuzz seed=${seed}`);
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(bgmaxGolden.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 10 }), (edits) => {
        const bg = Buffer.from(bgmaxGolden);
        const lb = Buffer.from(lbGolden);
        for (const [at, value] of edits) {
          bg[at] = value;
          lb[at % lb.length] = value;
        }
        expect(Array.isArray(parseBgMax(bg).issues)).toBe(true);
        expect(Array.isArray(parseLb(lb).issues)).toBe(true);
      }),
      { seed, numRuns: 300 },
    );
  });
});

describe.skipIf(!HAS_SHARED)('official Bankgirot samples (../shared/samples)', () => {
  const lbDir = sharedPath('samples/lb/');
  const read = (name: string) => readFileSync(`${lbDir}${name}`);

  it('LB payment order example 1: 18 payment records netting to TK29\'s 40 417,00 kr', () => {
    const result = parseLb(read('leverantorsbetalning_exempelfil_exempel1_sv.txt'));
    const records = result.value?.records ?? [];
    const payments = records.filter((r) => ['14', '15', '16', '17'].includes(r.type));
    expect(payments).toHaveLength(18);
    expect(records.at(-1)).toMatchObject({ type: '29', paymentCount: 18, totalOre: 4_041_700 });
    const codes = new Set(result.issues.map((i) => i.code));
    expect(codes.has('CONTROL_COUNT_MISMATCH') || codes.has('CONTROL_TOTAL_MISMATCH')).toBe(false);
    // The published oddities, each reported at its line: the title line, the masked numbers.
    expect(result.issues).toContainEqual(expect.objectContaining({ code: 'RECORD_UNKNOWN', line: 3 }));
    expect(result.issues.filter((i) => i.code === 'RECORD_MASKED').length).toBeGreaterThan(10);
  });

  it('LB salary file: 7 salary payments to accounts, totals agree', () => {
    const result = parseLb(read('leverantorsbetalning_exempelfil_lon_sv.txt'));
    const records = result.value?.records ?? [];
    expect(records.filter((r) => r.type === '40' && r.salary)).toHaveLength(7);
    expect(records.at(-1)).toMatchObject({ type: '29', paymentCount: 7, totalOre: 11_330_000 });
    expect(result.issues.map((i) => i.code)).not.toContain('CONTROL_TOTAL_MISMATCH');
  });

  it('LB rejection return file yields its TK49 error codes after the records they concern', () => {
    const result = parseLb(read('leverantorsbetalning_exempelfil_avvisade_sv.txt'));
    const file = result.value;
    if (!file) throw new Error('no records');
    expect(lbFileKind(file)).toBe('rejection');
    const errors = file.records.flatMap((r) => (r.type === '49' ? [r.errorCode] : []));
    expect(errors.filter((code) => code.startsWith('M'))).toEqual(['MTRV0064', 'MTRV0013', 'MTRV0042', 'MTRV0110', 'MTRV0064']);
    const withErrors = lbErrorsByRecord(file).filter((e) => e.errors.some((x) => x.code === 'MTRV0042'));
    expect(withErrors[0]?.record).toMatchObject({ type: '14', payee: '0011111111' });
    expect(file.records.at(-1)).toMatchObject({ type: '29', paymentCount: 5 });
    expect(result.issues.map((i) => i.code)).not.toContain('CONTROL_COUNT_MISMATCH');
  });

  it('LB payment monitoring and payment specification return files: counts agree with TK29', () => {
    for (const name of ['leverantorsbetalning_exempelfil_betalningsbevakning_sv.txt', 'leverantorsbetalning_exempelfil_betalningsspecifikation-med-lonedetaljer.txt']) {
      const result = parseLb(read(name));
      expect(result.value?.records.at(-1)?.type, name).toBe('29');
      expect(result.issues.map((i) => i.code), name).not.toContain('CONTROL_COUNT_MISMATCH');
      expect(result.issues.map((i) => i.code), name).not.toContain('CONTROL_TOTAL_MISMATCH');
    }
  });

  it('every LB sample: every non-blank line is a record, every oddity an issue with a line number', () => {
    for (const name of readdirSync(lbDir)) {
      const bytes = read(name);
      const nonBlank = bytes.toString('latin1').split(/\r?\n/).filter((l) => l.trim() !== '').length;
      const result = parseLb(bytes);
      expect(result.value?.records.length, name).toBe(nonBlank);
      for (const found of result.issues) expect(found.line ?? found.path, name).toBeDefined();
    }
  });

  it('BgMax sample: TK70 counts and TK15 deposits agree; TAB line and short lines reported but read', () => {
    const result = parseBgMax(readFileSync(sharedPath('samples/bgmax/bankgiroinbetalningar_exempelfil_avtal-om-ocr-kontroll_checksiffra_langd_sv.txt')));
    expect(result.ok).toBe(true);
    const file = result.value;
    expect(file?.trailer).toEqual({ paymentCount: 6, deductionCount: 1, extraReferenceCount: 6, depositCount: 2 });
    expect(file?.sections.map((s) => s.deposit?.amountOre)).toEqual([190_000, 800_000]);
    expect(result.issues).toContainEqual(expect.objectContaining({ code: 'RECORD_FIELD', line: 17, severity: 'warning' }));
    const tabbed = file?.sections[0]?.payments[2]?.extraReferences[3];
    expect(tabbed).toMatchObject({ reference: '657965', amountOre: 0, referenceCode: '2' });
    expect(file?.sections[0]?.payments[0]).toMatchObject({ name: 'Kalles Plåt AB', town: 'Storåker', organisationNumber: '005500001234' });
  });

  it('BgMax variant with an EUR section (LF line endings)', () => {
    const result = parseBgMax(readFileSync(sharedPath('samples/bgmax/rickardlindgren_bankgiroinbetalningar_exempelfil_variant.txt')));
    expect(result.ok).toBe(true);
    expect(result.value?.sections.map((s) => [s.currency, s.deposit?.amountOre])).toEqual([['SEK', 190_000], ['SEK', 800_000], ['EUR', 400_000]]);
    expect(result.value?.trailer.depositCount).toBe(3);
  });
});
