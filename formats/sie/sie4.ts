/**
 * SIE 4 (Standard Import Export) — the Swedish bookkeeping export an accounting bureau
 * uploads to an overview service. Text in code page 437 (`#FORMAT PC8`), one `#LABEL` per line,
 * vouchers as `#VER … {` `#TRANS …` `}` blocks. Debit positive, credit negative, each voucher
 * sums to zero.
 */
import iconv from 'iconv-lite';
import { issue, result, type FormatIssue, type ParseResult } from '../issues.ts';
import { formatOre, parseAmountToOre } from '../money.ts';

export interface SieTransaction {
  account: string;
  /** The object list `{dim obj …}` as written inside the braces. */
  objects: string;
  amountOre: number;
  date?: string;
  text?: string;
}

export interface SieVoucher {
  series: string;
  number: string;
  /** YYYYMMDD */
  date: string;
  text: string;
  registrationDate?: string;
  transactions: SieTransaction[];
}

export interface SieBalance {
  yearIndex: number;
  account: string;
  amountOre: number;
}

export interface SieFile {
  program: { name: string; version: string };
  generated: string;
  companyName: string;
  organisationNumber?: string;
  /** #RAR: 0 is the current fiscal year, -1 the previous. */
  fiscalYears: { index: number; start: string; end: string }[];
  chartOfAccountsType?: string;
  currency?: string;
  accounts: { number: string; name: string }[];
  openingBalances: SieBalance[];
  closingBalances: SieBalance[];
  results: SieBalance[];
  vouchers: SieVoucher[];
  /** Labels this codec keeps but does not interpret (#ADRESS, #DIM, #SRU, …). */
  other: { label: string; fields: string[] }[];
}

/** Splits one SIE line into fields: quoted strings (with \" escapes), {object lists}, bare words. */
export function tokenizeSieLine(line: string): string[] {
  const tokens: string[] = [];
  let i = 0;
  while (i < line.length) {
    const c = line[i];
    if (c === ' ' || c === '\t') { i++; continue; }
    if (c === '"') {
      let value = '';
      i++;
      while (i < line.length && line[i] !== '"') {
        if (line[i] === '\\' && i + 1 < line.length) i++;
        value += line[i];
        i++;
      }
      i++;
      tokens.push(value);
    } else if (c === '{') {
      const end = line.indexOf('}', i);
      const close = end === -1 ? line.length : end;
      tokens.push(`{${line.slice(i + 1, close).trim()}}`);
      i = close + 1;
    } else {
      let value = '';
      while (i < line.length && line[i] !== ' ' && line[i] !== '\t') value += line[i++];
      tokens.push(value);
    }
  }
  return tokens;
}

export function decodeCp437(input: string | Uint8Array): string {
  return typeof input === 'string' ? input : iconv.decode(Buffer.from(input.buffer, input.byteOffset, input.byteLength), 'cp437');
}

function amountOf(text: string | undefined, line: number, issues: FormatIssue[]): number {
  const parsed = parseAmountToOre(text ?? '');
  if (parsed.ok) return parsed.ore;
  issues.push(issue('SIE_SYNTAX', `line ${line}`, `amount "${text}" is not a decimal with at most two decimals`, { line, value: text ?? '' }));
  return 0;
}

