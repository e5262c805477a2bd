/**
 * Format detection and a one-call validation for any supported file: what `sandbank validate`
 * and the bank's intake use to decide which codec applies.
 */
import { parseBgMax } from './bankgirot/bgmax.ts';
import { decodeLatin1 } from './bankgirot/fixed-width.ts';
import { lbFileKind, parseLb } from './bankgirot/lb.ts';
import { parseAccountReport } from './camt/report-parse.ts';
import { parseCancellationRequest, parseResolution } from './camt/cancellation.ts';
import { fromYymmdd } from './dates.ts';
import { issue, type FormatIssue } from './issues.ts';
import { formatOre } from './money.ts';
import { parsePain001 } from './pain001/parse.ts';
import { DEFAULT_PAIN001_RULES, type Pain001Rules } from './pain001/validate.ts';
import { parsePain002 } from './pain002/parse.ts';
import { parseSie } from './sie/sie4.ts';

export const FORMATS = ['pain.001', 'pain.002', 'camt.052', 'camt.053', 'camt.054', 'camt.055', 'camt.029', 'lb', 'bgmax', 'sie'] as const;
export type FileFormat = (typeof FORMATS)[number];

export function isFileFormat(value: string): value is FileFormat {
  return (FORMATS as readonly string[]).includes(value);
}

/** Sniffs the format from the first bytes: XML namespace, BgMax start record, SIE labels, LB opening record. */
export function detectFormat(input: Uint8Array | string): FileFormat | undefined {
  const head = decodeLatin1(typeof input === 'string' ? input.slice(0, 4096) : input.subarray(0, 4096)).replace(/^\uFEFF|^ï»¿/, '');
  const trimmed = head.trimStart();
  if (trimmed.startsWith('<')) {
    const ns = /xmlns(?::\w+)?\s*=\s*["']urn:iso:std:iso:20022:tech:xsd:([a-z]+\.\d{3})\.\d{3}\.\d{2}["']/.exec(head);
    const message = ns?.[1];
    return message !== undefined && isFileFormat(message) ? message : undefined;
  }
  if (/^01BGMAX/m.test(head)) return 'bgmax';
  if (/^\s*#(FLAGGA|SIETYP|FORMAT)\b/m.test(head)) return 'sie';
  if (/^11.{16}LEVERANT/m.test(head)) return 'lb';
  return undefined;
}

/**
 * Files sandbank recognises but does not read, named in words so `validate` can say what a
 * file is rather than only that it is unknown.
 */
export function recogniseOtherLayout(input: Uint8Array | string): string | undefined {
  const head = decodeLatin1(typeof input === 'string' ? input.slice(0, 4096) : input.subarray(0, 4096));
  // Bankgirot's "återförda kontantutbetalningar" return file: one-digit record types 1 (opening,
  // two dates and the payer's bankgiro), 2 (one returned cash payment each), 3 (total).
  const date = '(?:\\d{6}|ÅÅMMDD)';
  if (new RegExp(`^1${date}${date}[\\dX]{10}`, 'm').test(head) && /^2\d{10}/m.test(head) && /^3 /m.test(head)) {
    return 'Bankgirot Leverantörsbetalningar return file of returned cash payments (återförda kontantutbetalningar, record types 1/2/3)';
  }
  return undefined;
}

export interface FileSummary {
  /** Lines for people: message id, payments, control sum, dates … */
  [key: string]: string | number | string[] | undefined;
}

export interface FileValidation {
  format: FileFormat | undefined;
  ok: boolean;
  summary: FileSummary;
  issues: FormatIssue[];
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)].sort();
}

