/**
 * One fiscal year of a company as the overview keeps it: the accounts, the year's balances
 * (#IB, #UB, #RES) and, when the file allows, each calendar month's change per account —
 * from #PSALDO where the file has it, else summed from the #VER/#TRANS vouchers. Pure: built
 * from a parsed SIE file, no I/O.
 */
import type { SieFile, SieLines } from '../../formats/sie/sie4.ts';

export type MonthlySource = 'PSALDO' | 'VER';

export interface Reconciliation {
  account: string;
  /** #UB or #RES, the file's own total for the year. */
  record: '#UB' | '#RES';
  line?: number;
  statedOre: number;
  /** #IB plus the months' changes (balance accounts), or the months' changes (result accounts). */
  computedOre: number;
}

export interface FiscalYear {
  /** YYYYMMDD */
  start: string;
  end: string;
  sieType: number;
  companyName: string;
  program: string;
  accounts: Record<string, string>;
  openingOre: Record<string, number>;
  closingOre: Record<string, number>;
  resultOre: Record<string, number>;
  /** Calendar months of the year in order, YYYYMM; each with its change per account. Absent when the file has no monthly figures (#SIETYP 1). */
  months?: { period: string; changesOre: Record<string, number> }[];
  monthlySource?: MonthlySource;
  /** Where #UB/#RES differ from what the months add up to (shown, never silently corrected). */
  reconciliation: Reconciliation[];
}

/** YYYYMM of every calendar month from start to end (both YYYYMMDD). */
export function monthsOf(start: string, end: string): string[] {
  const months: string[] = [];
  let year = Number(start.slice(0, 4));
  let month = Number(start.slice(4, 6));
  const last = end.slice(0, 6);
  for (let guard = 0; guard < 24; guard++) {
    const period = `${year}${String(month).padStart(2, '0')}`;
    months.push(period);
    if (period >= last) break;
    month++;
    if (month > 12) { month = 1; year++; }
  }
  return months;
}

export function isBalanceAccount(account: string): boolean {
  return account >= '1000' && account < '3000';
}

export function isResultAccount(account: string): boolean {
  return account >= '3000' && account < '9000';
}

function add(into: Record<string, number>, account: string, amountOre: number): void {
  into[account] = (into[account] ?? 0) + amountOre;
}

function balancesOf(list: { yearIndex: number; account: string; amountOre: number }[], yearIndex: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const b of list) if (b.yearIndex === yearIndex) add(out, b.account, b.amountOre);
  return out;
}

/** The fiscal years a parsed SIE file holds, one per #RAR. */
export function fiscalYearsOf(file: SieFile, lines: SieLines): FiscalYear[] {
  const sieType = file.sieType ?? 1;
  const accounts = Object.fromEntries(file.accounts.map((a) => [a.number, a.name]));
  return file.fiscalYears.map((rar) => {
    const year: FiscalYear = {
      start: rar.start, end: rar.end, sieType, companyName: file.companyName, program: `${file.program.name} ${file.program.version}`.trim(), accounts,
      openingOre: balancesOf(file.openingBalances, rar.index),
      closingOre: balancesOf(file.closingBalances, rar.index),
      resultOre: balancesOf(file.results, rar.index),
      reconciliation: [],
    };
    const periods = monthsOf(rar.start, rar.end);
    // #SIETYP 2 and 3 readers ignore #PSALDO with a non-empty object list: the account as a whole is the `{}` row.
    const psaldo = (file.periodBalances ?? []).filter((p) => p.yearIndex === rar.index && p.objects.replace(/[{}\s]/g, '') === '');
    let changes: Map<string, Record<string, number>> | undefined;
    if (psaldo.length > 0) {
      changes = new Map(periods.map((p) => [p, {}]));
      for (const p of psaldo) {
        const month = changes.get(p.period);
        if (month) add(month, p.account, p.amountOre);
      }
      year.monthlySource = 'PSALDO';
    } else if (sieType === 4 && (rar.index === 0 || file.vouchers.some((v) => v.date >= rar.start && v.date <= rar.end))) {
      // A type 4 file carries the vouchers of its current year; a comparison year (#RAR -1)
      // without any has only its year balances, not twelve empty months.
      changes = new Map(periods.map((p) => [p, {}]));
      for (const v of file.vouchers) {
        if (v.date < rar.start || v.date > rar.end) continue;
        const month = changes.get(v.date.slice(0, 6));
        if (month) for (const t of v.transactions) add(month, t.account, t.amountOre);
      }
      year.monthlySource = 'VER';
    }
    if (changes) {
      year.months = periods.map((period) => ({ period, changesOre: changes.get(period) ?? {} }));
      year.reconciliation = reconcile(year, file, lines, rar.index);
    }
    return year;
  });
}

function reconcile(year: FiscalYear, file: SieFile, lines: SieLines, yearIndex: number): Reconciliation[] {
  const total: Record<string, number> = {};
  for (const m of year.months ?? []) for (const [account, ore] of Object.entries(m.changesOre)) add(total, account, ore);
  const out: Reconciliation[] = [];
  file.closingBalances.forEach((b, i) => {
    if (b.yearIndex !== yearIndex || !isBalanceAccount(b.account)) return;
    const computedOre = (year.openingOre[b.account] ?? 0) + (total[b.account] ?? 0);
    if (computedOre !== b.amountOre) out.push({ account: b.account, record: '#UB', ...(lines.closingBalances[i] === undefined ? {} : { line: lines.closingBalances[i] }), statedOre: b.amountOre, computedOre });
  });
  file.results.forEach((b, i) => {
    if (b.yearIndex !== yearIndex) return;
    const computedOre = total[b.account] ?? 0;
    if (computedOre !== b.amountOre) out.push({ account: b.account, record: '#RES', ...(lines.results[i] === undefined ? {} : { line: lines.results[i] }), statedOre: b.amountOre, computedOre });
  });
  return out;
}
