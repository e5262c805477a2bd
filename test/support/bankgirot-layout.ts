/**
 * The record layouts of Bankgirot's BgMax and Leverantörsbetalningar files, field by field
 * (1-based inclusive positions, as the technical manuals give them), with how each field is
 * aligned and filled in Bankgirot's published samples. Tests check both the samples and
 * sandbank's writers against these tables.
 */
export type FieldKind =
  /** digits, right-aligned, zero-filled */
  | 'number'
  /** text, left-aligned, blank-filled */
  | 'text'
  /** a reference right-aligned and blank-filled (BgMax OCR with reference code 2) */
  | 'right-text'
  /** reserved: blanks */
  | 'blank';

export interface LayoutField {
  name: string;
  from: number;
  to: number;
  kind: FieldKind;
}

const f = (name: string, from: number, to: number, kind: FieldKind): LayoutField => ({ name, from, to, kind });

function paymentRecord(tail: LayoutField[]): LayoutField[] {
  return [
    f('sender bankgiro', 3, 12, 'number'), f('reference', 13, 37, 'text'), f('amount', 38, 55, 'number'),
    f('reference code', 56, 56, 'text'), f('payment channel', 57, 57, 'text'), f('BGC serial number', 58, 69, 'number'),
    f('image flag', 70, 70, 'text'), ...tail,
  ];
}

export const BGMAX_LAYOUT: Record<string, LayoutField[]> = {
  '01': [f('layout name', 3, 22, 'text'), f('version', 23, 24, 'number'), f('timestamp', 25, 44, 'number'), f('test marker', 45, 45, 'text'), f('reserved', 46, 80, 'blank')],
  '05': [f('payee bankgiro', 3, 12, 'number'), f('payee plusgiro', 13, 22, 'text'), f('currency', 23, 25, 'text'), f('reserved', 26, 80, 'blank')],
  '20': paymentRecord([f('reserved', 71, 80, 'blank')]),
  '21': paymentRecord([f('deduction code', 71, 71, 'text'), f('reserved', 72, 80, 'blank')]),
  '22': paymentRecord([f('reserved', 71, 80, 'blank')]),
  '23': paymentRecord([f('reserved', 71, 80, 'blank')]),
  '25': [f('information', 3, 52, 'text'), f('reserved', 53, 80, 'blank')],
  '26': [f('name', 3, 37, 'text'), f('extra name', 38, 72, 'text'), f('reserved', 73, 80, 'blank')],
  '27': [f('address', 3, 37, 'text'), f('post code', 38, 46, 'text'), f('reserved', 47, 80, 'blank')],
  '28': [f('town', 3, 37, 'text'), f('country', 38, 72, 'text'), f('country code', 73, 74, 'text'), f('reserved', 75, 80, 'blank')],
  '29': [f('organisation number', 3, 14, 'number'), f('reserved', 15, 80, 'blank')],
  '15': [f('payee bank account', 3, 37, 'number'), f('payment date', 38, 45, 'number'), f('deposit serial number', 46, 50, 'number'), f('deposit amount', 51, 68, 'number'), f('currency', 69, 71, 'text'), f('number of payments', 72, 79, 'number'), f('deposit type', 80, 80, 'text')],
  '70': [f('number of payments', 3, 10, 'number'), f('number of deductions', 11, 18, 'number'), f('number of extra references', 19, 26, 'number'), f('number of deposits', 27, 34, 'number'), f('reserved', 35, 80, 'blank')],
};

/** In BgMax a single OCR reference (reference code 2) is right-aligned and blank-filled. */
export function bgmaxFields(record: string): LayoutField[] {
  const code = record.slice(0, 2);
  const fields = BGMAX_LAYOUT[code] ?? [];
  if (['20', '21', '22', '23'].includes(code) && record[55] === '2') return fields.map((x) => (x.name === 'reference' ? { ...x, kind: 'right-text' } : x));
  return fields;
}

function lbPayment(): LayoutField[] {
  return [f('payee number', 3, 12, 'number'), f('reference', 13, 37, 'text'), f('amount', 38, 49, 'number'), f('payment date', 50, 55, 'text'), f('reserved', 56, 60, 'blank'), f('information', 61, 80, 'text')];
}

export const LB_LAYOUT: Record<string, LayoutField[]> = {
  '11': [f('sender bankgiro', 3, 12, 'number'), f('file date', 13, 18, 'number'), f('product', 19, 40, 'text'), f('payment date', 41, 46, 'text'), f('reserved', 47, 59, 'blank'), f('currency', 60, 62, 'text'), f('reserved', 63, 80, 'blank')],
  '12': [f('text', 3, 52, 'text'), f('end date', 53, 58, 'text'), f('reserved', 59, 80, 'blank')],
  '13': [f('reference heading', 3, 27, 'text'), f('amount heading', 28, 39, 'text'), f('reserved', 40, 80, 'blank')],
  '14': lbPayment(), '15': lbPayment(), '16': lbPayment(), '17': lbPayment(),
  '25': [f('payee number', 3, 12, 'number'), f('text', 13, 62, 'text'), f('reserved', 63, 80, 'blank')],
  '26': [f('payee number', 3, 12, 'number'), f('name', 13, 47, 'text'), f('extra name', 48, 80, 'text')],
  '27': [f('payee number', 3, 12, 'number'), f('address', 13, 47, 'text'), f('post code', 48, 52, 'text'), f('town', 53, 72, 'text'), f('reserved', 73, 80, 'blank')],
  '40': [f('payee number', 3, 12, 'number'), f('clearing number', 13, 16, 'number'), f('account number', 17, 28, 'number'), f('statement text', 29, 40, 'text'), f('salary marker', 41, 41, 'text'), f('reserved', 42, 80, 'blank')],
  '29': [f('sender bankgiro', 3, 12, 'number'), f('number of payment records', 13, 20, 'number'), f('total amount', 21, 32, 'number'), f('sign', 33, 33, 'text'), f('reserved', 34, 80, 'blank')],
  /** The error code is right-aligned: "MTRV0064", or "    0000" for "see the record before". */
  '49': [f('error code', 3, 10, 'right-text'), f('text', 11, 80, 'text')],
};

export function lbFields(record: string): LayoutField[] {
  return LB_LAYOUT[record.slice(0, 2)] ?? [];
}

/** Why a field breaks its kind's alignment and fill, or undefined when it keeps it. */
export function fieldProblem(value: string, kind: FieldKind): string | undefined {
  switch (kind) {
    case 'number': return /^\d+$/.test(value) ? undefined : `not zero-filled digits: "${value}"`;
    case 'blank': return value.trim() === '' ? undefined : `reserved positions hold "${value}"`;
    case 'text': return value.trim() === '' || !value.startsWith(' ') ? undefined : `not left-aligned: "${value}"`;
    case 'right-text': return value.trim() === '' || !value.endsWith(' ') ? undefined : `not right-aligned: "${value}"`;
  }
}

/** Each field of an 80-character record with its problem, if any. */
export function checkRecord(record: string, fields: LayoutField[]): { field: LayoutField; value: string; problem?: string }[] {
  return fields.map((field) => {
    const value = record.slice(field.from - 1, field.to);
    const problem = fieldProblem(value, field.kind);
    return problem === undefined ? { field, value } : { field, value, problem };
  });
}

/** Expands TABs to 8-column stops and pads to 80, as the readers do. */
export function normaliseRecord(line: string): string {
  let out = '';
  for (const c of line) out += c === '\t' ? ' '.repeat(8 - (out.length % 8)) : c;
  return out.padEnd(80, ' ');
}
