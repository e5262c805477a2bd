/**
 * The overview's pages, rendered on the server (Swedish, as the customers read them). No
 * script: the charts are inline SVG and every report is a plain table and a CSV link.
 */
import { formatOreSwedish } from '../../formats/money.ts';
import { renderChart } from './chart.ts';
import type { FiscalYear } from './fiscal-year.ts';
import { escapeHtml } from './html.ts';
import { balanceSheet, incomeStatement, monthlyFigures, periodLabel, yearLabel, type Statement } from './statements.ts';

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'maj', 'jun', 'jul', 'aug', 'sep', 'okt', 'nov', 'dec'];
const MONTH_NAMES = ['januari', 'februari', 'mars', 'april', 'maj', 'juni', 'juli', 'augusti', 'september', 'oktober', 'november', 'december'];

export function kr(ore: number): string {
  return `${formatOreSwedish(ore)}\u00a0kr`;
}

function monthLabel(period: string): string {
  return MONTHS[Number(period.slice(4, 6)) - 1] ?? period;
}

function monthName(period: string): string {
  return `${MONTH_NAMES[Number(period.slice(4, 6)) - 1] ?? ''} ${period.slice(0, 4)}`;
}

export function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="sv"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Redovisningsöversikt</title>
<style>
body{font-family:system-ui,sans-serif;margin:0;color:#1d2733;background:#f5f7fa}
header{background:#14365d;color:#fff;padding:.8rem 1.5rem;display:flex;justify-content:space-between;align-items:center}
header a{color:#fff}
header form{margin:0}
header button{margin-left:.5rem}
main{padding:1rem 1.5rem;max-width:1100px}
nav ul{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.4rem}
nav a{display:inline-block;padding:.2rem .5rem;border:1px solid #b8c4d2;border-radius:4px;text-decoration:none;color:#14365d;background:#fff}
nav a[aria-current]{background:#14365d;color:#fff}
table{border-collapse:collapse;background:#fff;margin:.5rem 0 1.5rem}
th,td{padding:.25rem .6rem;border-bottom:1px solid #e3e8ee;text-align:left}
td.amount,th.amount{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
tr.total td{font-weight:bold;border-top:1px solid #8795a5}
.figures{display:flex;gap:1rem;flex-wrap:wrap}
.figure{background:#fff;border:1px solid #d5dde6;border-radius:6px;padding:.6rem 1rem}
.figure strong{display:block;font-size:1.3rem}
.notice{background:#fff6d6;border:1px solid #e6c34d;padding:.6rem 1rem;border-radius:4px}
.error{background:#fde8e8;border:1px solid #d33;padding:.6rem 1rem;border-radius:4px}
svg.chart{background:#fff;border:1px solid #d5dde6;border-radius:6px;max-width:100%;height:auto;margin:.5rem 0}
form.login{background:#fff;padding:1.5rem;border:1px solid #d5dde6;border-radius:6px;max-width:22rem}
form.login label{display:block;margin:.6rem 0 .2rem}
</style></head><body>${body}</body></html>`;
}

export function loginPage(csrf: string, message?: string): string {
  return layout('Logga in', `<header><span>Redovisningsöversikt</span></header><main>
<h1>Logga in</h1>
${message ? `<p class="error" role="alert">${escapeHtml(message)}</p>` : ''}
<form class="login" method="post" action="/login">
<input type="hidden" name="_csrf" value="${escapeHtml(csrf)}">
<label for="username">Användarnamn</label><input id="username" name="username" autocomplete="username" required>
<label for="password">Lösenord</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<p><button type="submit">Logga in</button></p>
</form></main>`);
}

export function errorPage(status: number, title: string, text: string): string {
  return layout(title, `<header><span>Redovisningsöversikt</span><a href="/overview">Till översikten</a></header><main><h1>${escapeHtml(title)}</h1><p class="error" role="alert">${escapeHtml(text)}</p><p>Felkod ${status}.</p></main>`);
}

function statementTable(id: string, caption: string, statement: Statement): string {
  const head = `<tr><th scope="col">Konto</th><th scope="col">Namn</th>${statement.columns.map((c) => `<th scope="col" class="amount">${escapeHtml(c)}</th>`).join('')}</tr>`;
  const rows: string[] = [];
  for (const section of statement.sections) {
    if (section.lines.length === 0) continue;
    rows.push(`<tr><th colspan="${2 + statement.columns.length}" scope="rowgroup">${escapeHtml(section.title)}</th></tr>`);
    for (const line of section.lines) rows.push(`<tr data-account="${escapeHtml(line.account)}"><td>${escapeHtml(line.account)}</td><td>${escapeHtml(line.name)}</td>${line.amountsOre.map((a) => `<td class="amount">${kr(a)}</td>`).join('')}</tr>`);
    rows.push(`<tr class="total"><td></td><td>Summa ${escapeHtml(section.title.toLowerCase())}</td>${section.totalsOre.map((a) => `<td class="amount">${kr(a)}</td>`).join('')}</tr>`);
  }
  const bottom = (title: string, amounts: number[], testid: string) => `<tr class="total" data-testid="${testid}"><td></td><td>${escapeHtml(title)}</td>${amounts.map((a) => `<td class="amount">${kr(a)}</td>`).join('')}</tr>`;
  rows.push(bottom(statement.bottomLine.title, statement.bottomLine.amountsOre, `${id}-bottom-line`));
  (statement.extra ?? []).forEach((e, i) => rows.push(bottom(e.title, e.amountsOre, `${id}-extra-${i}`)));
  return `<table id="${id}"><caption>${escapeHtml(caption)}</caption><thead>${head}</thead><tbody>${rows.join('')}</tbody></table>`;
}

export interface OverviewPageInput {
  companyName: string;
  userName: string;
  csrf: string;
  years: FiscalYear[];
  year: FiscalYear | undefined;
  period: string | undefined;
}

export function overviewPage(input: OverviewPageInput): string {
  const { year, period } = input;
  const header = `<header><span>Redovisningsöversikt · <strong>${escapeHtml(input.companyName)}</strong></span><form method="post" action="/logout"><span>${escapeHtml(input.userName)}</span> <input type="hidden" name="_csrf" value="${escapeHtml(input.csrf)}"><button type="submit">Logga ut</button></form></header>`;
  if (!year) return layout(input.companyName, `${header}<main><h1>${escapeHtml(input.companyName)}</h1><p class="notice" role="status">Byrån har inte laddat upp någon bokföring ännu.</p></main>`);
  const query = (start: string, p?: string) => `?year=${start}${p ? `&amp;month=${p}` : ''}`;
  const yearNav = `<nav aria-label="Räkenskapsår"><ul>${input.years.map((y) => `<li><a href="/overview${query(y.start)}"${y.start === year.start ? ' aria-current="page"' : ''}>${escapeHtml(yearLabel(y))}</a></li>`).join('')}</ul></nav>`;
  const monthNav = year.months ? `<nav aria-label="Månad"><ul>${year.months.map((m) => `<li><a href="/overview${query(year.start, m.period)}"${m.period === period ? ' aria-current="page"' : ''}>${escapeHtml(monthLabel(m.period))}</a></li>`).join('')}</ul></nav>` : '';
  const income = incomeStatement(year, period);
  const balance = balanceSheet(year, period);
  const figures = monthlyFigures(year);
  const parts: string[] = [header, '<main>', `<h1>${escapeHtml(input.companyName)}</h1>`, yearNav, monthNav];
  parts.push(`<p>Räkenskapsår ${escapeHtml(yearLabel(year))} · SIE typ ${year.sieType} från ${escapeHtml(year.program || 'okänt program')} · månadssiffror ${year.monthlySource === 'PSALDO' ? 'från #PSALDO' : year.monthlySource === 'VER' ? 'summerade från verifikationerna' : 'saknas'}</p>`);
  if (!year.months) {
    const why = year.sieType === 1 ? `Filen är av SIE typ 1 och innehåller bara årssaldon` : `Filen har inga periodsaldon (#PSALDO) eller verifikationer för det här året`;
    parts.push(`<p class="notice" role="status" data-testid="year-only">${why}: här visas helårets siffror. Siffror per månad kräver en SIE-fil av typ 2, 3 eller 4 med periodsaldon eller verifikationer för året.</p>`);
  }
  if (period && year.months) {
    const month = figures.find((f) => f.period === period);
    const ytd = figures.filter((f) => f.period <= period);
    parts.push(`<h2>${escapeHtml(monthName(period))}</h2><div class="figures">
<div class="figure" data-testid="month-revenue">Intäkter<strong>${kr(month?.revenueOre ?? 0)}</strong></div>
<div class="figure" data-testid="month-costs">Kostnader<strong>${kr(month?.costsOre ?? 0)}</strong></div>
<div class="figure" data-testid="month-result">Resultat ${escapeHtml(periodLabel(period))}<strong>${kr(month?.resultOre ?? 0)}</strong></div>
<div class="figure" data-testid="ytd-result">Resultat hittills i år<strong>${kr(ytd.reduce((s, f) => s + f.resultOre, 0))}</strong></div>
<div class="figure" data-testid="month-bank">Bank och kassa ${escapeHtml(periodLabel(period))}<strong>${kr(month?.bankOre ?? 0)}</strong></div>
</div>`);
  }
  if (year.months) {
    parts.push(renderChart({
      id: 'chart-result', title: 'Intäkter, kostnader och resultat per månad', labels: figures.map((f) => monthLabel(f.period)), periods: figures.map((f) => f.period),
      series: [
        { name: 'Intäkter', kind: 'bar', colour: '#2f7d4f', valuesOre: figures.map((f) => f.revenueOre) },
        { name: 'Kostnader', kind: 'bar', colour: '#c0533a', valuesOre: figures.map((f) => f.costsOre) },
        { name: 'Resultat', kind: 'line', colour: '#14365d', valuesOre: figures.map((f) => f.resultOre) },
      ],
    }));
    parts.push(renderChart({ id: 'chart-bank', title: 'Bank och kassa (BAS 19xx) vid månadens slut', labels: figures.map((f) => monthLabel(f.period)), periods: figures.map((f) => f.period), series: [{ name: 'Banksaldo', kind: 'line', colour: '#2b6cb0', valuesOre: figures.map((f) => f.bankOre) }] }));
  } else {
    const revenue = income.sections[0]?.totalsOre[0] ?? 0;
    const result = income.bottomLine.amountsOre[0] ?? 0;
    parts.push(renderChart({ id: 'chart-result', title: 'Intäkter, kostnader och resultat för helåret', labels: ['Helår'], periods: [year.start.slice(0, 4)], series: [
      { name: 'Intäkter', kind: 'bar', colour: '#2f7d4f', valuesOre: [revenue] },
      { name: 'Kostnader', kind: 'bar', colour: '#c0533a', valuesOre: [revenue - result] },
      { name: 'Resultat', kind: 'bar', colour: '#14365d', valuesOre: [result] },
    ] }));
    const bank = (values: Record<string, number>) => Object.entries(values).filter(([a]) => a.startsWith('19')).reduce((s, [, o]) => s + o, 0);
    parts.push(renderChart({ id: 'chart-bank', title: 'Bank och kassa (BAS 19xx): ingående och utgående balans', labels: ['IB', 'UB'], periods: [year.start, year.end], series: [{ name: 'Banksaldo', kind: 'line', colour: '#2b6cb0', valuesOre: [bank(year.openingOre), bank(year.closingOre)] }] }));
  }
  const csvQuery = `year=${year.start}${period ? `&amp;month=${period}` : ''}`;
  parts.push(`<h2>Resultaträkning</h2><p><a href="/overview/income-statement.csv?${csvQuery}" download>Ladda ner resultaträkningen (CSV)</a></p>`);
  parts.push(statementTable('income-statement', `Resultaträkning ${yearLabel(year)}`, income));
  parts.push(`<h2>Balansräkning</h2><p><a href="/overview/balance-sheet.csv?${csvQuery}" download>Ladda ner balansräkningen (CSV)</a></p>`);
  parts.push(statementTable('balance-sheet', `Balansräkning ${yearLabel(year)}`, balance));
  if (year.reconciliation.length > 0) {
    parts.push(`<section class="notice" role="status" data-testid="reconciliation"><h2>Avstämning mot filens årssaldon</h2><p>För ${year.reconciliation.length} konton stämmer #IB plus månadernas förändring inte med filens #UB/#RES. Månadssiffrorna visas som filen ger dem; helåret och utgående balans som filen anger.</p><table><thead><tr><th>Konto</th><th>Post</th><th>Rad</th><th class="amount">Enligt filen</th><th class="amount">Beräknat</th></tr></thead><tbody>${year.reconciliation.map((r) => `<tr><td>${escapeHtml(r.account)}</td><td>${r.record}</td><td>${r.line ?? ''}</td><td class="amount">${kr(r.statedOre)}</td><td class="amount">${kr(r.computedOre)}</td></tr>`).join('')}</tbody></table></section>`);
  }
  parts.push('</main>');
  return layout(`${input.companyName} ${yearLabel(year)}`, parts.join('\n'));
}
