/**
 * Bankgirot Leverantörsbetalningar (LB): the supplier-payment file a company sends, and the
 * return files (rejections with TK49 error lines, payment monitoring, specifications) it gets
 * back. Positions follow Bankgirot's technical manual (1-based, inclusive).
 */
import { fromYymmdd } from '../dates.ts';
import { checkBankgiro } from '../identifiers/giro.ts';
import { checkOcr } from '../identifiers/ocr.ts';
import { issue, result, type FormatIssue, type ParseResult } from '../issues.ts';
import { fieldReader, joinRecords, pad, readFixedWidthLines, zeroFill, type FixedLine } from './fixed-width.ts';

export type LbPaymentType = '14' | '15' | '16' | '17';

interface Base {
  line?: number;
}

export type LbRecord = Base &
  (
    | { type: '11'; senderBankgiro: string; fileDate: string; product: string; paymentDate: string; currency: string }
    | { type: '12'; text: string; endDate: string }
    | { type: '13'; referenceHeading: string; amountHeading: string }
    /** 14 payment, 15 deduction, 16 credit invoice with monitoring, 17 credit invoice. */
    | { type: LbPaymentType; payee: string; reference: string; amountOre: number; paymentDate: string; information: string }
    | { type: '25'; payee: string; text: string }
    | { type: '26'; payee: string; name: string; extraName: string }
    | { type: '27'; payee: string; address: string; postCode: string; town: string }
    | { type: '40'; payee: string; clearing: string; account: string; statementText: string; salary: boolean }
    /** totalOre is undefined when the field is blank (return files may state only the count). */
    | { type: '29'; senderBankgiro: string; paymentCount: number; totalOre: number | undefined }
    | { type: '49'; errorCode: string; text: string }
    /** Records this codec does not interpret (e.g. return-file TK20/21/41–43), kept verbatim. */
    | { type: 'raw'; code: string; text: string }
  );

/**
 * What an LB file is: the payment order a company sends, or one of Bankgirot's return files
 * (rejected payments with TK49 lines, payment monitoring TK41–43, payment specification
 * TK20/21). They share the record layout but not the meaning of the closing totals.
 */
export type LbFileKind = 'payment-order' | 'rejection' | 'payment-monitoring' | 'payment-specification';

export interface LbFile {
  records: LbRecord[];
}

export function lbFileKind(file: LbFile): LbFileKind {
  const codes = new Set(file.records.map((r) => (r.type === 'raw' ? r.code : r.type)));
  if (codes.has('49')) return 'rejection';
  if (codes.has('41') || codes.has('42') || codes.has('43')) return 'payment-monitoring';
  if (codes.has('20') || codes.has('21')) return 'payment-specification';
  return 'payment-order';
}

const PAYMENT_TYPES = new Set(['14', '15', '16', '17']);
/** Return-file records Bankgirot sends back that carry no payment this codec models. */
const KNOWN_RETURN_TYPES = new Set(['20', '21', '41', '42', '43']);
/** Every record type (TK) an LB file can hold, orders and return files: how an LB file is told from other text. */
export const LB_RECORD_TYPES: ReadonlySet<string> = new Set(['11', '12', '13', '14', '15', '16', '17', '25', '26', '27', '29', '40', '49', ...KNOWN_RETURN_TYPES]);

/** Bankgirot's own TK49 error codes that domain.md lists, with their meaning. */
export const LB_ERROR_CODES: Record<string, string> = {
  MTRV0013: 'payee bank account incorrect',
  MTRV0042: 'bankgiro number incorrect',
  MTRV0064: 'unreasonable date',
  MTRV0110: 'payee name and/or address missing',
  MBEV0025: 'amount too large',
};

