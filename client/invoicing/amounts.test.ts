import { describe, expect, it } from 'vitest';
import { invoiceTotals } from './amounts.ts';
import type { InvoiceLine, VatRate } from './model.ts';

const line = (quantity: number, unitPriceOre: number, vatRate: VatRate): InvoiceLine => ({ description: 'x', quantity, unitPriceOre, vatRate, netOre: quantity * unitPriceOre });

describe('invoice totals', () => {
  it('VAT per rate on the rate group, not per line', () => {
    // 3 × 0,33 kr at 25 %: per line 0,08 each (0,24), on the group 0,99 × 25 % = 0,2475 → 0,25
    const t = invoiceTotals([line(1, 33, 25), line(1, 33, 25), line(1, 33, 25)], false);
    expect(t.vat).toEqual([{ rate: 25, baseOre: 99, vatOre: 25 }]);
    expect(t.totalOre).toBe(124);
  });

  it('mixed rates 25 / 12 / 6 / 0', () => {
    const t = invoiceTotals([line(2, 10_000, 25), line(1, 5_050, 12), line(3, 1_999, 6), line(1, 700, 0)], false);
    expect(t.vat).toEqual([
      { rate: 25, baseOre: 20_000, vatOre: 5_000 },
      { rate: 12, baseOre: 5_050, vatOre: 606 },
      { rate: 6, baseOre: 5_997, vatOre: 360 },
      { rate: 0, baseOre: 700, vatOre: 0 },
    ]);
    expect(t).toMatchObject({ netOre: 31_747, vatOre: 5_966, roundingOre: 0, totalOre: 37_713 });
  });

  it('öresavrundning to whole kronor, up and down, and halves away from zero', () => {
    expect(invoiceTotals([line(1, 1_000, 12)], true)).toMatchObject({ totalOre: 1_100, roundingOre: -20 }); // 11,20 → 11
    expect(invoiceTotals([line(1, 1_040, 25)], true)).toMatchObject({ totalOre: 1_300, roundingOre: 0 }); // 13,00
    expect(invoiceTotals([line(1, 1_240, 25)], true)).toMatchObject({ totalOre: 1_600, roundingOre: 50 }); // 15,50 → 16
    expect(invoiceTotals([line(-1, 1_240, 25)], true)).toMatchObject({ totalOre: -1_600, roundingOre: -50 });
  });
});
