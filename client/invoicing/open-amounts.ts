/**
 * What is open on an invoice, and what a negative part of an incoming payment (a BgMax TK21
 * deduction or TK23 negative reference, held on 2890) may settle. One rule for both programs,
 * so the invoicing program and the bureau's program show the same open amounts.
 *
 * As Swedish accounting programs do it, a payer's deduction is a credit note set off
 * ("kvittad") against a payment: it settles the credit invoice (the credit is then paid out by
 * set-off, no longer owed back), or — where the payer simply paid an invoice less — it reduces
 * what was applied to that invoice, which is open again. Neither is guessed: a person picks it.
 */
import type { Invoice } from './model.ts';

export type OpenInvoice = Pick<Invoice, 'kind' | 'totalOre' | 'paidOre' | 'number'> & { creditOf?: number | undefined };

export interface CreditContext {
  /** Whether a credit invoice credits this invoice (it is then closed). */
  credited: boolean;
  /** For a credit invoice: what had been paid on the invoice it credits. */
  paidOnCreditedOre: number;
}

/** 0 − x, not −x: JSON turns −0 into 0, and the two programs compare what they show. */
const zeroSafe = (n: number) => (n === 0 ? 0 : n);

/**
 * Open on an ordinary invoice: its total less what is applied (0 once credited: the credit
 * invoice took its place). Open on a credit invoice: what the customer is owed back — what it
 * had paid on the credited invoice, less what has since been settled (set off) — negative.
 */
export function openAmountOre(invoice: OpenInvoice, context: CreditContext): number {
  const paid = invoice.paidOre ?? 0;
  if (invoice.kind === 'credit') return zeroSafe(0 - context.paidOnCreditedOre - paid);
  return context.credited ? 0 : zeroSafe(invoice.totalOre - paid);
}

/** How much of a negative part an invoice can take, or why it cannot take any. */
export function negativePartLimit(invoice: OpenInvoice, context: CreditContext): { ok: true; limitOre: number } | { ok: false; message: string } {
  if (invoice.kind === 'credit') {
    const owed = 0 - openAmountOre(invoice, context);
    if (owed <= 0) return { ok: false, message: `credit invoice ${invoice.number} leaves nothing owed back to the customer (nothing was paid on invoice ${invoice.creditOf ?? '?'}, or it is settled already)` };
    return { ok: true, limitOre: owed };
  }
  if (context.credited) return { ok: false, message: `invoice ${invoice.number} is credited: settle the deduction against its credit invoice` };
  const paid = invoice.paidOre ?? 0;
  if (paid <= 0) return { ok: false, message: `nothing is paid on invoice ${invoice.number}, so a deduction cannot reduce it: settle it against the customer's credit invoice` };
  return { ok: true, limitOre: paid };
}
