/**
 * What an upload is, decided from its first bytes before any codec reads it: a pain.001
 * document, a Bankgirot LB file, or something else. Something else (a PDF, JSON, a camt
 * statement, a BgMax or SIE file, text) is refused as "not a payment file" with what the bank
 * takes — not handed to the LB reader, which would call it an LB file with an unknown record
 * type. Only what is certain is refused here; anything that might be a payment file goes on
 * to its codec, whose issues are more precise.
 */
import { decodeLatin1 } from '../../formats/bankgirot/fixed-width.ts';
import { LB_RECORD_TYPES } from '../../formats/bankgirot/lb.ts';
import { detectFormat, recogniseOtherLayout } from '../../formats/detect.ts';
import { issue } from '../../formats/issues.ts';
import type { BankProfile } from '../banks/profile.ts';
import type { IntakeResult } from './intake.ts';

/** Enough of the head to see past an XML prolog and comments to the root element. */
export const KIND_HEAD_BYTES = 4096;

export type PaymentFileKind = { kind: 'pain.001' | 'lb' | 'undecided' } | { kind: 'other'; what: string; xml: boolean };

const ISO_NAMESPACE = /^urn:iso:std:iso:20022:tech:xsd:([a-z]+\.\d{3})\.\d{3}\.\d{2}$/;

const ISO_MESSAGES: Record<string, string> = {
  'pain.002': 'a pain.002 payment status report (a file the bank sends)',
  'camt.052': 'a camt.052 intraday account report (a file the bank sends)',
  'camt.053': 'a camt.053 account statement (a file the bank sends)',
  'camt.054': 'a camt.054 debit/credit notification (a file the bank sends)',
  'camt.029': 'a camt.029 resolution of investigation (a file the bank sends)',
  'camt.055': 'a camt.055 cancellation request (send it to the cancellation endpoint)',
};

function xmlKind(text: string): PaymentFileKind {
  // Past the prolog, processing instructions and comments to the root's start tag.
  const rest = text.replace(/^(\s*(<\?[\s\S]*?\?>|<!--[\s\S]*?-->))*\s*/, '');
  const root = /^<(?:([A-Za-z_][\w.-]*):)?([A-Za-z_][\w.-]*)([^>]*)>/.exec(rest);
  // A DOCTYPE, a tag cut off by the head, broken XML: the XML reader says precisely what is wrong.
  if (!root) return { kind: 'undecided' };
  const [, prefix, name = '', attributes = ''] = root;
  const namespace = new RegExp(`\\sxmlns${prefix ? `:${prefix}` : ''}\\s*=\\s*["']([^"']*)["']`).exec(attributes)?.[1] ?? '';
  const message = ISO_NAMESPACE.exec(namespace)?.[1];
  if (name === 'Document' && message === 'pain.001') return { kind: 'pain.001' };
  // A Document in no or a foreign namespace: the XML reader names the namespaces it takes.
  if (name === 'Document') return message === undefined ? { kind: 'undecided' } : { kind: 'other', xml: true, what: ISO_MESSAGES[message] ?? `an ISO 20022 ${message} document` };
  return { kind: 'other', xml: true, what: `an XML document with root <${prefix ? `${prefix}:` : ''}${name}>${namespace ? ` in namespace ${namespace}` : ''}` };
}

function looksBinary(text: string): boolean {
  const controls = [...text].filter((c) => c < ' ' && c !== '\r' && c !== '\n' && c !== '\t').length;
  return controls > text.length / 10;
}

export function classifyPaymentFile(head: Uint8Array): PaymentFileKind {
  const text = decodeLatin1(head.subarray(0, KIND_HEAD_BYTES)).replace(/^\uFEFF|^ï»¿/, '');
  const trimmed = text.trimStart();
  if (trimmed.startsWith('<')) return xmlKind(trimmed);
  const format = detectFormat(head.subarray(0, KIND_HEAD_BYTES));
  if (format === 'bgmax') return { kind: 'other', xml: false, what: 'a Bankgirot BgMax file of incoming payments (a file the bank sends)' };
  if (format === 'sie') return { kind: 'other', xml: false, what: 'a SIE 4 bookkeeping file' };
  const other = recogniseOtherLayout(head.subarray(0, KIND_HEAD_BYTES));
  if (other) return { kind: 'other', xml: false, what: `a ${other}` };
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  const first = lines[0];
  if (first === undefined) return { kind: 'other', xml: false, what: 'a file of blank lines' };
  // An LB file is 80-character records, each opening with its two-digit record type (TK11
  // first); Bankgirot's published samples put a title line ("LBin-exempel 1") above them.
  if (lines.slice(0, 5).some((line) => LB_RECORD_TYPES.has(line.slice(0, 2)))) return { kind: 'lb' };
  if (trimmed.startsWith('%PDF')) return { kind: 'other', xml: false, what: 'a PDF document' };
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) return { kind: 'other', xml: false, what: 'JSON' };
  if (looksBinary(text)) return { kind: 'other', xml: false, what: 'binary data' };
  return { kind: 'other', xml: false, what: `text starting "${first.trim().slice(0, 30)}"` };
}

function accepted(profile: BankProfile): string {
  const xml = profile.acceptedFormats.filter((f) => f !== 'lb');
  const parts = [
    ...(xml.length > 0 ? [`${xml.join(' or ')} XML (root Document in its ISO 20022 namespace)`] : []),
    ...(profile.acceptedFormats.includes('lb') ? ['a Bankgirot LB payment order (Latin-1 text, 80-character records from TK11 to TK29)'] : []),
  ];
  return parts.join(', or ');
}

/** The intake's answer for an upload that is no payment file (FF01, what it is, what is taken), else undefined. */
export function notAPaymentFile(bytes: Uint8Array, profile: BankProfile): IntakeResult | undefined {
  const found = classifyPaymentFile(bytes);
  if (found.kind !== 'other') return undefined;
  const message = `not a payment file: this is ${found.what}; ${profile.displayName} takes ${accepted(profile)}`;
  return {
    // Neither pain.001 nor LB: the file is not labelled as either, here or in its pain.002.
    format: 'unknown',
    // Like an LB file it has no message id of its own; it is named by its content hash.
    messageId: 'UNKNOWN',
    fileRejections: [{ code: 'FF01', message }],
    issues: [issue('FORMAT_UNKNOWN', '/', message)],
    payments: [],
  };
}
