/**
 * Intake: turns an uploaded file into payments, with every validation issue. File-level
 * problems (syntax, schema, totals, duplicates) reject the whole file (FF01, AM10, AM18 …);
 * problems of one payment reject that payment (AC01, RR04 …) and the file is PART.
 */
import { fromYymmdd } from '../../formats/dates.ts';
import { checkBankgiro, checkPlusgiro } from '../../formats/identifiers/giro.ts';
import { checkSwedishAccount } from '../../formats/identifiers/account.ts';
import { reasonCodeFor, type FormatIssue, type ParseResult } from '../../formats/issues.ts';
import { lbFileKind, lbOcrReference, parseLb, type LbRecord } from '../../formats/bankgirot/lb.ts';
import { classifyCreditor, createPain001Parser, type CreditTransfer, type CreditorKind as ReadCreditor, type Pain001Document, type Pain001Parser } from '../../formats/pain001/index.ts';
import type { BankProfile } from '../banks/profile.ts';
import type { CreditorKind, StatusReason } from './model.ts';
import { KIND_HEAD_BYTES, notAPaymentFile } from './payment-file-kind.ts';

export interface IntakePayment {
  paymentInformationId: string;
  endToEndId: string;
  instructionId?: string;
  amountOre: number;
  currency: string;
  /** Debtor account as written (IBAN, BBAN or bankgiro), matched to a sandbox account later. */
  debtorAccount: string;
  creditor: { kind: CreditorKind; account: string; name?: string };
  reference?: { type: 'ocr' | 'message'; value: string };
  /** `YYYY-MM-DD`, or '' for LB's GENAST (as soon as possible). */
  requestedExecutionDate: string;
  /** Reasons this payment is rejected at intake (empty when accepted). */
  rejections: StatusReason[];
}

export interface IntakeResult {
  /** 'unknown': the upload is no payment file at all (refused FF01 before any parse). */
  format: 'pain.001.001.03' | 'pain.001.001.09' | 'lb' | 'unknown';
  messageId: string;
  /** File-level rejection reasons (the whole file is refused when non-empty). */
  fileRejections: StatusReason[];
  issues: FormatIssue[];
  payments: IntakePayment[];
}

/** Issue codes that concern one payment: they reject that payment, not the file. */
const PAYMENT_LEVEL = new Set<FormatIssue['code']>([
  'AMOUNT_NOT_POSITIVE', 'AMOUNT_DECIMALS', 'AMOUNT_TOO_LARGE', 'CURRENCY_NOT_ALLOWED', 'ACCOUNT_INVALID', 'BANKGIRO_INVALID', 'PLUSGIRO_INVALID',
  'IBAN_INVALID', 'BIC_INVALID', 'CLEARING_INVALID', 'CREDITOR_ADDRESSING_INCONSISTENT', 'OCR_INVALID', 'REMITTANCE_TOO_LONG', 'CHARSET', 'NAME_MISSING', 'DATE_INVALID',
]);

const TX_PATH = /^\/Document\/CstmrCdtTrfInitn\/PmtInf\[(\d+)\]\/CdtTrfTxInf\[(\d+)\]/;

function reason(issue: FormatIssue): StatusReason {
  return { code: reasonCodeFor(issue.code), message: issue.message };
}

function accountText(account: CreditTransfer['creditorAccount']): string {
  if (!account) return '';
  return 'iban' in account ? account.iban : account.other;
}

function classifiedCreditor(tx: CreditTransfer): ReadCreditor | undefined {
  const classified = classifyCreditor(tx, '');
  return classified.ok ? classified.value : undefined;
}

