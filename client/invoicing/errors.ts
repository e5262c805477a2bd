/**
 * The invoicing program's stable error codes. The service turns each into one HTTP status
 * and an RFC 9457 problem (http/problem.ts); clients and contracts match on `code`.
 */
export type InvoicingErrorCode =
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'COLLABORATION_NOT_FOUND'
  | 'CUSTOMER_NOT_FOUND'
  | 'ARTICLE_NOT_FOUND'
  | 'INVOICE_NOT_FOUND'
  | 'DOCUMENT_NOT_FOUND'
  | 'NOTE_NOT_FOUND'
  | 'PAYMENT_NOT_FOUND'
  | 'INVALID_REQUEST'
  | 'IF_MATCH_REQUIRED'
  | 'VERSION_MISMATCH'
  | 'INVOICE_ALREADY_CREDITED'
  | 'CREDIT_OF_CREDIT'
  | 'INVOICE_NUMBER_TAKEN'
  | 'PAYMENTS_REGISTERED_BY_OTHER_SIDE'
  | 'CURSOR_EXPIRED'
  | 'CURSOR_INVALID';

export type Result<T> = { ok: true; value: T } | { ok: false; code: InvoicingErrorCode; message: string; details?: Record<string, unknown> };

export const ok = <T,>(value: T): Result<T> => ({ ok: true, value });
export const fail = <T = never,>(code: InvoicingErrorCode, message: string, details?: Record<string, unknown>): Result<T> => ({ ok: false, code, message, ...(details ? { details } : {}) });
