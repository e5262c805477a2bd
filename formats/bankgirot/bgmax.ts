/**
 * BgMax: Bankgirot's return file of incoming bankgiro payments (what the payee's bank
 * delivers each day). Positions follow Bankgirot's BgMax manual (1-based, inclusive).
 */
import { issue, result, type FormatIssue, type ParseResult } from '../issues.ts';
import { fieldReader, joinRecords, pad, readFixedWidthLines, zeroFill, type FixedLine } from './fixed-width.ts';

/**
 * Reference code (TK20 pos 56): 0/1 no reference, 2 correct OCR, 3 several references,
 * 4 one reference, 5 incorrect reference.
 */
export type ReferenceCode = '0' | '1' | '2' | '3' | '4' | '5';
/** Payment channel (pos 57): 1 electronic via bank, 2 electronic via LB, 3 payment slip, 4 autogiro. */
export type PaymentChannel = '1' | '2' | '3' | '4';

export interface BgMaxPaymentFields {
  senderBankgiro: string;
  reference: string;
  /**
   * Bankgirot's sample right-aligns (blank-filled) a single OCR reference (reference code 2)
   * and left-aligns other references; kept per payment for exact output.
   */
  referenceAlignment: 'left' | 'right';
  amountOre: number;
  referenceCode: string;
  paymentChannel: string;
  bgcSerialNumber: string;
  imageFlag: string;
}

export interface BgMaxPayment extends BgMaxPaymentFields {
  line?: number;
  /** TK21: a deduction (credit note), with its deduction code at pos 71. */
  deduction: boolean;
  deductionCode?: string;
  /** TK22 (positive) / TK23 (negative) extra references. */
  extraReferences: (BgMaxPaymentFields & { negative: boolean; line?: number })[];
  information: string[];
  name?: string;
  extraName?: string;
  address?: string;
  postCode?: string;
  town?: string;
  country?: string;
  countryCode?: string;
  organisationNumber?: string;
}

export interface BgMaxDeposit {
  line?: number;
  payeeBankAccount: string;
  /** YYYY-MM-DD as in the file's YYYYMMDD. */
  paymentDate: string;
  depositSerialNumber: string;
  amountOre: number;
  currency: string;
  paymentCount: number;
  depositType: string;
}

export interface BgMaxSection {
  line?: number;
  payeeBankgiro: string;
  payeePlusgiro: string;
  currency: string;
  payments: BgMaxPayment[];
  deposit?: BgMaxDeposit;
}

export interface BgMaxFile {
  version: string;
  /** YYYYMMDDHHMMSSffffff as written. */
  timestamp: string;
  /** T test, P production. */
  testMarker: string;
  sections: BgMaxSection[];
  trailer: { paymentCount: number; deductionCount: number; extraReferenceCount: number; depositCount: number };
  /** The TK70 end record's line, when read from a file. */
  trailerLine?: number;
}

function paymentFields(r: ReturnType<typeof fieldReader>): BgMaxPaymentFields {
  return {
    senderBankgiro: r.digits(3, 12, 'sender bankgiro'),
    reference: r.text(13, 37).trim(),
    referenceAlignment: /^ +\S/.test(r.text(13, 37)) ? 'right' : 'left',
    amountOre: r.amount(38, 55, 'amount'),
    referenceCode: r.text(56, 56),
    paymentChannel: r.text(57, 57),
    bgcSerialNumber: r.text(58, 69).trim(),
    imageFlag: r.text(70, 70),
  };
}

