/**
 * What `validate --bank` adds to a format check: the bank's rule for a payment date that is
 * not a bank day (decided at the bank, not by the format). A bank that rolls such a date
 * forward is a warning naming the day it pays on; one that rejects it is an error (DT01), as
 * the upload would be.
 */
import { isBankDay, rollToBankDay } from '../formats/calendar.ts';
import type { FileValidation } from '../formats/detect.ts';
import { isIsoDate } from '../formats/dates.ts';
import { issue, type FormatIssue } from '../formats/issues.ts';
import type { BankProfile } from '../simulator/banks/profile.ts';

export function bankDayIssues(result: FileValidation, profile: BankProfile): FormatIssue[] {
  const format = result.format === 'lb' ? 'lb' : result.format === 'pain.001' ? 'pain001' : undefined;
  if (format === undefined || (format === 'lb' && result.summary['kind'] !== 'payment-order')) return [];
  const dates = result.summary['executionDates'];
  const policy = profile.nonBankDayPolicy[format];
  return (Array.isArray(dates) ? dates : []).filter((d) => isIsoDate(d) && !isBankDay(d)).map((date) => policy === 'reject'
    ? issue('DATE_INVALID', 'payment date', `${date} is not a bank day: ${profile.displayName} rejects ${format === 'lb' ? 'an LB' : 'a pain.001'} payment dated on it (DT01)`, { value: date })
    : issue('DATE_INVALID', 'payment date', `${date} is not a bank day: ${profile.displayName} pays on ${rollToBankDay(date)}`, { value: date, severity: 'warning' }));
}