function readRecord(line: FixedLine, issues: FormatIssue[]): LbRecord {
  const f = fieldReader(line, issues);
  const code = f.text(1, 2);
  const at = { line: line.line };
  switch (code) {
    case '11':
      return { ...at, type: '11', senderBankgiro: f.digits(3, 12, 'sender bankgiro'), fileDate: f.digits(13, 18, 'file date'), product: f.text(19, 40), paymentDate: f.text(41, 46).trim(), currency: f.text(60, 62).trim() };
    case '12':
      return { ...at, type: '12', text: f.text(3, 52), endDate: f.text(53, 58).trim() };
    case '13':
      return { ...at, type: '13', referenceHeading: f.text(3, 27), amountHeading: f.text(28, 39) };
    case '14': case '15': case '16': case '17':
      return { ...at, type: code, payee: f.digits(3, 12, 'payee number'), reference: f.text(13, 37).trim(), amountOre: f.amount(38, 49, 'amount'), paymentDate: f.text(50, 55).trim(), information: f.text(61, 80).trim() };
    case '25':
      return { ...at, type: '25', payee: f.digits(3, 12, 'payee number'), text: f.text(13, 62).trim() };
    case '26':
      return { ...at, type: '26', payee: f.digits(3, 12, 'payee number'), name: f.text(13, 47).trim(), extraName: f.text(48, 80).trim() };
    case '27':
      return { ...at, type: '27', payee: f.digits(3, 12, 'payee number'), address: f.text(13, 47).trim(), postCode: f.text(48, 52).trim(), town: f.text(53, 72).trim() };
    case '40':
      return { ...at, type: '40', payee: f.digits(3, 12, 'payee number'), clearing: f.digits(13, 16, 'clearing number'), account: f.digits(17, 28, 'account number'), statementText: f.text(29, 40).trim(), salary: f.text(41, 41) === 'L' };
    case '29': {
      const negative = f.text(33, 33) === '-';
      const total = f.text(21, 32).trim() === '' ? undefined : f.amount(21, 32, 'total amount');
      return { ...at, type: '29', senderBankgiro: f.digits(3, 12, 'sender bankgiro'), paymentCount: Number(f.digits(13, 20, 'number of payment records') || '0'), totalOre: total !== undefined && negative ? -total : total };
    }
    case '49':
      return { ...at, type: '49', errorCode: f.text(3, 10).trim(), text: f.text(11, 80).trim() };
    default:
      if (!KNOWN_RETURN_TYPES.has(code)) {
        issues.push(issue('RECORD_UNKNOWN', `line ${line.line}`, `unknown record type "${code}" (not an LB record)`, { line: line.line, value: line.text.trimEnd() }));
      }
      return { ...at, type: 'raw', code, text: line.text.trimEnd() };
  }
}

/** Structure and control totals (what the bank checks on intake; fewer checks on return files). */
/** A TK14 reference of digits only, to a bankgiro payee, is an OCR number; its Luhn check (undefined for a message). */
export function lbOcrReference(reference: string): ReturnType<typeof checkOcr> | undefined {
  return /^\d+$/.test(reference) ? checkOcr(reference, 'check-digit') : undefined;
}

export function validateLb(file: LbFile): FormatIssue[] {
  const out: FormatIssue[] = [];
  const kind = lbFileKind(file);
  const records = file.records;
  const at = (r: LbRecord | undefined) => (r?.line === undefined ? {} : { line: r.line });
  // Explanatory lines around a file (as in published samples) are reported where they stand;
  // the order check looks at the LB records themselves.
  const lbRecords = records.filter((r) => r.type !== 'raw' || KNOWN_RETURN_TYPES.has(r.code));
  const first = lbRecords[0];
  const last = lbRecords[lbRecords.length - 1];
  if (first?.type !== '11') out.push(issue('RECORD_ORDER', first?.line ? `line ${first.line}` : 'line 1', 'an LB file starts with an opening record (TK11)', at(first)));
  if (last?.type !== '29') out.push(issue('RECORD_ORDER', last?.line ? `line ${last.line}` : 'end', 'an LB file ends with a total record (TK29)', at(last)));
  // Account payees (TK40) and cash payees (name + address, paid by payment notice) use a
  // payee number, not a bankgiro number.
  const payeeNumbers = new Set(records.flatMap((r) => (r.type === '40' || r.type === '27' ? [r.payee] : [])));
  let count = 0;
  let total = 0;
  for (const r of records) {
    const path = `line ${r.line ?? '?'}`;
    if (kind === 'payment-monitoring') {
      if (r.type === '40' || (r.type === 'raw' && ['41', '42', '43'].includes(r.code))) count++;
      continue;
    }
    if (r.type !== '14' && r.type !== '15' && r.type !== '16' && r.type !== '17') continue;
    count++;
    total += r.type === '14' ? r.amountOre : -r.amountOre;
    if (kind !== 'payment-order') continue;
    if (r.amountOre <= 0) out.push(issue('AMOUNT_NOT_POSITIVE', path, 'amount must be greater than zero', at(r)));
    if (r.paymentDate !== '' && r.paymentDate !== 'GENAST' && fromYymmdd(r.paymentDate) === undefined) out.push(issue('DATE_INVALID', path, 'payment date must be YYMMDD or GENAST', { ...at(r), value: r.paymentDate }));
    if (!payeeNumbers.has(r.payee) && !/X/.test(r.payee)) {
      const check = checkBankgiro(r.payee.replace(/^0+/, ''));
      if (!check.ok) out.push(issue('BANKGIRO_INVALID', path, `payee bankgiro ${r.payee}: ${check.message}`, { ...at(r), value: r.payee }));
      // LB does not say whether a reference is an OCR number: only a payee with OCR control
      // refuses a wrong one, so the format can only warn (a bank that knows its payees rejects).
      const ocr = lbOcrReference(r.reference);
      if (ocr && !ocr.ok) out.push(issue('OCR_INVALID', path, `reference ${r.reference} reads as an OCR number but ${ocr.message}; a payee with OCR control refuses it`, { ...at(r), value: r.reference, severity: 'warning' }));
    }
  }
  for (const r of records) {
    if (r.type === '11' && r.currency !== '' && r.currency !== 'SEK' && r.currency !== 'EUR') out.push(issue('CURRENCY_NOT_ALLOWED', `line ${r.line}`, `currency ${r.currency} (SEK or EUR)`, at(r)));
  }
  if (last?.type === '29') {
    const noun = kind === 'payment-monitoring' ? 'monitoring records' : 'payment records';
    if (last.paymentCount !== count) out.push(issue('CONTROL_COUNT_MISMATCH', `line ${last.line}`, `TK29 states ${last.paymentCount} ${noun}, the file holds ${count}`, at(last)));
    if (kind !== 'payment-monitoring' && last.totalOre !== undefined && last.totalOre !== total) {
      out.push(issue('CONTROL_TOTAL_MISMATCH', `line ${last.line}`, `TK29 states a total of ${last.totalOre} öre, the payment records sum to ${total}`, at(last)));
    }
    if (kind === 'payment-order' && last.totalOre === undefined) out.push(issue('RECORD_FIELD', `line ${last.line}`, 'TK29 total amount is blank', at(last)));
  }
  return out;
}