export function parseBgMax(input: string | Uint8Array): ParseResult<BgMaxFile> {
  const issues: FormatIssue[] = [];
  const lines = readFixedWidthLines(input, issues);
  const file: BgMaxFile = { version: '', timestamp: '', testMarker: '', sections: [], trailer: { paymentCount: 0, deductionCount: 0, extraReferenceCount: 0, depositCount: 0 } };
  let section: BgMaxSection | undefined;
  let payment: BgMaxPayment | undefined;
  let sawStart = false;
  let sawEnd = false;
  const misplaced = (line: FixedLine, what: string) =>
    issues.push(issue('RECORD_ORDER', `line ${line.line}`, `${what} without the record it belongs to`, { line: line.line, value: line.text.trimEnd() }));
  for (const line of lines) {
    const r = fieldReader(line, issues);
    const code = r.text(1, 2);
    if (sawEnd) issues.push(issue('RECORD_ORDER', `line ${line.line}`, 'record after the TK70 end record', { line: line.line }));
    switch (code) {
      case '01':
        if (r.text(3, 22).trim() !== 'BGMAX') issues.push(issue('FORMAT_UNKNOWN', `line ${line.line}`, 'TK01 must name BGMAX in pos 3–22', { line: line.line }));
        file.version = r.text(23, 24);
        file.timestamp = r.text(25, 44).trim();
        file.testMarker = r.text(45, 45);
        sawStart = true;
        break;
      case '05':
        section = { line: line.line, payeeBankgiro: r.digits(3, 12, 'payee bankgiro'), payeePlusgiro: r.text(13, 22).trim(), currency: r.text(23, 25), payments: [] };
        file.sections.push(section);
        payment = undefined;
        break;
      case '20': case '21': {
        if (!section) { misplaced(line, 'payment'); break; }
        payment = { line: line.line, ...paymentFields(r), deduction: code === '21', extraReferences: [], information: [] };
        if (code === '21') payment.deductionCode = r.text(71, 71);
        section.payments.push(payment);
        break;
      }
      case '22': case '23':
        if (!payment) { misplaced(line, 'extra reference'); break; }
        payment.extraReferences.push({ ...paymentFields(r), negative: code === '23', line: line.line });
        break;
      case '25':
        if (!payment) { misplaced(line, 'information record'); break; }
        payment.information.push(r.text(3, 52).trim());
        break;
      case '26':
        if (!payment) { misplaced(line, 'name record'); break; }
        payment.name = r.text(3, 37).trim();
        payment.extraName = r.text(38, 72).trim();
        break;
      case '27':
        if (!payment) { misplaced(line, 'address record'); break; }
        payment.address = r.text(3, 37).trim();
        payment.postCode = r.text(38, 46).trim();
        break;
      case '28':
        if (!payment) { misplaced(line, 'town record'); break; }
        payment.town = r.text(3, 37).trim();
        payment.country = r.text(38, 72).trim();
        payment.countryCode = r.text(73, 74).trim();
        break;
      case '29':
        if (!payment) { misplaced(line, 'organisation number record'); break; }
        payment.organisationNumber = r.digits(3, 14, 'organisation number');
        break;
      case '15': {
        if (!section) { misplaced(line, 'deposit record'); break; }
        const date = r.digits(38, 45, 'payment date');
        section.deposit = {
          line: line.line,
          payeeBankAccount: r.text(3, 37).trim(),
          paymentDate: date.length === 8 ? `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}` : date,
          depositSerialNumber: r.text(46, 50).trim(),
          amountOre: r.amount(51, 68, 'deposit amount'),
          currency: r.text(69, 71),
          paymentCount: Number(r.digits(72, 79, 'number of payments') || '0'),
          depositType: r.text(80, 80).trim(),
        };
        section = undefined;
        payment = undefined;
        break;
      }
      case '70':
        file.trailer = {
          paymentCount: Number(r.digits(3, 10, 'number of payments') || '0'),
          deductionCount: Number(r.digits(11, 18, 'number of deductions') || '0'),
          extraReferenceCount: Number(r.digits(19, 26, 'number of extra references') || '0'),
          depositCount: Number(r.digits(27, 34, 'number of deposits') || '0'),
        };
        file.trailerLine = line.line;
        sawEnd = true;
        break;
      default:
        issues.push(issue('RECORD_UNKNOWN', `line ${line.line}`, `unknown BgMax record type "${code}"`, { line: line.line, value: line.text.trimEnd() }));
    }
  }
  if (!sawStart) return { ok: false, value: file, issues: [...issues, issue('FORMAT_UNKNOWN', 'line 1', 'no TK01 BGMAX start record: this is not a BgMax file')] };
  if (!sawEnd) issues.push(issue('RECORD_ORDER', 'end', 'missing TK70 end record'));
  issues.push(...validateBgMax(file));
  return result(file, issues);
}