export function validateFile(input: Uint8Array | string, options: { format?: FileFormat; rules?: Pain001Rules } = {}): FileValidation {
  const format = options.format ?? detectFormat(input);
  const done = (summary: FileSummary, parsed: { ok: boolean; issues: FormatIssue[] }): FileValidation => ({ format, ok: parsed.ok, summary, issues: parsed.issues });
  switch (format) {
    case undefined: {
      const other = recogniseOtherLayout(input);
      if (other) return { format, ok: false, summary: { recognisedAs: other }, issues: [issue('FORMAT_UNKNOWN', '/', `${other}: a known layout sandbank does not read`)] };
      return { format, ok: false, summary: {}, issues: [issue('FORMAT_UNKNOWN', '/', 'not a recognised payment file (pain.001/002, camt.05x/029, Bankgirot LB or BgMax, SIE 4)')] };
    }
    case 'pain.001': {
      const parsed = parsePain001(input, { rules: options.rules ?? DEFAULT_PAIN001_RULES });
      const doc = parsed.value;
      const payments = doc?.paymentInformation.flatMap((p) => p.transactions) ?? [];
      return done(doc ? {
        message: doc.version,
        messageId: doc.groupHeader.messageId,
        payments: payments.length,
        controlSum: doc.groupHeader.controlSum ?? '(none)',
        totalAmount: formatOre(payments.reduce((sum, tx) => sum + tx.amountOre, 0)),
        executionDates: unique(doc.paymentInformation.map((p) => p.requestedExecutionDate)),
      } : {}, parsed);
    }
    case 'pain.002': {
      const parsed = parsePain002(input);
      const doc = parsed.value;
      return done(doc ? {
        message: doc.version, messageId: doc.messageId, originalMessageId: doc.original.messageId, groupStatus: doc.original.groupStatus ?? '(none)',
        transactions: doc.paymentInformation.reduce((n, p) => n + p.transactions.length, 0),
      } : {}, parsed);
    }
    case 'camt.052': case 'camt.053': case 'camt.054': {
      const parsed = parseAccountReport(input);
      const doc = parsed.value;
      return done(doc ? {
        message: doc.message, messageId: doc.messageId, reports: doc.reports.length,
        entries: doc.reports.reduce((n, r) => n + r.entries.length, 0),
        balances: doc.reports.flatMap((r) => r.balances.map((b) => `${b.type} ${formatOre(b.amountOre)} ${b.currency} ${b.date}`)),
      } : {}, parsed);
    }
    case 'camt.055': {
      const parsed = parseCancellationRequest(input);
      const doc = parsed.value;
      return done(doc ? { message: 'camt.055.001.08', assignmentId: doc.assignmentId, transactions: doc.paymentInformation.reduce((n, p) => n + p.transactions.length, 0) } : {}, parsed);
    }
    case 'camt.029': {
      const parsed = parseResolution(input);
      const doc = parsed.value;
      return done(doc ? { message: 'camt.029.001.09', assignmentId: doc.assignmentId, confirmation: doc.confirmation } : {}, parsed);
    }
    case 'lb': {
      const parsed = parseLb(input);
      const records = parsed.value?.records ?? [];
      const payments = records.flatMap((r) => (r.type === '14' || r.type === '15' || r.type === '16' || r.type === '17' ? [r] : []));
      const opening = records.find((r) => r.type === '11');
      const closing = records.find((r) => r.type === '29');
      return done({
        kind: parsed.value ? lbFileKind(parsed.value) : undefined,
        senderBankgiro: opening?.type === '11' ? opening.senderBankgiro : undefined,
        records: records.length,
        payments: payments.length,
        controlSum: closing?.type === '29' && closing.totalOre !== undefined ? formatOre(closing.totalOre) : '(none)',
        // Only real dates: return files reuse pos 50–55 for other data (a payment
        // specification's TK14 holds "C00000" there), which is no execution date.
        executionDates: unique(payments.flatMap((p) => (p.paymentDate === 'GENAST' ? ['GENAST'] : [fromYymmdd(p.paymentDate) ?? []].flat()))),
        errorLines: records.filter((r) => r.type === '49').length,
      }, parsed);
    }
    case 'bgmax': {
      const parsed = parseBgMax(input);
      const file = parsed.value;
      return done(file ? {
        timestamp: file.timestamp, sections: file.sections.length,
        payments: file.trailer.paymentCount, deductions: file.trailer.deductionCount,
        deposits: file.sections.map((s) => `${s.deposit ? formatOre(s.deposit.amountOre) : '?'} ${s.currency} ${s.deposit?.paymentDate ?? ''}`.trim()),
      } : {}, parsed);
    }
    case 'sie': {
      const parsed = parseSie(input);
      const file = parsed.value;
      return done(file ? { company: file.companyName, organisationNumber: file.organisationNumber, accounts: file.accounts.length, vouchers: file.vouchers.length } : {}, parsed);
    }
  }
}
