/**
 * Double-entry bookkeeping on BAS accounts: vouchers that always balance, the postings of the
 * purchasing flow, a trial balance and the SIE 4 export (via formats/).
 */
import { writeSieExport } from './sie-export.ts';

export const BAS_ACCOUNTS: Record<string, string> = {
  '1510': 'Kundfordringar',
  '1920': 'PlusGiro',
  '1930': 'Företagskonto / checkkonto',
  '2420': 'Förskott från kunder',
  '2440': 'Leverantörsskulder',
  '2611': 'Utgående moms på försäljning 25 %',
  '2621': 'Utgående moms på försäljning 12 %',
  '2631': 'Utgående moms på försäljning 6 %',
  '2641': 'Debiterad ingående moms',
  '2650': 'Redovisningskonto för moms',
  '2890': 'Övriga kortfristiga skulder',
  '3001': 'Försäljning inom Sverige, 25 % moms',
  '3002': 'Försäljning inom Sverige, 12 % moms',
  '3003': 'Försäljning inom Sverige, 6 % moms',
  '3004': 'Försäljning inom Sverige, momsfri',
  '3740': 'Öres- och kronutjämning',
  '4010': 'Inköp material och varor',
  '5010': 'Lokalhyra',
  '6570': 'Bankkostnader',
};

export interface VoucherLine {
  account: string;
  /** Positive = debit, negative = credit (as in SIE). */
  amountOre: number;
}

export interface Voucher {
  series: string;
  number: number;
  date: string;
  text: string;
  lines: VoucherLine[];
  /** What the voucher books, e.g. `invoice:INV-3` or `payment:INV-3`. */
  source: string;
  reverses?: string;
}

export class UnbalancedVoucher extends Error {}

export class Journal {
  /** Next number per series, so adding a voucher costs O(1) however many there are. */
  private readonly nextNumber = new Map<string, number>();

  constructor(readonly vouchers: Voucher[] = []) {
    for (const v of vouchers) this.count(v);
  }

  private count(v: Voucher): void {
    this.nextNumber.set(v.series, Math.max(this.nextNumber.get(v.series) ?? 1, v.number + 1));
  }

  /** The number the next voucher of a series gets. */
  peekNumber(series: string): number {
    return this.nextNumber.get(series) ?? 1;
  }

  /** Puts back a voucher read from storage, number and all. */
  restore(voucher: Voucher): void {
    this.vouchers.push(voucher);
    this.count(voucher);
  }

  add(voucher: Omit<Voucher, 'number'>): Voucher {
    const sum = voucher.lines.reduce((s, l) => s + l.amountOre, 0);
    if (sum !== 0) throw new UnbalancedVoucher(`voucher "${voucher.text}" does not balance: ${sum} öre`);
    if (voucher.lines.some((l) => !Number.isSafeInteger(l.amountOre))) throw new UnbalancedVoucher('amounts must be integer öre');
    const number = this.nextNumber.get(voucher.series) ?? 1;
    const full = { ...voucher, number };
    this.vouchers.push(full);
    this.count(full);
    return full;
  }

  /** A supplier invoice: cost and input VAT debited, supplier liability credited. */
  postSupplierInvoice(input: { invoiceId: string; date: string; supplier: string; totalOre: number; vatOre: number; costAccount: string }): Voucher {
    return this.add({
      series: 'A', date: input.date, text: `Leverantörsfaktura ${input.invoiceId} ${input.supplier}`, source: `invoice:${input.invoiceId}`,
      lines: [
        { account: input.costAccount, amountOre: input.totalOre - input.vatOre },
        ...(input.vatOre > 0 ? [{ account: '2641', amountOre: input.vatOre }] : []),
        { account: '2440', amountOre: -input.totalOre },
      ],
    });
  }

  /** The payment of a supplier invoice from the bank account. */
  bookPayment(input: { invoiceId: string; date: string; supplier: string; amountOre: number }): Voucher {
    return this.add({
      series: 'B', date: input.date, text: `Betalning ${input.invoiceId} ${input.supplier}`, source: `payment:${input.invoiceId}`,
      lines: [{ account: '2440', amountOre: input.amountOre }, { account: '1930', amountOre: -input.amountOre }],
    });
  }

  /** Reverses the latest unreversed voucher of a source (a cancelled or rejected payment). */
  reverse(source: string, date: string, text: string): Voucher | undefined {
    const reversed = new Set(this.vouchers.flatMap((v) => (v.reverses ? [v.reverses] : [])));
    const original = [...this.vouchers].reverse().find((v) => v.source === source && !v.reverses && !reversed.has(`${v.series}${v.number}`));
    if (!original) return undefined;
    return this.add({ series: original.series, date, text, source, reverses: `${original.series}${original.number}`, lines: original.lines.map((l) => ({ account: l.account, amountOre: -l.amountOre })) });
  }

  /** Balance per account of every voucher dated on or before `asOf`. */
  trialBalance(asOf?: string): { account: string; name: string; balanceOre: number }[] {
    const sums = new Map<string, number>();
    for (const v of this.vouchers) {
      if (asOf !== undefined && v.date > asOf) continue;
      for (const l of v.lines) sums.set(l.account, (sums.get(l.account) ?? 0) + l.amountOre);
    }
    return [...sums.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([account, balanceOre]) => ({ account, name: BAS_ACCOUNTS[account] ?? '', balanceOre }));
  }

  balanceOf(account: string, asOf?: string): number {
    return this.trialBalance(asOf).find((r) => r.account === account)?.balanceOre ?? 0;
  }

  /** SIE 4 export for an accounting overview service (see sie-export.ts for what it holds). */
  toSie(company: { name: string; organisationNumber: string }, fiscalYear: { start: string; end: string }, generated: string): string {
    return writeSieExport({ program: { name: 'sandbank reference client', version: '0.1.0' }, company, fiscalYear, generated, vouchers: this.vouchers, accountNames: BAS_ACCOUNTS });
  }
}
