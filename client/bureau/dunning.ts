/**
 * Dunning (kravhantering) with the clock: an open invoice past its due date gets a first
 * reminder; a further one each `intervalDays` while it stays open, up to `maxLevel`.
 * A credited invoice (or the credit invoice itself) is never reminded.
 */
import { addDays } from '../../formats/calendar.ts';
import type { Invoice } from '../invoicing/model.ts';

export interface Reminder {
  invoiceId: string;
  invoiceNumber: number;
  level: number;
  date: string;
  amountOre: number;
  dueDate: string;
}

export interface DunningRules {
  intervalDays: number;
  maxLevel: number;
}

export const DEFAULT_DUNNING: DunningRules = { intervalDays: 14, maxLevel: 3 };

export function remindersDue(invoices: Iterable<Invoice>, credited: ReadonlySet<number>, sent: ReadonlyMap<string, Reminder[]>, today: string, openOre: (invoice: Invoice) => number, rules: DunningRules = DEFAULT_DUNNING): Reminder[] {
  const due: Reminder[] = [];
  for (const invoice of invoices) {
    if (invoice.kind !== 'invoice' || credited.has(invoice.number) || invoice.dueDate >= today) continue;
    const open = openOre(invoice);
    if (open <= 0) continue;
    const previous = sent.get(invoice.id) ?? [];
    const last = previous[previous.length - 1];
    if (last && (last.level >= rules.maxLevel || addDays(last.date, rules.intervalDays) > today)) continue;
    due.push({ invoiceId: invoice.id, invoiceNumber: invoice.number, level: (last?.level ?? 0) + 1, date: today, amountOre: open, dueDate: invoice.dueDate });
  }
  return due.sort((a, b) => a.invoiceNumber - b.invoiceNumber);
}