/** "lines 3, 5, 9" — at most `max` of them, so a 10,000-payment file gives a readable message. */
function linesOf(lines: (number | undefined)[], max = 10): string {
  const known = lines.filter((l): l is number => l !== undefined);
  if (known.length === 0) return 'none';
  const shown = known.slice(0, max).join(', ');
  return `line${known.length === 1 ? '' : 's'} ${shown}${known.length > max ? `, … (${known.length} in all)` : ''}`;
}

/**
 * Counts in TK70 and each deposit's TK15 count and amount must agree with the payments. Every
 * refusal names the record that states the figure and the records that were counted, so a
 * person can find both in the file.
 */
export function validateBgMax(file: BgMaxFile): FormatIssue[] {
  const out: FormatIssue[] = [];
  const payments = file.sections.flatMap((s) => s.payments);
  const extras = payments.flatMap((p) => p.extraReferences);
  const counted = {
    paymentCount: { what: 'TK20 payment record(s)', lines: payments.filter((p) => !p.deduction).map((p) => p.line) },
    deductionCount: { what: 'TK21 deduction record(s)', lines: payments.filter((p) => p.deduction).map((p) => p.line) },
    extraReferenceCount: { what: 'TK22/TK23 extra reference record(s)', lines: extras.map((e) => e.line) },
    depositCount: { what: 'TK15 deposit record(s)', lines: file.sections.flatMap((s) => (s.deposit ? [s.deposit.line] : [])) },
  };
  const trailerAt = file.trailerLine === undefined ? {} : { line: file.trailerLine };
  const trailerPath = file.trailerLine === undefined ? 'TK70' : `line ${file.trailerLine}`;
  for (const key of Object.keys(counted) as (keyof typeof counted)[]) {
    const { what, lines } = counted[key];
    if (lines.length !== file.trailer[key]) out.push(issue('CONTROL_COUNT_MISMATCH', trailerPath, `TK70 ${key} is ${file.trailer[key]}, the file holds ${lines.length} ${what} (${linesOf(lines)})`, trailerAt));
  }
  for (const section of file.sections) {
    const deposit = section.deposit;
    if (!deposit) {
      out.push(issue('RECORD_ORDER', `line ${section.line ?? '?'}`, 'section without a TK15 deposit record'));
      continue;
    }
    const at = deposit.line === undefined ? {} : { line: deposit.line };
    const net = section.payments.reduce((sum, p) => sum + (p.deduction ? -p.amountOre : p.amountOre), 0);
    // The deposit counts every payment record of the section, deductions (TK21) included.
    const count = section.payments.length;
    const records = `TK20/TK21 of the section from line ${section.line ?? '?'}: ${linesOf(section.payments.map((p) => p.line))}`;
    if (deposit.amountOre !== net) out.push(issue('CONTROL_TOTAL_MISMATCH', `line ${deposit.line}`, `deposit amount ${deposit.amountOre} öre, payments less deductions sum to ${net} (${records})`, at));
    if (deposit.paymentCount !== count) out.push(issue('CONTROL_COUNT_MISMATCH', `line ${deposit.line}`, `deposit counts ${deposit.paymentCount} payments, the section holds ${count} (${records})`, at));
    if (deposit.currency !== section.currency) out.push(issue('RECORD_FIELD', `line ${deposit.line}`, `deposit currency ${deposit.currency} differs from the section's ${section.currency}`, at));
  }
  return out;
}

