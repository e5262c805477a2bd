import { describe, expect, it } from 'vitest';
import { parseSieDetailed } from '../../formats/sie/sie4.ts';
import { fiscalYearsOf, monthsOf } from './fiscal-year.ts';
import { incomeStatement, monthlyFigures } from './statements.ts';

const sie = (...records: string[]) => {
  const parsed = parseSieDetailed(['#FLAGGA 0', '#FORMAT PC8', ...records, '#KONTO 1930 "Bank"', '#KONTO 3001 "Försäljning"', '#KONTO 4010 "Inköp"', ''].join('\r\n'));
  if (!parsed.result.value) throw new Error('unparsable');
  return fiscalYearsOf(parsed.result.value, parsed.lines);
};

describe('fiscal years from SIE', () => {
  it('lists the calendar months of a broken fiscal year', () => {
    expect(monthsOf('20250701', '20260630')).toEqual(['202507', '202508', '202509', '202510', '202511', '202512', '202601', '202602', '202603', '202604', '202605', '202606']);
  });

  it('takes the months from #PSALDO when the file has it, not from its vouchers', () => {
    const [year] = sie('#SIETYP 4', '#RAR 0 20260101 20261231', '#PSALDO 0 202602 3001 {} -500.00', '#PSALDO 0 202602 3001 {1 "7"} -200.00', '#PSALDO 0 202602 1930 {} 500.00',
      '#VER A 1 20260315 "Försäljning"', '{', '#TRANS 1930 {} 100.00', '#TRANS 3001 {} -100.00', '}');
    expect(year?.monthlySource).toBe('PSALDO');
    expect(monthlyFigures(year!).filter((m) => m.resultOre !== 0)).toEqual([{ period: '202602', revenueOre: 500_00, costsOre: 0, resultOre: 500_00, bankOre: 500_00 }]);
  });

  it('sums the vouchers per month when there is no #PSALDO, and checks them against #UB and #RES', () => {
    const [year] = sie('#SIETYP 4', '#RAR 0 20260101 20261231', '#IB 0 1930 1000.00', '#UB 0 1930 1100.00', '#RES 0 3001 -150.00',
      '#VER A 1 20260315 "Försäljning"', '{', '#TRANS 1930 {} 100.00', '#TRANS 3001 {} -100.00', '}');
    expect(year?.monthlySource).toBe('VER');
    expect(incomeStatement(year!, '202603').bottomLine.amountsOre).toEqual([100_00, 100_00, 150_00]);
    expect(year?.reconciliation).toEqual([{ account: '3001', record: '#RES', line: 7, statedOre: -150_00, computedOre: -100_00 }]);
  });

  it('gives a #SIETYP 1 file its year figures and no months', () => {
    const [year] = sie('#SIETYP 1', '#RAR 0 20260101 20261231', '#RES 0 3001 -900.00', '#RES 0 4010 400.00');
    expect(year?.months).toBeUndefined();
    expect(incomeStatement(year!).bottomLine.amountsOre).toEqual([500_00]);
  });
});
