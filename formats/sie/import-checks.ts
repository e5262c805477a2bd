/**
 * What an importing program must check before it trusts a SIE file, beyond its syntax: that
 * the bytes are what `#FORMAT` declares (PC8, code page 437), that a `#KSUMMA` matches the
 * records, and that every account a balance or transaction uses is declared by `#KONTO`.
 */
import { decodeCp437 } from './sie4.ts';
import { issue, type FormatIssue } from '../issues.ts';
import { sieChecksum } from './checksum.ts';
import type { SieParsed } from './sie4.ts';

/** Latin-1 / Windows-1252 å ä ö Å Ä Ö é: box drawings and Greek letters in code page 437, never seen in real PC8 exports. */
const LATIN1_LETTERS = new Set([0xe5, 0xe4, 0xf6, 0xc5, 0xc4, 0xd6, 0xe9]);
const MAX_LINES_LISTED = 200;

function linesOf(bytes: Uint8Array): Uint8Array[] {
  const lines: Uint8Array[] = [];
  let start = 0;
  for (let i = 0; i <= bytes.length; i++) {
    if (i === bytes.length || bytes[i] === 0x0a) {
      lines.push(bytes.subarray(start, i > start && bytes[i - 1] === 0x0d ? i - 1 : i));
      start = i + 1;
    }
  }
  return lines;
}

