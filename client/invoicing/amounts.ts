/**
 * An invoice's totals: VAT per rate on the sum of that rate's lines (as Skatteverket asks,
 * not per line), and öresavrundning of the total to whole kronor where the company uses it.
 * Integer öre throughout; halves round away from zero.
 */
import { VAT_RATES, type InvoiceLine, type VatGroup, type VatRate } from './model.ts';

/** Rounds a rational öre amount (numerator / denominator) half away from zero. */
function roundHalfAway(numerator: number, denominator: number): number {
  const sign = numerator < 0 ? -1 : 1;
  const abs = Math.abs(numerator);
  return sign * Math.floor((2 * abs + denominator) / (2 * denominator));
}

export function isVatRate(rate: number): rate is VatRate {
  return (VAT_RATES as readonly number[]).includes(rate);
}

export interface InvoiceTotals {
  vat: VatGroup[];
  netOre: number;
  vatOre: number;
  roundingOre: number;
  totalOre: number;
}

export function invoiceTotals(lines: readonly InvoiceLine[], roundToWholeKronor: boolean): InvoiceTotals {
  const vat: VatGroup[] = [];
  for (const rate of VAT_RATES) {
    const ofRate = lines.filter((l) => l.vatRate === rate);
    if (ofRate.length === 0) continue;
    const baseOre = ofRate.reduce((s, l) => s + l.netOre, 0);
    vat.push({ rate, baseOre, vatOre: roundHalfAway(baseOre * rate, 100) });
  }
  const netOre = vat.reduce((s, g) => s + g.baseOre, 0);
  const vatOre = vat.reduce((s, g) => s + g.vatOre, 0);
  const gross = netOre + vatOre;
  const roundingOre = roundToWholeKronor ? roundHalfAway(gross, 100) * 100 - gross : 0;
  return { vat, netOre, vatOre, roundingOre, totalOre: gross + roundingOre };
}

/** A line's net: whole units times the unit price. */
export function lineNet(quantity: number, unitPriceOre: number): number {
  return quantity * unitPriceOre;
}
