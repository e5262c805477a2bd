/**
 * How the bureau books a customer invoice on BAS: the receivable on 1510 against revenue per
 * VAT rate (3001 / 3002 / 3003, 3004 VAT-free) and output VAT (2611 / 2621 / 2631), the
 * öresavrundning on 3740. A credit invoice carries negative amounts, so the same rule books
 * it as the mirror (reversal) of what it credits.
 */
import type { Voucher, VoucherLine } from '../ledger/journal.ts';
import type { Invoice, ScannedDocument, VatRate } from '../invoicing/model.ts';

export const REVENUE_ACCOUNT: Record<VatRate, string> = { 25: '3001', 12: '3002', 6: '3003', 0: '3004' };
export const OUTPUT_VAT_ACCOUNT: Record<Exclude<VatRate, 0>, string> = { 25: '2611', 12: '2621', 6: '2631' };
export const RECEIVABLES = '1510';
export const ROUNDING = '3740';
export const CUSTOMER_INVOICE_SERIES = 'F';
export const DOCUMENT_SERIES = 'A';

export function customerInvoiceVoucher(invoice: Invoice): Omit<Voucher, 'number'> {
  const lines: VoucherLine[] = [{ account: RECEIVABLES, amountOre: invoice.totalOre }];
  for (const group of invoice.vat) {
    lines.push({ account: REVENUE_ACCOUNT[group.rate], amountOre: -group.baseOre });
    if (group.rate !== 0 && group.vatOre !== 0) lines.push({ account: OUTPUT_VAT_ACCOUNT[group.rate], amountOre: -group.vatOre });
  }
  if (invoice.roundingOre !== 0) lines.push({ account: ROUNDING, amountOre: -invoice.roundingOre });
  const text = invoice.kind === 'credit' ? `Kreditfaktura ${invoice.number} (krediterar ${invoice.creditOf}) ${invoice.customerName}` : `Kundfaktura ${invoice.number} ${invoice.customerName}`;
  return { series: CUSTOMER_INVOICE_SERIES, date: invoice.invoiceDate, text, source: `customer-invoice:${invoice.id}`, lines: lines.filter((l) => l.amountOre !== 0 || l.account === RECEIVABLES) };
}

export interface DocumentRegistration {
  date: string;
  totalOre: number;
  vatOre: number;
  /** The cost account, e.g. 4010 (goods), 5010 (rent), 5460 (consumables), 6570 (bank fees). */
  costAccount: string;
  text?: string | undefined;
}

/**
 * A scanned supplier invoice: cost and input VAT against the supplier liability (2440). A
 * receipt was paid already: against the bank account (1930).
 */
export function documentVoucher(document: ScannedDocument, r: DocumentRegistration): Omit<Voucher, 'number'> {
  const counter = document.kind === 'supplier-invoice' ? '2440' : '1930';
  const word = document.kind === 'supplier-invoice' ? 'Leverantörsfaktura' : 'Kvitto';
  return {
    series: DOCUMENT_SERIES, date: r.date, text: r.text ?? `${word} ${document.fileName}${document.comment ? ` — ${document.comment}` : ''}`, source: `document:${document.id}`,
    lines: [
      { account: r.costAccount, amountOre: r.totalOre - r.vatOre },
      ...(r.vatOre !== 0 ? [{ account: '2641', amountOre: r.vatOre }] : []),
      { account: counter, amountOre: -r.totalOre },
    ],
  };
}