function renderPaymentFields(code: string, p: BgMaxPaymentFields, tail: string): string {
  return `${code}${zeroFill(p.senderBankgiro, 10)}${p.referenceAlignment === 'right' ? p.reference.slice(0, 25).padStart(25, ' ') : pad(p.reference, 25)}${zeroFill(p.amountOre, 18)}${pad(p.referenceCode, 1)}${pad(p.paymentChannel, 1)}${zeroFill(p.bgcSerialNumber, 12)}${pad(p.imageFlag, 1)}${pad(tail, 10)}`;
}

export function writeBgMax(file: BgMaxFile): string {
  const out: string[] = [`01${pad('BGMAX', 20)}${pad(file.version, 2)}${pad(file.timestamp, 20)}${pad(file.testMarker, 1)}${pad('', 35)}`];
  for (const section of file.sections) {
    out.push(`05${zeroFill(section.payeeBankgiro, 10)}${pad(section.payeePlusgiro, 10)}${pad(section.currency, 3)}${pad('', 55)}`);
    for (const p of section.payments) {
      out.push(renderPaymentFields(p.deduction ? '21' : '20', p, p.deduction ? (p.deductionCode ?? '0') : ''));
      for (const extra of p.extraReferences) out.push(renderPaymentFields(extra.negative ? '23' : '22', extra, ''));
      for (const text of p.information) out.push(`25${pad(text, 50)}${pad('', 28)}`);
      if (p.name !== undefined) out.push(`26${pad(p.name, 35)}${pad(p.extraName, 35)}${pad('', 8)}`);
      if (p.address !== undefined) out.push(`27${pad(p.address, 35)}${pad(p.postCode, 9)}${pad('', 34)}`);
      if (p.town !== undefined) out.push(`28${pad(p.town, 35)}${pad(p.country, 35)}${pad(p.countryCode, 2)}${pad('', 6)}`);
      if (p.organisationNumber !== undefined) out.push(`29${zeroFill(p.organisationNumber, 12)}${pad('', 66)}`);
    }
    const d = section.deposit;
    if (d) {
      // The payee's bank account is a number: right-aligned and zero-filled, as in Bankgirot's sample.
      out.push(`15${zeroFill(d.payeeBankAccount, 35)}${d.paymentDate.replace(/-/g, '')}${zeroFill(d.depositSerialNumber, 5)}${zeroFill(d.amountOre, 18)}${pad(d.currency, 3)}${zeroFill(d.paymentCount, 8)}${pad(d.depositType, 1)}`);
    }
  }
  const t = file.trailer;
  out.push(`70${zeroFill(t.paymentCount, 8)}${zeroFill(t.deductionCount, 8)}${zeroFill(t.extraReferenceCount, 8)}${zeroFill(t.depositCount, 8)}${pad('', 46)}`);
  return joinRecords(out, { finalNewline: false });
}

/** Fills TK70 and each TK15's count and amount from the payments (for writers). */
export function withBgMaxTotals(file: BgMaxFile): BgMaxFile {
  const sections = file.sections.map((s) => {
    if (!s.deposit) return s;
    const net = s.payments.reduce((sum, p) => sum + (p.deduction ? -p.amountOre : p.amountOre), 0);
    return { ...s, deposit: { ...s.deposit, amountOre: net, paymentCount: s.payments.length } };
  });
  const payments = sections.flatMap((s) => s.payments);
  return {
    ...file,
    sections,
    trailer: {
      paymentCount: payments.filter((p) => !p.deduction).length,
      deductionCount: payments.filter((p) => p.deduction).length,
      extraReferenceCount: payments.reduce((n, p) => n + p.extraReferences.length, 0),
      depositCount: sections.filter((s) => s.deposit).length,
    },
  };
}
