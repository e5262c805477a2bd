/**
 * The VAT report (momsdeklaration) for a period, read from the ledger: Skatteverket's boxes
 * 05 (taxable sales), 10 / 11 / 12 (output VAT 25 / 12 / 6 %), 42 (VAT-exempt sales),
 * 48 (input VAT) and 49 (VAT to pay, or to get back when negative).
 */
import type { Voucher } from '../ledger/journal.ts';

export interface VatReport {
  from: string;
  to: string;
  box05TaxableSalesOre: number;
  box10OutputVat25Ore: number;
  box11OutputVat12Ore: number;
  box12OutputVat6Ore: number;
  box42ExemptSalesOre: number;
  box48InputVatOre: number;
  box49VatToPayOre: number;
  salesByRate: { rate: 25 | 12 | 6 | 0; baseOre: number; vatOre: number }[];
}

export function vatReport(vouchers: readonly Voucher[], from: string, to: string): VatReport {
  const sum = new Map<string, number>();
  for (const v of vouchers) {
    if (v.date < from || v.date > to) continue;
    for (const l of v.lines) sum.set(l.account, (sum.get(l.account) ?? 0) + l.amountOre);
  }
  // Sales and output VAT are credits (negative in the ledger); the report shows them positive.
  const credit = (account: string) => -(sum.get(account) ?? 0);
  const salesByRate = [
    { rate: 25 as const, baseOre: credit('3001'), vatOre: credit('2611') },
    { rate: 12 as const, baseOre: credit('3002'), vatOre: credit('2621') },
    { rate: 6 as const, baseOre: credit('3003'), vatOre: credit('2631') },
    { rate: 0 as const, baseOre: credit('3004'), vatOre: 0 },
  ];
  const output = credit('2611') + credit('2621') + credit('2631');
  const input = sum.get('2641') ?? 0;
  return {
    from, to,
    box05TaxableSalesOre: credit('3001') + credit('3002') + credit('3003'),
    box10OutputVat25Ore: credit('2611'),
    box11OutputVat12Ore: credit('2621'),
    box12OutputVat6Ore: credit('2631'),
    box42ExemptSalesOre: credit('3004'),
    box48InputVatOre: input,
    box49VatToPayOre: output - input,
    salesByRate,
  };
}