function painPayments(doc: Pain001Document, issues: FormatIssue[], creditors: readonly (ReadCreditor | undefined)[]): { payments: IntakePayment[]; fileLevel: FormatIssue[] } {
  const byTx = new Map<string, FormatIssue[]>();
  const fileLevel: FormatIssue[] = [];
  for (const found of issues) {
    if (found.severity !== 'error') continue;
    const m = TX_PATH.exec(found.path);
    if (m && PAYMENT_LEVEL.has(found.code)) {
      const key = `${m[1]}/${m[2]}`;
      byTx.set(key, [...(byTx.get(key) ?? []), found]);
    } else fileLevel.push(found);
  }
  const payments: IntakePayment[] = [];
  // The rules classified every creditor in document order while validating (one per transaction).
  const total = doc.paymentInformation.reduce((sum, p) => sum + p.transactions.length, 0);
  const readByRules = creditors.length === total;
  let flat = 0;
  doc.paymentInformation.forEach((pmtInf, i) => {
    const debtor = pmtInf.debtorAccount;
    const debtorAccount = 'iban' in debtor ? debtor.iban : debtor.other;
    pmtInf.transactions.forEach((tx, j) => {
      const classified = readByRules ? creditors[flat++] : classifiedCreditor(tx);
      const creditor = classified
        ? classified.kind === 'account'
          ? { kind: 'account' as const, account: `${classified.clearing}-${classified.account}` }
          : classified.kind === 'iban'
            ? { kind: 'iban' as const, account: classified.iban }
            : { kind: classified.kind, account: classified.number }
        : { kind: 'account' as const, account: accountText(tx.creditorAccount) };
      const ocr = tx.structuredRemittance.find((s) => s.creditorReferenceType === 'SCOR')?.creditorReference;
      const message = tx.unstructuredRemittance[0];
      const payment: IntakePayment = {
        paymentInformationId: pmtInf.paymentInformationId,
        endToEndId: tx.endToEndId,
        amountOre: tx.amountOre,
        currency: tx.currency,
        debtorAccount,
        creditor: tx.creditor.name === undefined ? creditor : { ...creditor, name: tx.creditor.name },
        requestedExecutionDate: pmtInf.requestedExecutionDate,
        // Most files have no payment-level issue: no key is built for each payment then.
        rejections: byTx.size === 0 ? [] : (byTx.get(`${i + 1}/${j + 1}`) ?? []).map(reason),
      };
      if (tx.instructionId !== undefined) payment.instructionId = tx.instructionId;
      if (ocr !== undefined) payment.reference = { type: 'ocr', value: ocr };
      else if (message !== undefined) payment.reference = { type: 'message', value: message };
      payments.push(payment);
    });
  });
  return { payments, fileLevel };
}

function lbPayments(records: LbRecord[], issues: FormatIssue[]): { payments: IntakePayment[]; fileLevel: FormatIssue[]; sender: string } {
  const opening = records.find((r) => r.type === '11');
  const sender = opening?.type === '11' ? opening.senderBankgiro.replace(/^0+/, '') : '';
  const defaultDate = opening?.type === '11' ? opening.paymentDate : '';
  const accounts = new Map<string, { clearing: string; account: string }>();
  const names = new Map<string, string>();
  for (const r of records) {
    if (r.type === '40') accounts.set(r.payee, { clearing: r.clearing, account: r.account.replace(/^0+/, '') });
    if (r.type === '26') names.set(r.payee, r.name);
  }
  const lineIssues = new Map<number, FormatIssue[]>();
  const fileLevel: FormatIssue[] = [];
  for (const found of issues) {
    if (found.severity !== 'error') continue;
    if (found.line !== undefined && PAYMENT_LEVEL.has(found.code)) lineIssues.set(found.line, [...(lineIssues.get(found.line) ?? []), found]);
    else fileLevel.push(found);
  }
  const payments: IntakePayment[] = [];
  let index = 0;
  for (const r of records) {
    if (r.type !== '14') continue;
    index++;
    const rejections = (r.line === undefined ? [] : lineIssues.get(r.line) ?? []).map(reason);
    const account = accounts.get(r.payee);
    let creditor: IntakePayment['creditor'];
    if (account) {
      const check = checkSwedishAccount(account.clearing, account.account);
      if (!check.ok) rejections.push({ code: 'AC01', message: check.message });
      creditor = { kind: 'account', account: check.ok ? `${check.value.clearing}-${check.value.account}` : `${account.clearing}-${account.account}` };
    } else {
      const number = r.payee.replace(/^0+/, '');
      const bankgiro = checkBankgiro(number);
      const plusgiro = bankgiro.ok ? bankgiro : checkPlusgiro(number);
      creditor = { kind: 'bankgiro', account: number };
      if (!bankgiro.ok && !plusgiro.ok && !rejections.some((x) => x.code === 'AC01')) rejections.push({ code: 'AC01', message: bankgiro.message });
    }
    const name = names.get(r.payee);
    if (name !== undefined) creditor.name = name;
    const rawDate = r.paymentDate || defaultDate;
    const date = rawDate === 'GENAST' || rawDate === '' ? '' : (fromYymmdd(rawDate) ?? '');
    if (rawDate !== '' && rawDate !== 'GENAST' && date === '') rejections.push({ code: 'DT01', message: `payment date ${rawDate} is not a date` });
    const payment: IntakePayment = {
      paymentInformationId: `LB-${sender}`,
      endToEndId: r.information || `LB-${index}`,
      amountOre: r.amountOre,
      currency: opening?.type === '11' && opening.currency ? opening.currency : 'SEK',
      debtorAccount: sender,
      creditor,
      requestedExecutionDate: date,
      rejections,
    };
    if (r.reference) payment.reference = /^\d+$/.test(r.reference) && !account ? { type: 'ocr', value: r.reference } : { type: 'message', value: r.reference };
    // The simulated bank's giro payees all run OCR control: a wrong OCR number is rejected as in a pain.001.
    const ocr = account ? undefined : lbOcrReference(r.reference);
    if (ocr && !ocr.ok) rejections.push({ code: reasonCodeFor('OCR_INVALID'), message: `OCR reference ${r.reference}: ${ocr.message}` });
    payments.push(payment);
  }
  return { payments, fileLevel, sender };
}