function isUtf8WithNonAscii(bytes: Uint8Array): boolean {
  if (!bytes.some((b) => b >= 0x80)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** Bytes that do not fit the declared character set, listed by line. */
export function checkSieEncoding(bytes: Uint8Array, parsed: SieParsed): FormatIssue[] {
  const issues: FormatIssue[] = [];
  const declared = parsed.result.value?.format;
  if (declared !== undefined && declared.toUpperCase() !== 'PC8') {
    const line = parsed.lines.format;
    issues.push(issue('SIE_FORMAT_UNSUPPORTED', `line ${line ?? 0}`, `#FORMAT ${declared}: the SIE standard allows only PC8 (code page 437)`, { value: declared, ...(line === undefined ? {} : { line }) }));
  }
  const utf8 = isUtf8WithNonAscii(bytes);
  linesOf(bytes).forEach((lineBytes, index) => {
    if (issues.length >= MAX_LINES_LISTED) return;
    const line = index + 1;
    const control = lineBytes.findIndex((b) => (b < 0x20 && b !== 0x09) || b === 0x7f);
    if (control !== -1) {
      issues.push(issue('SIE_ENCODING_MISMATCH', `line ${line}`, `control character 0x${lineBytes[control]?.toString(16).padStart(2, '0')} at column ${control + 1}: not text in PC8`, { line }));
    } else if (utf8 && lineBytes.some((b) => b >= 0x80)) {
      issues.push(issue('SIE_ENCODING_MISMATCH', `line ${line}`, 'the bytes are UTF-8, but #FORMAT PC8 means code page 437 (export the file as PC8)', { line }));
    } else if (!utf8 && lineBytes.some((b) => LATIN1_LETTERS.has(b))) {
      issues.push(issue('SIE_ENCODING_MISMATCH', `line ${line}`, `"${decodeCp437(lineBytes).trim()}" reads as Latin-1 or Windows-1252 text, but #FORMAT PC8 means code page 437`, { line }));
    }
  });
  return issues;
}

/** Verifies `#KSUMMA` when the file has one (the standard makes it optional). */
export function checkSieChecksum(bytes: Uint8Array | string, parsed: SieParsed): FormatIssue[] {
  const { checksumStart, checksumEnd } = parsed.lines;
  if (checksumStart === undefined && checksumEnd === undefined) return [];
  if (checksumStart === undefined || checksumEnd === undefined || checksumEnd < checksumStart) {
    const line = checksumStart ?? checksumEnd ?? 0;
    return [issue('SIE_CHECKSUM_MISSING', `line ${line}`, checksumStart === undefined ? 'a closing #KSUMMA without the opening #KSUMMA after #FLAGGA' : 'the file announces a checksum (#KSUMMA) but has no closing #KSUMMA: it is cut short', { line })];
  }
  const lines = decodeCp437(bytes).split(/\r?\n/).slice(checksumStart, checksumEnd - 1);
  const computed = sieChecksum(lines);
  const stated = parsed.checksum ?? '';
  if (String(computed) === stated.trim()) return [];
  return [issue('SIE_CHECKSUM_MISMATCH', `line ${checksumEnd}`, `#KSUMMA ${stated} does not match the records on lines ${checksumStart + 1}–${checksumEnd - 1} (CRC-32 ${computed}): the file was changed or damaged after it was written`, { line: checksumEnd, value: stated })];
}

/**
 * A transactions-only import file (type 4I: vouchers, and no #IB, #UB, #RES or #PSALDO, which
 * SIE 4B §6 does not allow in one). Both 4I and 4E say `#SIETYP 4`; the content tells them apart.
 */
export function isImportFile(file: NonNullable<SieParsed['result']['value']>): boolean {
  return (file.sieType ?? 4) === 4 && file.vouchers.length > 0 && file.openingBalances.length === 0 && file.closingBalances.length === 0 && file.results.length === 0 && (file.periodBalances ?? []).length === 0;
}

/** A BAS account number (four digits, classes 1–8): the chart an importer holds before any file. */
const BAS_ACCOUNT = /^[1-8]\d{3}$/;

/**
 * Every account a balance or transaction uses must be declared by #KONTO. SIE 4B §6 makes
 * #KONTO mandatory in type 1, 2, 3 and 4E files (an export carries its chart of accounts);
 * only in a 4I import file is it optional, the accounts then "presumed to exist in the
 * importing program" — for an importer whose chart is BAS, a BAS account number.
 */
export function checkSieAccounts(parsed: SieParsed): FormatIssue[] {
  const file = parsed.result.value;
  if (!file) return [];
  const declared = new Set(file.accounts.map((a) => a.number));
  const importFile = isImportFile(file);
  const issues: FormatIssue[] = [];
  const check = (account: string, line: number | undefined, what: string) => {
    if (declared.has(account) || (importFile && BAS_ACCOUNT.test(account)) || issues.length >= MAX_LINES_LISTED) return;
    const why = importFile
      ? `which no #KONTO declares and which is no BAS account (a type 4I file may leave out #KONTO only for accounts the importer already has)`
      : `which no #KONTO declares (SIE 4B §6: #KONTO is mandatory in an exported type 1–4 file; declare the account, or re-book its transactions, in the exporting program and export again)`;
    issues.push(issue('SIE_UNKNOWN_ACCOUNT', `line ${line ?? 0}`, `${what} uses account "${account}", ${why}`, { value: account, ...(line === undefined ? {} : { line }) }));
  };
  file.openingBalances.forEach((b, i) => check(b.account, parsed.lines.openingBalances[i], '#IB'));
  file.closingBalances.forEach((b, i) => check(b.account, parsed.lines.closingBalances[i], '#UB'));
  file.results.forEach((b, i) => check(b.account, parsed.lines.results[i], '#RES'));
  (file.periodBalances ?? []).forEach((b, i) => check(b.account, parsed.lines.periodBalances[i], '#PSALDO'));
  file.vouchers.forEach((v, vi) => v.transactions.forEach((t, ti) => check(t.account, parsed.lines.transactions[vi]?.[ti], `#TRANS in voucher ${v.series} ${v.number}`)));
  return issues;
}

/** All the checks an import needs, on top of the parser's own (syntax, balanced vouchers). */
export function checkSieImport(bytes: Uint8Array, parsed: SieParsed): FormatIssue[] {
  return [...checkSieEncoding(bytes, parsed), ...checkSieChecksum(bytes, parsed), ...checkSieAccounts(parsed)];
}
