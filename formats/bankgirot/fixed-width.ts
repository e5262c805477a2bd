/**
 * Bankgirot files are 80-character Latin-1 records. Real files arrive with CRLF or LF, short
 * lines (trailing blanks stripped by some system on the way) and occasionally TABs; each such
 * oddity is reported at its line and the record is still read.
 */
import { issue, type FormatIssue } from '../issues.ts';

export const RECORD_LENGTH = 80;

export interface FixedLine {
  /** 1-based line number in the file. */
  line: number;
  /** The record padded to 80 characters (tabs expanded). */
  text: string;
}

/** Decodes Latin-1 (ISO 8859-1): every byte is one character, å ä ö included. */
export function decodeLatin1(input: string | Uint8Array): string {
  return typeof input === 'string' ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength).toString('latin1');
}

/** Encodes to Latin-1; characters outside it are refused rather than silently replaced. */
export function encodeLatin1(text: string): Uint8Array {
  const bad = [...text].find((c) => c.codePointAt(0)! > 0xff);
  if (bad !== undefined) throw new RangeError(`character ${JSON.stringify(bad)} cannot be written in Latin-1`);
  return new Uint8Array(Buffer.from(text, 'latin1'));
}

function expandTabs(text: string): string {
  let out = '';
  for (const c of text) {
    if (c === '\t') out += ' '.repeat(8 - (out.length % 8));
    else out += c;
  }
  return out;
}

/**
 * Splits into records. Blank lines are skipped (reported as warnings); short lines are
 * padded; TABs are expanded to 8-column stops, which restores the layout of files where an
 * editor turned runs of blanks into TABs; over-long lines are errors but still read.
 */
export function readFixedWidthLines(input: string | Uint8Array, issues: FormatIssue[]): FixedLine[] {
  const text = decodeLatin1(input);
  const rawLines = text.split(/\r?\n/);
  if (rawLines.length > 0 && rawLines[rawLines.length - 1] === '') rawLines.pop();
  const lines: FixedLine[] = [];
  rawLines.forEach((raw, index) => {
    const line = index + 1;
    let record = raw.replace(/\r$/, '');
    if (record.trim() === '') {
      issues.push(issue('RECORD_LENGTH', `line ${line}`, 'blank line skipped', { line, severity: 'warning' }));
      return;
    }
    if (record.includes('\t')) {
      record = expandTabs(record);
      issues.push(issue('RECORD_FIELD', `line ${line}`, 'TAB characters expanded to 8-column tab stops; records should hold blanks', { line, severity: 'warning' }));
    }
    if (record.length > RECORD_LENGTH && record.slice(RECORD_LENGTH).trim() === '') {
      issues.push(issue('RECORD_LENGTH', `line ${line}`, `record is ${record.length} characters; blanks past ${RECORD_LENGTH} ignored`, { line, severity: 'warning' }));
      record = record.slice(0, RECORD_LENGTH);
    } else if (record.length > RECORD_LENGTH) {
      issues.push(issue('RECORD_LENGTH', `line ${line}`, `record is ${record.length} characters, longer than ${RECORD_LENGTH}`, { line, value: record }));
    } else if (record.length < RECORD_LENGTH) {
      issues.push(issue('RECORD_LENGTH', `line ${line}`, `record is ${record.length} characters; padded with blanks to ${RECORD_LENGTH}`, { line, severity: 'warning' }));
      record = record.padEnd(RECORD_LENGTH, ' ');
    }
    lines.push({ line, text: record });
  });
  return lines;
}

/** 1-based inclusive positions, as Bankgirot's manuals give them. */
export function field(text: string, from: number, to: number): string {
  return text.slice(from - 1, to);
}

export interface FieldReader {
  text(from: number, to: number): string;
  /** Left-trimmed-of-zeros digits; issue when not digits (or masked). */
  digits(from: number, to: number, name: string): string;
  /** Amount in öre from a zero-filled digit field. */
  amount(from: number, to: number, name: string): number;
}

export function fieldReader(record: FixedLine, issues: FormatIssue[]): FieldReader {
  return {
    text: (from, to) => field(record.text, from, to).trimEnd(),
    digits(from, to, name) {
      const raw = field(record.text, from, to);
      const value = raw.trim();
      if (/X/.test(value)) {
        issues.push(issue('RECORD_MASKED', `line ${record.line} pos ${from}-${to}`, `${name} is masked (${value})`, { line: record.line, value }));
      } else if (value !== '' && !/^\d+$/.test(value)) {
        issues.push(issue('RECORD_FIELD', `line ${record.line} pos ${from}-${to}`, `${name} must be digits`, { line: record.line, value: raw }));
      }
      return value;
    },
    amount(from, to, name) {
      const raw = field(record.text, from, to);
      if (!/^\d+$/.test(raw)) {
        issues.push(issue('RECORD_FIELD', `line ${record.line} pos ${from}-${to}`, `${name} must be ${to - from + 1} digits (öre)`, { line: record.line, value: raw }));
        return 0;
      }
      return Number(raw);
    },
  };
}

/** Right-aligned, zero-filled numeric field. */
export function zeroFill(value: string | number, width: number): string {
  const text = String(value);
  if (text.length > width) throw new RangeError(`${text} does not fit in ${width} digits`);
  return text.padStart(width, '0');
}

/** Left-aligned, blank-padded text field (cut to width). */
export function pad(value: string | undefined, width: number): string {
  return (value ?? '').slice(0, width).padEnd(width, ' ');
}

/**
 * Records joined with CRLF. `finalNewline: false` ends the file right after the last record,
 * as Bankgirot's BgMax sample does (some BgMax readers refuse a CRLF after TK70).
 */
export function joinRecords(records: readonly string[], { finalNewline = true }: { finalNewline?: boolean } = {}): string {
  for (const record of records) {
    if (record.length !== RECORD_LENGTH) throw new RangeError(`record must be ${RECORD_LENGTH} characters, got ${record.length}: ${record}`);
  }
  return finalNewline ? `${records.join('\r\n')}\r\n` : records.join('\r\n');
}
