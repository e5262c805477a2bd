/**
 * SIE 4 (Standard Import Export) — the Swedish bookkeeping export an accounting bureau
 * uploads to an overview service. Text in code page 437 (`#FORMAT PC8`), one `#LABEL` per line,
 * vouchers as `#VER … {` `#TRANS …` `}` blocks. Debit positive, credit negative, each voucher
 * sums to zero.
 */
import iconv from 'iconv-lite';
import { issue, result, type FormatIssue, type ParseResult } from '../issues.ts';
import { formatOre, parseAmountToOre } from '../money.ts';
import { sieChecksum } from './checksum.ts';
import { tokenizeSieLine } from './tokenize.ts';

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

/** #PSALDO: one account's change during one calendar month of a fiscal year. */
export interface SiePeriodBalance {
  yearIndex: number;
  /** YYYYMM */
  period: string;
  account: string;
  /** The object list as written inside the braces; `{}` is the account as a whole. */
  objects: string;
  amountOre: number;
}

export interface SieFile {
  program: { name: string; version: string };
  /** #SIETYP: 1 year balances, 2 period balances, 3 object balances, 4 vouchers. Written as 4 when absent. */
  sieType?: number;
  /** #FORMAT: the character set; the standard allows only PC8 (code page 437). */
  format?: string;
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
  /** #PSALDO records, when the file has them. */
  periodBalances?: SiePeriodBalance[];
  vouchers: SieVoucher[];
  /** Labels this codec keeps but does not interpret (#ADRESS, #DIM, #SRU, …). */
  other: { label: string; fields: string[] }[];
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

/** Where each record of a parsed file sits (1-based lines), index for index with the file's arrays. */
export interface SieLines {
  sieType?: number;
  format?: number;
  /** The opening `#KSUMMA` and the closing `#KSUMMA <crc>`. */
  checksumStart?: number;
  checksumEnd?: number;
  accounts: number[];
  openingBalances: number[];
  closingBalances: number[];
  results: number[];
  periodBalances: number[];
  vouchers: number[];
  transactions: number[][];
}

export interface SieParsed {
  result: ParseResult<SieFile>;
  lines: SieLines;
  /** The value of the closing `#KSUMMA`, when the file is checksummed. */
  checksum?: string;
}

/** Parses SIE and keeps the line of every record, so a refusal can say where each problem is. */
export function parseSieDetailed(input: string | Uint8Array): SieParsed {
  const issues: FormatIssue[] = [];
  const file: SieFile = { program: { name: '', version: '' }, generated: '', companyName: '', fiscalYears: [], accounts: [], openingBalances: [], closingBalances: [], results: [], vouchers: [], other: [] };
  const where: SieLines = { accounts: [], openingBalances: [], closingBalances: [], results: [], periodBalances: [], vouchers: [], transactions: [] };
  let checksum: string | undefined;
  const periodBalances: SiePeriodBalance[] = [];
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
        where.transactions[where.transactions.length - 1]?.push(line);
      } else if (label !== '#RTRANS' && label !== '#BTRANS') {
        // Not handling #RTRANS/#BTRANS, the standard says to skip them and keep the #TRANS lines.
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
      case '#KONTO': file.accounts.push({ number: fields[0] ?? '', name: fields[1] ?? '' }); where.accounts.push(line); break;
      case '#IB': case '#UB': case '#RES': {
        const balance = { yearIndex: Number(fields[0]), account: fields[1] ?? '', amountOre: amountOf(fields[2], line, issues) };
        (label === '#IB' ? file.openingBalances : label === '#UB' ? file.closingBalances : file.results).push(balance);
        (label === '#IB' ? where.openingBalances : label === '#UB' ? where.closingBalances : where.results).push(line);
        break;
      }
      case '#PSALDO': {
        periodBalances.push({ yearIndex: Number(fields[0]), period: fields[1] ?? '', account: fields[2] ?? '', objects: fields[3] ?? '{}', amountOre: amountOf(fields[4], line, issues) });
        where.periodBalances.push(line);
        break;
      }
      case '#VER': {
        voucher = { series: fields[0] ?? '', number: fields[1] ?? '', date: fields[2] ?? '', text: fields[3] ?? '', transactions: [] };
        if (fields[4]) voucher.registrationDate = fields[4];
        file.vouchers.push(voucher);
        where.vouchers.push(line);
        where.transactions.push([]);
        break;
      }
      case '#SIETYP': {
        const type = Number(fields[0]);
        if (!Number.isInteger(type) || type < 1 || type > 4) issues.push(issue('SIE_SYNTAX', `line ${line}`, `#SIETYP "${fields[0] ?? ''}" is not one of 1, 2, 3, 4`, { line, value: fields[0] ?? '' }));
        else file.sieType = type;
        where.sieType = line;
        break;
      }
      case '#FORMAT': if (fields[0]) file.format = fields[0]; where.format = line; break;
      case '#KSUMMA':
        if (fields[0] === undefined) where.checksumStart ??= line;
        else { where.checksumEnd = line; checksum = fields[0]; }
        break;
      case '#FLAGGA':
        break;
      default:
        file.other.push({ label, fields });
    }
  });
  if (inBlock) issues.push(issue('SIE_SYNTAX', 'end', 'voucher block not closed with "}"'));
  if (periodBalances.length > 0) file.periodBalances = periodBalances;
  file.vouchers.forEach((v, i) => {
    const sum = v.transactions.reduce((acc, t) => acc + t.amountOre, 0);
    const line = where.vouchers[i];
    if (sum !== 0) issues.push(issue('SIE_UNBALANCED_VOUCHER', line === undefined ? `#VER ${v.series} ${v.number}` : `line ${line}`, `voucher ${v.series} ${v.number} does not balance: its #TRANS lines sum to ${formatOre(sum)}`, { value: formatOre(sum), ...(line === undefined ? {} : { line }) }));
  });
  return { result: result(file, issues), lines: where, ...(checksum === undefined ? {} : { checksum }) };
}