/** Reads an uploaded file the way the bank's intake does. */
export function intake(bytes: Uint8Array, profile: BankProfile): IntakeResult {
  const reading = createIntake(profile);
  reading.write(bytes);
  return reading.close();
}

/** Intake fed the upload in pieces as it arrives: a pain.001 is parsed on the way, in one pass. */
export interface IntakeReader {
  write(piece: Uint8Array): void;
  close(): IntakeResult;
}

/** Enough of the head to tell a pain.001 or an LB file from anything else (payment-file-kind.ts). */
const SNIFF_BYTES = KIND_HEAD_BYTES;

function looksLikeXml(head: Uint8Array): boolean {
  const text = Buffer.from(head.subarray(0, SNIFF_BYTES)).toString('latin1').trimStart();
  return text.startsWith('<') || text.startsWith('\uFEFF') || text.startsWith('ï»¿');
}

export function createIntake(profile: BankProfile): IntakeReader {
  let head: Uint8Array[] = [];
  let headBytes = 0;
  let pain: Pain001Parser | undefined;
  let creditors: (ReadCreditor | undefined)[] = [];
  let lb: Uint8Array[] | undefined;
  let refused: IntakeResult | undefined;
  const decide = () => {
    const joined = Buffer.concat(head);
    refused = notAPaymentFile(joined, profile);
    if (refused) lb = [];
    else if (looksLikeXml(joined)) {
      pain = createPain001Parser({ rules: profile.pain001Rules, creditors });
      pain.write(joined);
    } else lb = [joined];
    head = [];
  };
  return {
    write(piece) {
      if (pain) pain.write(piece);
      else if (refused) return;
      else if (lb) lb.push(piece);
      else {
        head.push(piece);
        headBytes += piece.length;
        if (headBytes >= SNIFF_BYTES) decide();
      }
    },
    close() {
      if (!pain && !lb) decide();
      if (refused) return refused;
      // Read once: the parser (with the whole document model) is let go as soon as the
      // payments are out of it, so it is not held while they are validated and reported.
      const parser = pain;
      const pieces = lb ?? [];
      const read = creditors;
      pain = undefined;
      lb = undefined;
      creditors = [];
      return parser ? fromPain001(parser.close(), read, profile) : fromLb(Buffer.concat(pieces), profile);
    },
  };
}

function fromPain001(parsed: ParseResult<Pain001Document>, creditors: readonly (ReadCreditor | undefined)[], profile: BankProfile): IntakeResult {
  const doc = parsed.value;
  if (!doc) {
    return { format: 'pain.001.001.03', messageId: '', fileRejections: [{ code: 'FF01', message: parsed.issues[0]?.message ?? 'not a pain.001 document' }], issues: parsed.issues, payments: [] };
  }
  const { payments, fileLevel } = painPayments(doc, parsed.issues, creditors);
  const fileRejections = fileLevel.map(reason);
  if (!profile.acceptedFormats.includes(doc.version)) fileRejections.unshift({ code: 'FF01', message: `${profile.displayName} does not accept ${doc.version}` });
  return { format: doc.version, messageId: doc.groupHeader.messageId, fileRejections, issues: parsed.issues, payments };
}

function fromLb(bytes: Uint8Array, profile: BankProfile): IntakeResult {
  const parsed = parseLb(bytes);
  const file = parsed.value;
  if (!file || lbFileKind(file) !== 'payment-order') {
    const message = file ? 'an LB return file cannot be sent to the bank' : parsed.issues[0]?.message ?? 'not a payment file';
    return { format: 'lb', messageId: '', fileRejections: [{ code: 'FF01', message }], issues: parsed.issues, payments: [] };
  }
  const { payments, fileLevel, sender } = lbPayments(file.records, parsed.issues);
  // The opening record's currency applies to every payment after it: one the bank does not
  // take (an unknown code, USD, EUR at a SEK-only bank) rejects those payments.
  const currencies: readonly string[] = profile.pain001Rules.currencies;
  for (const p of payments) {
    if (!currencies.includes(p.currency)) p.rejections.push({ code: reasonCodeFor('CURRENCY_NOT_ALLOWED'), message: `${profile.displayName} does not take LB payments in ${p.currency || 'that currency'} (${currencies.join(' or ')})` });
  }
  const fileRejections = fileLevel.map(reason);
  if (!profile.acceptedFormats.includes('lb')) fileRejections.unshift({ code: 'FF01', message: `${profile.displayName} does not accept Bankgirot LB files` });
  // LB has no message id; the engine identifies an LB file by its sender and content hash.
  return { format: 'lb', messageId: `LB-${sender}`, fileRejections, issues: parsed.issues, payments };
}
