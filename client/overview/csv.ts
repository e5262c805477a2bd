/**
 * Reports as CSV for a spreadsheet: semicolon-separated with decimal comma and no digit
 * grouping (what Swedish Excel and LibreOffice read without an import dialog), UTF-8 with BOM.
 */
import { formatOre } from '../../formats/money.ts';
import type { Statement } from './statements.ts';

function cell(text: string): string {
  return /[;"\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function amountCell(ore: number): string {
  return formatOre(ore).replace('.', ',');
}

export function statementCsv(statement: Statement, heading: string[][]): string {
  const rows: string[][] = heading.map((h) => [...h]);
  rows.push(['Konto', 'Namn', ...statement.columns]);
  for (const section of statement.sections) {
    if (section.lines.length === 0) continue;
    for (const line of section.lines) rows.push([line.account, line.name, ...line.amountsOre.map(amountCell)]);
    rows.push(['', `Summa ${section.title.toLowerCase()}`, ...section.totalsOre.map(amountCell)]);
  }
  rows.push(['', statement.bottomLine.title, ...statement.bottomLine.amountsOre.map(amountCell)]);
  for (const extra of statement.extra ?? []) rows.push(['', extra.title, ...extra.amountsOre.map(amountCell)]);
  return `\uFEFF${rows.map((r) => r.map(cell).join(';')).join('\r\n')}\r\n`;
}
