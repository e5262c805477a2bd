/**
 * Every codec reports *all* problems it finds, each with where it is, instead of stopping at
 * the first: a bank file with one bad record must not hide the others.
 */
export type Severity = 'error' | 'warning';

export interface FormatIssue {
  /** XPath-like location (`/Document/CstmrCdtTrfInitn/PmtInf[1]/CdtTrfTxInf[3]/Amt/InstdAmt`) or `line 12` for fixed-width files. */
  path: string;
  /** Stable, machine-readable code (see ISSUE_CODES). */
  code: IssueCode;
  message: string;
  /** The offending value as found in the input, when there is one. */
  value?: string;
  /** 1-based line in the input, when known. */
  line?: number;
  severity: Severity;
}

/**
 * Stable issue codes, each with the ISO 20022 status reason a bank reports for it in a
 * pain.002 RJCT. The reason code is what the simulated bank puts in StsRsnInf/Rsn/Cd.
 */
export const ISSUE_CODES = {
  // Transport and syntax
  ENCODING_INVALID: 'FF01',
  XML_MALFORMED: 'FF01',
  XML_DOCTYPE_FORBIDDEN: 'FF01',
  XML_LIMIT_EXCEEDED: 'FF01',
  XML_WRONG_NAMESPACE: 'FF01',
  XML_UNKNOWN_ROOT: 'FF01',
  FORMAT_UNKNOWN: 'FF01',
  // Schema (XSD-equivalent) checks
  SCHEMA_UNEXPECTED_ELEMENT: 'FF01',
  SCHEMA_MISSING_ELEMENT: 'FF01',
  SCHEMA_TOO_MANY: 'FF01',
  SCHEMA_UNEXPECTED_TEXT: 'FF01',
  SCHEMA_UNEXPECTED_ATTRIBUTE: 'FF01',
  SCHEMA_MISSING_ATTRIBUTE: 'FF01',
  SCHEMA_LENGTH: 'FF01',
  SCHEMA_PATTERN: 'FF01',
  SCHEMA_ENUMERATION: 'FF01',
  SCHEMA_DECIMAL: 'FF01',
  SCHEMA_DATE: 'FF01',
  SCHEMA_DATETIME: 'FF01',
  SCHEMA_BOOLEAN: 'FF01',
  SCHEMA_GYEARMONTH: 'FF01',
  // Group / batch consistency
  NB_OF_TXS_MISMATCH: 'AM18',
  CTRL_SUM_MISMATCH: 'AM10',
  CTRL_SUM_MISSING: 'FF01',
  DUPLICATE_PAYMENT_INFO_ID: 'AM05',
  DUPLICATE_END_TO_END_ID: 'AM05',
  // Business rules per payment
  AMOUNT_NOT_POSITIVE: 'AM01',
  AMOUNT_DECIMALS: 'AM12',
  AMOUNT_TOO_LARGE: 'AM02',
  CURRENCY_NOT_ALLOWED: 'AM11',
  DATE_INVALID: 'DT01',
  PAYMENT_METHOD_NOT_ALLOWED: 'AG01',
  ACCOUNT_INVALID: 'AC01',
  DEBTOR_ACCOUNT_INVALID: 'AC02',
  BANKGIRO_INVALID: 'AC01',
  PLUSGIRO_INVALID: 'AC01',
  IBAN_INVALID: 'AC01',
  BIC_INVALID: 'RC01',
  CLEARING_INVALID: 'RC01',
  CREDITOR_ADDRESSING_INCONSISTENT: 'RC01',
  OCR_INVALID: 'CH16',
  REMITTANCE_TOO_LONG: 'CH16',
  CHARSET: 'CH16',
  ID_TOO_LONG: 'FF01',
  NAME_MISSING: 'RR03',
  // Fixed-width records (Bankgirot LB / BgMax, SIE)
  RECORD_LENGTH: 'FF01',
  RECORD_UNKNOWN: 'FF01',
  RECORD_ORDER: 'FF01',
  RECORD_FIELD: 'FF01',
  RECORD_MASKED: 'FF01',
  CONTROL_TOTAL_MISMATCH: 'AM10',
  CONTROL_COUNT_MISMATCH: 'AM18',
  SIE_SYNTAX: 'FF01',
  SIE_UNBALANCED_VOUCHER: 'FF01',
  SIE_CHECKSUM_MISMATCH: 'FF01',
  SIE_CHECKSUM_MISSING: 'FF01',
  SIE_UNKNOWN_ACCOUNT: 'FF01',
  SIE_ENCODING_MISMATCH: 'FF01',
  SIE_FORMAT_UNSUPPORTED: 'FF01',
} as const satisfies Record<string, string>;

export type IssueCode = keyof typeof ISSUE_CODES;

export type ParseResult<T> =
  | { ok: true; value: T; issues: FormatIssue[] }
  | { ok: false; value?: T; issues: FormatIssue[] };

export function issue(
  code: IssueCode,
  path: string,
  message: string,
  extra: { value?: string; line?: number; severity?: Severity } = {},
): FormatIssue {
  const result: FormatIssue = { path, code, message, severity: extra.severity ?? 'error' };
  if (extra.value !== undefined) result.value = extra.value;
  if (extra.line !== undefined) result.line = extra.line;
  return result;
}

export function hasErrors(issues: readonly FormatIssue[]): boolean {
  return issues.some((i) => i.severity === 'error');
}

/** Builds a ParseResult: ok exactly when no issue is an error (warnings ride along). */
export function result<T>(value: T | undefined, issues: FormatIssue[]): ParseResult<T> {
  if (value !== undefined && !hasErrors(issues)) return { ok: true, value, issues };
  return value === undefined ? { ok: false, issues } : { ok: false, value, issues };
}

/** The ISO 20022 status reason code a bank reports for an issue. */
export function reasonCodeFor(code: IssueCode): string {
  return ISSUE_CODES[code];
}
