import { describe, expect, it } from 'vitest';
import { checkSieImport, encodeSie, parseSieDetailed } from '../../formats/sie/index.ts';
import { parseSie } from '../../formats/sie/sie4.ts';
import { Journal, UnbalancedVoucher } from './journal.ts';

describe('journal (double entry on BAS accounts)', () => {
  it('posts a supplier invoice: cost and input VAT debited, 2440 credited', () => {
    const j = new Journal();
    const v = j.postSupplierInvoice({ invoiceId: 'INV-1', date: '2026-03-02', supplier: 'Trävaruhuset', totalOre: 12_500_00, vatOre: 2_500_00, costAccount: '4010' });
    expect(v.lines).toEqual([{ account: '4010', amountOre: 10_000_00 }, { account: '2641', amountOre: 2_500_00 }, { account: '2440', amountOre: -12_500_00 }]);
    expect(v).toMatchObject({ series: 'A', number: 1 });
  });

  it('books a payment (2440 / 1930) and reverses it exactly once', () => {
    const j = new Journal();
    j.bookPayment({ invoiceId: 'INV-1', date: '2026-03-16', supplier: 'T', amountOre: 500_00 });
    expect(j.balanceOf('1930')).toBe(-500_00);
    const reversal = j.reverse('payment:INV-1', '2026-03-10', 'cancelled');
    expect(reversal?.reverses).toBe('B1');
    expect(j.balanceOf('1930')).toBe(0);
    expect(j.reverse('payment:INV-1', '2026-03-10', 'again')).toBeUndefined();
  });

  it('refuses a voucher that does not balance', () => {
    expect(() => new Journal().add({ series: 'A', date: '2026-03-01', text: 'x', source: 's', lines: [{ account: '1930', amountOre: 1 }] })).toThrow(UnbalancedVoucher);
  });

  it('trial balance as of a date ignores later vouchers', () => {
    const j = new Journal();
    j.bookPayment({ invoiceId: 'A', date: '2026-03-16', supplier: 'T', amountOre: 100 });
    j.bookPayment({ invoiceId: 'B', date: '2026-04-16', supplier: 'T', amountOre: 200 });
    expect(j.balanceOf('1930', '2026-03-31')).toBe(-100);
    expect(j.balanceOf('1930')).toBe(-300);
  });

  it('exports SIE 4 that reads back with every voucher balanced', () => {
    const j = new Journal();
    j.postSupplierInvoice({ invoiceId: 'INV-1', date: '2026-03-02', supplier: 'Trävaruhuset', totalOre: 12_500_00, vatOre: 2_500_00, costAccount: '4010' });
    j.bookPayment({ invoiceId: 'INV-1', date: '2026-03-16', supplier: 'Trävaruhuset', amountOre: 12_500_00 });
    const parsed = parseSie(j.toSie({ name: 'Fjällbacka Snickeri AB', organisationNumber: '5565123456' }, { start: '2026-01-01', end: '2026-12-31' }, '2026-03-31'));
    expect(parsed.issues).toEqual([]);
    expect(parsed.value?.vouchers).toHaveLength(2);
    expect(parsed.value?.results).toEqual([{ yearIndex: 0, account: '4010', amountOre: 10_000_00 }]);
    expect(parsed.value?.closingBalances.find((b) => b.account === '1930')?.amountOre).toBe(-12_500_00);
  });

  it('exports what an overview needs: #IB from earlier years, #UB, #RES, #PSALDO per month, #KSUMMA', () => {
    const j = new Journal();
    j.postSupplierInvoice({ invoiceId: 'INV-0', date: '2025-12-20', supplier: 'Trävaruhuset', totalOre: 5_000_00, vatOre: 1_000_00, costAccount: '4010' });
    j.postSupplierInvoice({ invoiceId: 'INV-1', date: '2026-03-02', supplier: 'Trävaruhuset', totalOre: 12_500_00, vatOre: 2_500_00, costAccount: '4010' });
    j.bookPayment({ invoiceId: 'INV-0', date: '2026-01-10', supplier: 'Trävaruhuset', amountOre: 5_000_00 });
    j.bookPayment({ invoiceId: 'INV-1', date: '2026-03-16', supplier: 'Trävaruhuset', amountOre: 12_500_00 });
    const bytes = encodeSie(j.toSie({ name: 'Fjällbacka Snickeri AB', organisationNumber: '5565123456' }, { start: '2026-01-01', end: '2026-12-31' }, '2026-03-31'));
    const parsed = parseSieDetailed(bytes);
    expect([...parsed.result.issues, ...checkSieImport(bytes, parsed)]).toEqual([]);
    expect(parsed.lines.checksumStart).toBe(2);
    const sie = parsed.result.value;
    // Last year's cost (4 000 kr) closed into equity, so the opening balances balance.
    expect(sie?.openingBalances).toEqual([
      { yearIndex: 0, account: '1930', amountOre: 0 },
      { yearIndex: 0, account: '2091', amountOre: 4_000_00 },
      { yearIndex: 0, account: '2440', amountOre: -5_000_00 },
      { yearIndex: 0, account: '2641', amountOre: 1_000_00 },
    ]);
    expect(sie?.closingBalances.find((b) => b.account === '2440')?.amountOre).toBe(0);
    expect(sie?.results).toEqual([{ yearIndex: 0, account: '4010', amountOre: 10_000_00 }]);
    expect(sie?.periodBalances?.filter((p) => p.account === '1930')).toEqual([
      { yearIndex: 0, period: '202601', account: '1930', objects: '{}', amountOre: -5_000_00 },
      { yearIndex: 0, period: '202603', account: '1930', objects: '{}', amountOre: -12_500_00 },
    ]);
    expect(sie?.vouchers).toHaveLength(3);
  });
});