/** Reads every record, reports every oddity at its line; validation issues included. */
export function parseLb(input: string | Uint8Array): ParseResult<LbFile> {
  const issues: FormatIssue[] = [];
  const lines = readFixedWidthLines(input, issues);
  const records = lines.map((line) => readRecord(line, issues));
  const file: LbFile = { records };
  if (!records.some((r) => r.type === '11')) return { ok: false, value: file, issues: [...issues, issue('FORMAT_UNKNOWN', 'line 1', 'no TK11 opening record: this is not an LB file')] };
  issues.push(...validateLb(file));
  return result(file, issues);
}

function renderRecord(r: LbRecord): string {
  switch (r.type) {
    case '11': return `11${zeroFill(r.senderBankgiro, 10)}${r.fileDate}${pad(r.product, 22)}${pad(r.paymentDate, 6)}${pad('', 13)}${pad(r.currency, 3)}${pad('', 18)}`;
    case '12': return `12${pad(r.text, 50)}${pad(r.endDate, 6)}${pad('', 22)}`;
    case '13': return `13${pad(r.referenceHeading, 25)}${pad(r.amountHeading, 12)}${pad('', 41)}`;
    case '14': case '15': case '16': case '17':
      return `${r.type}${zeroFill(r.payee, 10)}${pad(r.reference, 25)}${zeroFill(r.amountOre, 12)}${pad(r.paymentDate, 6)}${pad('', 5)}${pad(r.information, 20)}`;
    case '25': return `25${zeroFill(r.payee, 10)}${pad(r.text, 50)}${pad('', 18)}`;
    case '26': return `26${zeroFill(r.payee, 10)}${pad(r.name, 35)}${pad(r.extraName, 33)}`;
    case '27': return `27${zeroFill(r.payee, 10)}${pad(r.address, 35)}${pad(r.postCode, 5)}${pad(r.town, 20)}${pad('', 8)}`;
    case '40': return `40${zeroFill(r.payee, 10)}${zeroFill(r.clearing, 4)}${zeroFill(r.account, 12)}${pad(r.statementText, 12)}${r.salary ? 'L' : ' '}${pad('', 39)}`;
    case '29': return `29${zeroFill(r.senderBankgiro, 10)}${zeroFill(r.paymentCount, 8)}${r.totalOre === undefined ? pad('', 12) : zeroFill(Math.abs(r.totalOre), 12)}${(r.totalOre ?? 0) < 0 ? '-' : ' '}${pad('', 47)}`;
    // Right-aligned as in Bankgirot's rejection sample: "MTRV0064", or "    0000" (see the record before).
    case '49': return `49${r.errorCode.slice(0, 8).padStart(8, ' ')}${pad(r.text, 70)}`;
    case 'raw': return pad(r.text, 80);
  }
}

/** Writes the records as 80-character Latin-1 text lines with CRLF (encode with encodeLatin1). */
export function writeLb(file: LbFile): string {
  return joinRecords(file.records.map(renderRecord));
}

/** TK49 errors attached to the record they follow (Bankgirot's return-file convention). */
export function lbErrorsByRecord(file: LbFile): { record: LbRecord; errors: { code: string; text: string }[] }[] {
  const out: { record: LbRecord; errors: { code: string; text: string }[] }[] = [];
  for (const r of file.records) {
    if (r.type === '49') out[out.length - 1]?.errors.push({ code: r.errorCode, text: r.text });
    else out.push({ record: r, errors: [] });
  }
  return out;
}

export { PAYMENT_TYPES as LB_PAYMENT_TYPES };
