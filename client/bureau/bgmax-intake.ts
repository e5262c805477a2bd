/**
 * Matching a BgMax file's incoming payments to open customer invoices by OCR reference.
 * Pure: the file is parsed and checked by formats/, the open amounts come from the caller.
 *
 * - A payment's identity is its source: receiving bankgiro, payment date, Bankgirot's serial
 *   (`bgmax:<bankgiro>:<date>:<serial>`), so reading a file twice finds nothing new.
 * - Full, partial and over-payments are allocated to the invoice (an over-payment's rest stays
 *   unapplied on the customer); an unknown or malformed reference goes to the unmatched list.
 * - TK22 extra references name further invoices: their amounts go there, the rest of the TK20
 *   amount to its own reference. A TK23 (negative) part is held for a person, so the money
 *   booked always adds up to what the file says arrived.
 * - A TK21 deduction is never guessed: it is held for a person.
 */
import type { BgMaxFile } from '../../formats/bankgirot/bgmax.ts';
import { checkOcr } from '../../formats/identifiers/ocr.ts';
import type { Invoice } from '../invoicing/model.ts';

export interface Allocation {
  identity: string;
  date: string;
  amountOre: number;
  invoiceId: string;
  customerId: string;
  reference: string;
  appliedOre: number;
  unappliedOre: number;
  line?: number | undefined;
}

export interface Unmatched {
  identity: string;
  date: string;
  /** Negative for a deduction. */
  amountOre: number;
  reference: string;
  /**
   * deduction: a TK21; negative-reference: a TK23 part; references-exceed-amount: TK22 parts
   * naming more than the payment (the whole payment is held).
   */
  reason: 'unknown-reference' | 'malformed-reference' | 'deduction' | 'negative-reference' | 'references-exceed-amount';
  payerName?: string | undefined;
  line?: number | undefined;
  deductionCode?: string | undefined;
}

export function matchBgMax(file: BgMaxFile, invoiceByOcr: (ocr: string) => Invoice | undefined, openOre: (invoice: Invoice) => number): { allocations: Allocation[]; unmatched: Unmatched[] } {
  const allocations: Allocation[] = [];
  const unmatched: Unmatched[] = [];
  // Payments to one invoice within the file reduce what is open for the next.
  const taken = new Map<string, number>();
  const open = (invoice: Invoice) => openOre(invoice) - (taken.get(invoice.id) ?? 0);
  for (const section of file.sections) {
    const date = section.deposit?.paymentDate ?? '';
    for (const p of section.payments) {
      const identity = `bgmax:${section.payeeBankgiro}:${date}:${p.bgcSerialNumber}`;
      if (p.deduction) {
        unmatched.push({ identity, date, amountOre: -p.amountOre, reference: p.reference, reason: 'deduction', payerName: p.name, line: p.line, deductionCode: p.deductionCode });
        continue;
      }
      // The TK20 amount is the whole payment: each TK22 names a part of it for another invoice,
      // each TK23 a negative part (a credit invoice the payer set off), and the TK20's own
      // reference gets the rest.
      const rest = p.extraReferences.reduce((r, extra) => r + (extra.negative ? extra.amountOre : -extra.amountOre), p.amountOre);
      if (rest < 0) {
        // The references name more than was paid: the split cannot be right, so none of it is applied.
        unmatched.push({ identity, date, amountOre: p.amountOre, reference: p.reference, reason: 'references-exceed-amount', payerName: p.name, line: p.line });
        continue;
      }
      const parts = [{ reference: p.reference, amountOre: rest, identity }];
      p.extraReferences.forEach((extra, k) => {
        const partIdentity = `${identity}:${k + 1}`;
        if (!extra.negative) parts.push({ reference: extra.reference, amountOre: extra.amountOre, identity: partIdentity });
        // Which credit a TK23 part settles is never guessed: held for a person, as a deduction is.
        else if (extra.amountOre > 0) unmatched.push({ identity: partIdentity, date, amountOre: -extra.amountOre, reference: extra.reference, reason: 'negative-reference', payerName: p.name, line: p.line });
      });
      for (const part of parts) {
        const partIdentity = part.identity;
        if (part.amountOre <= 0) continue;
        const valid = checkOcr(part.reference, 'check-digit').ok;
        const invoice = valid ? invoiceByOcr(part.reference) : undefined;
        if (!invoice) {
          unmatched.push({ identity: partIdentity, date, amountOre: part.amountOre, reference: part.reference, reason: valid ? 'unknown-reference' : 'malformed-reference', payerName: p.name, line: p.line });
          continue;
        }
        const appliedOre = Math.max(0, Math.min(open(invoice), part.amountOre));
        taken.set(invoice.id, (taken.get(invoice.id) ?? 0) + appliedOre);
        allocations.push({ identity: partIdentity, date, amountOre: part.amountOre, invoiceId: invoice.id, customerId: invoice.customerId, reference: part.reference, appliedOre, unappliedOre: part.amountOre - appliedOre, line: p.line });
      }
    }
  }
  return { allocations, unmatched };
}