export function parseSie(input: string | Uint8Array): ParseResult<SieFile> {
  return parseSieDetailed(input).result;
}

function quote(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

export interface SieWriteOptions {
  /** Frame the records with `#KSUMMA` … `#KSUMMA <CRC-32>` (SIE 4B section 10). */
  checksum?: boolean;
}

/** Writes SIE text (encode with `encodeSie` for the CP437 bytes the format requires). */
export function writeSie(file: SieFile, options: SieWriteOptions = {}): string {
  const lines = ['#FORMAT PC8', `#SIETYP ${file.sieType ?? 4}`, `#PROGRAM ${quote(file.program.name)} ${quote(file.program.version)}`, `#GEN ${file.generated}`, `#FNAMN ${quote(file.companyName)}`];
  if (file.organisationNumber) lines.push(`#ORGNR ${file.organisationNumber}`);
  for (const year of file.fiscalYears) lines.push(`#RAR ${year.index} ${year.start} ${year.end}`);
  if (file.chartOfAccountsType) lines.push(`#KPTYP ${file.chartOfAccountsType}`);
  if (file.currency) lines.push(`#VALUTA ${file.currency}`);
  for (const other of file.other) lines.push([other.label, ...other.fields.map((f) => (f.startsWith('{') ? f : quote(f)))].join(' '));
  for (const account of file.accounts) lines.push(`#KONTO ${account.number} ${quote(account.name)}`);
  for (const b of file.openingBalances) lines.push(`#IB ${b.yearIndex} ${b.account} ${formatOre(b.amountOre)}`);
  for (const b of file.closingBalances) lines.push(`#UB ${b.yearIndex} ${b.account} ${formatOre(b.amountOre)}`);
  for (const b of file.results) lines.push(`#RES ${b.yearIndex} ${b.account} ${formatOre(b.amountOre)}`);
  for (const p of file.periodBalances ?? []) lines.push(`#PSALDO ${p.yearIndex} ${p.period} ${p.account} ${p.objects} ${formatOre(p.amountOre)}`);
  for (const v of file.vouchers) {
    lines.push(`#VER ${quote(v.series)} ${quote(v.number)} ${v.date} ${quote(v.text)}${v.registrationDate ? ` ${v.registrationDate}` : ''}`, '{');
    for (const t of v.transactions) {
      const tail = t.date !== undefined || t.text !== undefined ? ` ${t.date ?? '""'}${t.text !== undefined ? ` ${quote(t.text)}` : ''}` : '';
      lines.push(`   #TRANS ${t.account} ${t.objects} ${formatOre(t.amountOre)}${tail}`);
    }
    lines.push('}');
  }
  const framed = options.checksum ? ['#FLAGGA 0', '#KSUMMA', ...lines, `#KSUMMA ${sieChecksum(lines)}`] : ['#FLAGGA 0', ...lines];
  return `${framed.join('\r\n')}\r\n`;
}

export function encodeSie(text: string): Uint8Array {
  return new Uint8Array(iconv.encode(text, 'cp437'));
}