export function parseSie(input: string | Uint8Array): ParseResult<SieFile> {
  const issues: FormatIssue[] = [];
  const file: SieFile = { program: { name: '', version: '' }, generated: '', companyName: '', fiscalYears: [], accounts: [], openingBalances: [], closingBalances: [], results: [], vouchers: [], other: [] };
  const lines = decodeCp437(input).split(/\r?\n/);
  let voucher: SieVoucher | undefined;
  let inBlock = false;
  lines.forEach((raw, index) => {
    const line = index + 1;
    const text = raw.trim();
    if (text === '') return;
    if (text === '{') {
      if (!voucher || inBlock) issues.push(issue('SIE_SYNTAX', `line ${line}`, '"{" without a #VER before it', { line }));
      inBlock = true;
      return;
    }
    if (text === '}') {
      if (!inBlock) issues.push(issue('SIE_SYNTAX', `line ${line}`, '"}" without an open voucher', { line }));
      inBlock = false;
      voucher = undefined;
      return;
    }
    const [label = '', ...fields] = tokenizeSieLine(text);
    if (!label.startsWith('#')) {
      issues.push(issue('SIE_SYNTAX', `line ${line}`, 'a SIE line starts with a #LABEL', { line, value: text }));
      return;
    }
    if (inBlock) {
      if (label === '#TRANS' && voucher) {
        const tx: SieTransaction = { account: fields[0] ?? '', objects: fields[1] ?? '{}', amountOre: amountOf(fields[2], line, issues) };
        if (fields[3]) tx.date = fields[3];
        if (fields[4] !== undefined) tx.text = fields[4];
        voucher.transactions.push(tx);
      } else if (label !== '#RTRANS' && label !== '#BTRANS') {
        issues.push(issue('SIE_SYNTAX', `line ${line}`, `${label} inside a voucher block`, { line }));
      }
      return;
    }
    switch (label) {
      case '#PROGRAM': file.program = { name: fields[0] ?? '', version: fields[1] ?? '' }; break;
      case '#GEN': file.generated = fields[0] ?? ''; break;
      case '#FNAMN': file.companyName = fields[0] ?? ''; break;
      case '#ORGNR': if (fields[0]) file.organisationNumber = fields[0]; break;
      case '#RAR': file.fiscalYears.push({ index: Number(fields[0]), start: fields[1] ?? '', end: fields[2] ?? '' }); break;
      case '#KPTYP': if (fields[0]) file.chartOfAccountsType = fields[0]; break;
      case '#VALUTA': if (fields[0]) file.currency = fields[0]; break;
      case '#KONTO': file.accounts.push({ number: fields[0] ?? '', name: fields[1] ?? '' }); break;
      case '#IB': case '#UB': case '#RES': {
        const balance = { yearIndex: Number(fields[0]), account: fields[1] ?? '', amountOre: amountOf(fields[2], line, issues) };
        (label === '#IB' ? file.openingBalances : label === '#UB' ? file.closingBalances : file.results).push(balance);
        break;
      }
      case '#VER': {
        voucher = { series: fields[0] ?? '', number: fields[1] ?? '', date: fields[2] ?? '', text: fields[3] ?? '', transactions: [] };
        if (fields[4]) voucher.registrationDate = fields[4];
        file.vouchers.push(voucher);
        break;
      }
      case '#FLAGGA': case '#FORMAT': case '#SIETYP':
        break;
      default:
        file.other.push({ label, fields });
    }
  });
  if (inBlock) issues.push(issue('SIE_SYNTAX', 'end', 'voucher block not closed with "}"'));
  file.vouchers.forEach((v) => {
    const sum = v.transactions.reduce((acc, t) => acc + t.amountOre, 0);
    if (sum !== 0) issues.push(issue('SIE_UNBALANCED_VOUCHER', `#VER ${v.series} ${v.number}`, `voucher does not balance: transactions sum to ${formatOre(sum)}`, { value: formatOre(sum) }));
  });
  return result(file, issues);
}

function quote(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** Writes SIE 4 text (encode with `encodeSie` for the CP437 bytes the format requires). */
export function writeSie(file: SieFile): string {
  const lines = ['#FLAGGA 0', '#FORMAT PC8', '#SIETYP 4', `#PROGRAM ${quote(file.program.name)} ${quote(file.program.version)}`, `#GEN ${file.generated}`, `#FNAMN ${quote(file.companyName)}`];
  if (file.organisationNumber) lines.push(`#ORGNR ${file.organisationNumber}`);
  for (const year of file.fiscalYears) lines.push(`#RAR ${year.index} ${year.start} ${year.end}`);
  if (file.chartOfAccountsType) lines.push(`#KPTYP ${file.chartOfAccountsType}`);
  if (file.currency) lines.push(`#VALUTA ${file.currency}`);
  for (const other of file.other) lines.push([other.label, ...other.fields.map((f) => (f.startsWith('{') ? f : quote(f)))].join(' '));
  for (const account of file.accounts) lines.push(`#KONTO ${account.number} ${quote(account.name)}`);
  for (const b of file.openingBalances) lines.push(`#IB ${b.yearIndex} ${b.account} ${formatOre(b.amountOre)}`);
  for (const b of file.closingBalances) lines.push(`#UB ${b.yearIndex} ${b.account} ${formatOre(b.amountOre)}`);
  for (const b of file.results) lines.push(`#RES ${b.yearIndex} ${b.account} ${formatOre(b.amountOre)}`);
  for (const v of file.vouchers) {
    lines.push(`#VER ${quote(v.series)} ${quote(v.number)} ${v.date} ${quote(v.text)}${v.registrationDate ? ` ${v.registrationDate}` : ''}`, '{');
    for (const t of v.transactions) {
      const tail = t.date !== undefined || t.text !== undefined ? ` ${t.date ?? '""'}${t.text !== undefined ? ` ${quote(t.text)}` : ''}` : '';
      lines.push(`   #TRANS ${t.account} ${t.objects} ${formatOre(t.amountOre)}${tail}`);
    }
    lines.push('}');
  }
  return `${lines.join('\r\n')}\r\n`;
}

export function encodeSie(text: string): Uint8Array {
  return new Uint8Array(iconv.encode(text, 'cp437'));
}
