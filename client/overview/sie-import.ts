/**
 * From uploaded bytes to the fiscal years the overview stores — or the list of every problem,
 * each with its line, and nothing stored. Pure.
 */
import { checkSieImport } from '../../formats/sie/import-checks.ts';
import { parseSieDetailed } from '../../formats/sie/sie4.ts';
import { hasErrors, type FormatIssue } from '../../formats/issues.ts';
import { fiscalYearsOf, type FiscalYear } from './fiscal-year.ts';

/** The documented upload limit (README, "Accounting overview"): the largest real exports seen are a few MB. */
export const MAX_SIE_BYTES = 10 * 1024 * 1024;

export type SieImport =
  | { ok: true; years: FiscalYear[]; organisationNumber?: string; warnings: FormatIssue[] }
  | { ok: false; issues: FormatIssue[] };

export function importSie(bytes: Uint8Array): SieImport {
  const parsed = parseSieDetailed(bytes);
  const issues = [...parsed.result.issues, ...checkSieImport(bytes, parsed)];
  const file = parsed.result.value;
  if (file && file.fiscalYears.length === 0) issues.push({ path: 'file', code: 'SIE_SYNTAX', message: 'no #RAR: the file does not say which fiscal year it holds', severity: 'error' });
  for (const year of file?.fiscalYears ?? []) {
    if (!/^\d{8}$/.test(year.start) || !/^\d{8}$/.test(year.end) || year.end < year.start || !Number.isInteger(year.index)) {
      issues.push({ path: '#RAR', code: 'SIE_SYNTAX', message: `#RAR ${year.index} ${year.start} ${year.end} is not a fiscal year (årsnr start end as YYYYMMDD)`, severity: 'error' });
    }
  }
  if (!file || hasErrors(issues)) return { ok: false, issues: issues.filter((i) => i.severity === 'error').sort((a, b) => (a.line ?? 0) - (b.line ?? 0)) };
  const years = fiscalYearsOf(file, parsed.lines);
  return { ok: true, years, ...(file.organisationNumber ? { organisationNumber: file.organisationNumber } : {}), warnings: issues };
}

/** "lines 12, 40 and 41" — for the one-line summary of a refusal. */
export function linesSummary(issues: readonly FormatIssue[]): string {
  const lines = [...new Set(issues.flatMap((i) => (i.line === undefined ? [] : [i.line])))].sort((a, b) => a - b);
  if (lines.length === 0) return '';
  const shown = lines.slice(0, 20).join(', ');
  return `line${lines.length > 1 ? 's' : ''} ${shown}${lines.length > 20 ? ` and ${lines.length - 20} more` : ''}`;
}
