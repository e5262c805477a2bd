/**
 * Income statement and balance sheet of one fiscal year, for a month and the year to date, in
 * the customer's words (BAS groups). Shown with revenue positive and costs negative, so that
 * the result is the sum; balances with assets and liabilities both positive. Pure.
 */
import { isBalanceAccount, isResultAccount, type FiscalYear } from './fiscal-year.ts';

export interface StatementLine {
  account: string;
  name: string;
  /** One amount per column, öre. */
  amountsOre: number[];
}

export interface StatementSection {
  title: string;
  lines: StatementLine[];
  totalsOre: number[];
}

export interface Statement {
  columns: string[];
  sections: StatementSection[];
  /** The bottom line per column: the result (income statement) or total assets (balance sheet). */
  bottomLine: { title: string; amountsOre: number[] };
  extra?: { title: string; amountsOre: number[] }[];
}

const INCOME_GROUPS: [string, string, string][] = [
  ['Rörelsens intäkter', '3000', '3999'],
  ['Material och varor', '4000', '4999'],
  ['Övriga externa kostnader', '5000', '6999'],
  ['Personalkostnader', '7000', '7699'],
  ['Avskrivningar', '7700', '7999'],
  ['Finansiella poster', '8000', '8799'],
  ['Bokslutsdispositioner och skatt', '8800', '8999'],
];

const BALANCE_GROUPS: [string, string, string, 1 | -1][] = [
  ['Anläggningstillgångar', '1000', '1399', 1],
  ['Omsättningstillgångar', '1400', '1999', 1],
  ['Eget kapital', '2000', '2099', -1],
  ['Obeskattade reserver och avsättningar', '2100', '2299', -1],
  ['Skulder', '2300', '2999', -1],
];

export function periodLabel(period: string): string {
  return `${period.slice(0, 4)}-${period.slice(4, 6)}`;
}

export function yearLabel(year: Pick<FiscalYear, 'start' | 'end'>): string {
  const fmt = (d: string) => `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}`;
  return `${fmt(year.start)} – ${fmt(year.end)}`;
}

/** Sum of each account's change over months [from, to] (indexes into year.months). */
function changesBetween(year: FiscalYear, from: number, to: number): Record<string, number> {
  const out: Record<string, number> = {};
  (year.months ?? []).slice(from, to + 1).forEach((m) => {
    for (const [account, ore] of Object.entries(m.changesOre)) out[account] = (out[account] ?? 0) + ore;
  });
  return out;
}

function sectionsOf(columns: Record<string, number>[], groups: [string, string, string, 1 | -1][], year: FiscalYear): StatementSection[] {
  return groups.map(([title, from, to, sign]) => {
    const accounts = [...new Set(columns.flatMap((c) => Object.keys(c)))].filter((a) => a >= from && a <= to).sort();
    const lines = accounts
      .map((account) => ({ account, name: year.accounts[account] ?? '', amountsOre: columns.map((c) => sign * (c[account] ?? 0)) }))
      .filter((l) => l.amountsOre.some((a) => a !== 0));
    return { title, lines, totalsOre: columns.map((_, i) => lines.reduce((s, l) => s + (l.amountsOre[i] ?? 0), 0)) };
  });
}

function pnl(values: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(values).filter(([a]) => isResultAccount(a)));
}

export function monthIndex(year: FiscalYear, period: string | undefined): number {
  const months = year.months ?? [];
  const index = period === undefined ? -1 : months.findIndex((m) => m.period === period);
  return index;
}

/**
 * Columns: the month, the year to date through it, and the full year as the file states it
 * (#RES). Without monthly figures (#SIETYP 1): the full year only.
 */
export function incomeStatement(year: FiscalYear, period?: string): Statement {
  const columns: Record<string, number>[] = [];
  const titles: string[] = [];
  const index = monthIndex(year, period);
  if (year.months && index >= 0 && period) {
    columns.push(pnl(changesBetween(year, index, index)), pnl(changesBetween(year, 0, index)));
    titles.push(periodLabel(period), `Hittills i år (t.o.m. ${periodLabel(period)})`);
  }
  columns.push(pnl(Object.keys(year.resultOre).length > 0 || !year.months ? year.resultOre : changesBetween(year, 0, (year.months?.length ?? 1) - 1)));
  titles.push('Helår');
  const sections = sectionsOf(columns, INCOME_GROUPS.map(([t, f, to]) => [t, f, to, -1]), year);
  const result = columns.map((_, i) => sections.reduce((s, sec) => s + (sec.totalsOre[i] ?? 0), 0));
  return { columns: titles, sections, bottomLine: { title: 'Resultat', amountsOre: result } };
}

/** Columns: opening balance (#IB), the balance at the end of the month, and the closing balance (#UB). */
export function balanceSheet(year: FiscalYear, period?: string): Statement {
  const columns: Record<string, number>[] = [year.openingOre];
  const titles = ['Ingående balans'];
  const index = monthIndex(year, period);
  const resultYtd: number[] = [0];
  if (year.months && index >= 0 && period) {
    const changes = changesBetween(year, 0, index);
    const atEnd: Record<string, number> = { ...year.openingOre };
    for (const [account, ore] of Object.entries(changes)) if (isBalanceAccount(account)) atEnd[account] = (atEnd[account] ?? 0) + ore;
    columns.push(atEnd);
    titles.push(`Per ${periodLabel(period)} (IB + månadernas förändring)`);
    resultYtd.push(-Object.entries(changes).filter(([a]) => isResultAccount(a)).reduce((s, [, ore]) => s + ore, 0));
  }
  columns.push(year.closingOre);
  titles.push('Utgående balans');
  resultYtd.push(-Object.values(pnl(year.resultOre)).reduce((s, ore) => s + ore, 0));
  const balance = columns.map((c) => Object.fromEntries(Object.entries(c).filter(([a]) => isBalanceAccount(a))));
  const sections = sectionsOf(balance, BALANCE_GROUPS, year);
  const assets = balance.map((_, i) => (sections[0]?.totalsOre[i] ?? 0) + (sections[1]?.totalsOre[i] ?? 0));
  const equityAndLiabilities = balance.map((_, i) => sections.slice(2).reduce((s, sec) => s + (sec.totalsOre[i] ?? 0), 0));
  return {
    columns: titles,
    sections,
    bottomLine: { title: 'Summa tillgångar', amountsOre: assets },
    extra: [
      { title: 'Summa eget kapital och skulder', amountsOre: equityAndLiabilities },
      { title: 'Årets resultat (ej bokfört mot eget kapital)', amountsOre: resultYtd },
    ],
  };
}

export interface MonthFigures {
  period: string;
  revenueOre: number;
  costsOre: number;
  resultOre: number;
  /** Cash and bank (BAS 19xx) at the end of the month. */
  bankOre: number;
}

/** Revenue, costs, result and bank balance per month: what the charts draw. */
export function monthlyFigures(year: FiscalYear): MonthFigures[] {
  let bank = Object.entries(year.openingOre).filter(([a]) => a.startsWith('19')).reduce((s, [, ore]) => s + ore, 0);
  return (year.months ?? []).map((m) => {
    let revenue = 0;
    let costs = 0;
    for (const [account, ore] of Object.entries(m.changesOre)) {
      if (account >= '3000' && account < '4000') revenue -= ore;
      else if (account >= '4000' && account < '9000') costs += ore;
      else if (account.startsWith('19')) bank += ore;
    }
    return { period: m.period, revenueOre: revenue, costsOre: costs, resultOre: revenue - costs, bankOre: bank };
  });
}
