/**
 * The one place where the invoicing program's error codes become HTTP statuses and RFC 9457
 * problem documents. `code` is stable; `detail` is for people.
 */
import type { InvoicingErrorCode } from '../errors.ts';

export type HttpErrorCode = InvoicingErrorCode | 'IDEMPOTENCY_KEY_REQUIRED' | 'IDEMPOTENCY_KEY_REUSED' | 'RATE_LIMITED' | 'NOT_FOUND' | 'METHOD_NOT_ALLOWED' | 'PAYLOAD_TOO_LARGE' | 'UNSUPPORTED_MEDIA_TYPE' | 'INVALID_JSON' | 'INTERNAL_ERROR';

export const PROBLEMS: Record<HttpErrorCode, { status: number; title: string }> = {
  UNAUTHORIZED: { status: 401, title: 'Missing or invalid API key' },
  FORBIDDEN: { status: 403, title: 'This key may not do that' },
  COLLABORATION_NOT_FOUND: { status: 404, title: 'Collaboration not found' },
  CUSTOMER_NOT_FOUND: { status: 404, title: 'Customer not found' },
  ARTICLE_NOT_FOUND: { status: 404, title: 'Article not found' },
  INVOICE_NOT_FOUND: { status: 404, title: 'Invoice not found' },
  DOCUMENT_NOT_FOUND: { status: 404, title: 'Document not found' },
  NOTE_NOT_FOUND: { status: 404, title: 'Note not found' },
  PAYMENT_NOT_FOUND: { status: 404, title: 'Payment not found' },
  INVALID_REQUEST: { status: 400, title: 'Invalid request' },
  IF_MATCH_REQUIRED: { status: 428, title: 'If-Match with the current version is required' },
  VERSION_MISMATCH: { status: 412, title: 'The record changed since you read it' },
  INVOICE_ALREADY_CREDITED: { status: 409, title: 'Invoice already credited' },
  CREDIT_OF_CREDIT: { status: 409, title: 'A credit invoice cannot be credited' },
  INVOICE_NUMBER_TAKEN: { status: 409, title: 'Invoice number already used' },
  PAYMENTS_REGISTERED_BY_OTHER_SIDE: { status: 409, title: 'The collaboration says the other side registers incoming payments' },
  CURSOR_EXPIRED: { status: 410, title: 'Cursor older than the retained change log' },
  CURSOR_INVALID: { status: 400, title: 'Unknown cursor' },
  IDEMPOTENCY_KEY_REQUIRED: { status: 400, title: 'Idempotency-Key header required on POST' },
  IDEMPOTENCY_KEY_REUSED: { status: 422, title: 'Idempotency-Key reused with a different request' },
  RATE_LIMITED: { status: 429, title: 'Too many requests' },
  NOT_FOUND: { status: 404, title: 'No such endpoint' },
  METHOD_NOT_ALLOWED: { status: 405, title: 'Method not allowed' },
  PAYLOAD_TOO_LARGE: { status: 413, title: 'Request body too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'Unsupported media type' },
  INVALID_JSON: { status: 400, title: 'Request body is not valid JSON' },
  INTERNAL_ERROR: { status: 500, title: 'Internal error' },
};

export interface ApiResponse {
  status: number;
  headers: Record<string, string>;
  body: string | Uint8Array;
}

/** Extension members first: the standard members can never be overridden by them. */
export function problem(code: HttpErrorCode, detail: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}): ApiResponse {
  const { status, title } = PROBLEMS[code];
  return {
    status,
    headers: { 'content-type': 'application/problem+json', ...headers },
    body: JSON.stringify({ ...extra, type: `/docs#problem-${code}`, title, status, detail, code }),
  };
}
