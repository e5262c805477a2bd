/** Where the console's clock buttons move a sandbox: pure, from its clock and its bank's cut-off. */
import { isBankDay, nextBankDay } from '../engine/calendar.ts';
import type { LocalDateTime } from '../engine/model.ts';

/** The next cut-off strictly after now (today's if it is a bank day and the cut-off is ahead). */
export function nextCutoff(now: LocalDateTime, cutoffTime: string): LocalDateTime {
  const today = now.slice(0, 10);
  const cutoff = `${cutoffTime}:00`;
  if (isBankDay(today) && now.slice(11) < cutoff) return `${today}T${cutoff}`;
  return `${nextBankDay(today)}T${cutoff}`;
}

/** The start of the next bank day's business (08:00), whatever today is. */
export function nextBankDayStart(now: LocalDateTime): LocalDateTime {
  return `${nextBankDay(now.slice(0, 10))}T08:00:00`;
}

/** A date (`YYYY-MM-DD`, then at the current time of day) or a date-time from a form field. */
export function dateTarget(now: LocalDateTime, input: string): LocalDateTime | undefined {
  const value = input.trim().replace(' ', 'T');
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return `${value}${now.slice(10)}`;
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value)) return `${value}:00`;
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/.test(value)) return value;
  return undefined;
}
