/**
 * The one place where error codes become HTTP statuses and RFC 9457 problem documents.
 * `code` is stable: clients and contracts match on it, never on `detail`.
 */
import { randomUUID } from 'node:crypto';
import type { EngineErrorCode } from '../engine/errors.ts';
import type { ApiResponse } from './types.ts';
import { isStoreUnavailable } from '../store/store-unavailable.ts';

export type HttpErrorCode = EngineErrorCode | 'NOT_FOUND' | 'METHOD_NOT_ALLOWED' | 'PAYLOAD_TOO_LARGE' | 'UNSUPPORTED_MEDIA_TYPE' | 'INVALID_JSON' | 'UNKNOWN_BANK' | 'INTERNAL_ERROR' | 'STORE_UNAVAILABLE'
  | 'MALFORMED_REQUEST' | 'MALFORMED_PATH' | 'HEADERS_TOO_LARGE' | 'OPERATOR_KEY_REQUIRED' | 'SANDBOX_QUOTA_EXCEEDED' | 'WEBHOOK_URL_REFUSED'
  | 'EXPORT_UNREADABLE' | 'EXPORT_VERSION_UNSUPPORTED' | 'EXPORT_DIGEST_MISMATCH' | 'EXPORT_SIGNATURE_INVALID' | 'EXPORT_INVALID';

export const PROBLEMS: Record<HttpErrorCode, { status: number; title: string }> = {
  SANDBOX_NOT_FOUND: { status: 404, title: 'Sandbox not found' },
  UNAUTHORIZED: { status: 401, title: 'Missing or invalid API key' },
  BANK_MISMATCH: { status: 404, title: 'No such sandbox at this bank' },
  FILE_NOT_FOUND: { status: 404, title: 'Payment file not found' },
  PAYMENT_NOT_FOUND: { status: 404, title: 'Payment not found' },
  REPORT_NOT_FOUND: { status: 404, title: 'Report not found' },
  ACCOUNT_NOT_FOUND: { status: 404, title: 'Account not found' },
  USER_NOT_FOUND: { status: 404, title: 'User not found' },
  FORMAT_NOT_ACCEPTED: { status: 415, title: 'File format not accepted' },
  DUPLICATE_MESSAGE_ID: { status: 409, title: 'Duplicate message id' },
  IDEMPOTENCY_KEY_REUSED: { status: 422, title: 'Idempotency-Key reused with a different body' },
  FILE_NOT_AWAITING_SIGNATURE: { status: 409, title: 'Payment file is not awaiting signature' },
  SIGNING_NOT_ALLOWED: { status: 403, title: 'Signing not allowed' },
  CLOCK_BACKWARDS: { status: 409, title: 'The sandbox clock only moves forward' },
  PAYMENT_NOT_CANCELLABLE: { status: 409, title: 'Payment cannot be cancelled' },
  INVALID_REQUEST: { status: 400, title: 'Invalid request' },
  SERVICE_UNAVAILABLE: { status: 503, title: 'Service unavailable' },
  NOT_FOUND: { status: 404, title: 'No such endpoint' },
  METHOD_NOT_ALLOWED: { status: 405, title: 'Method not allowed' },
  PAYLOAD_TOO_LARGE: { status: 413, title: 'Request body too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'Unsupported media type' },
  INVALID_JSON: { status: 400, title: 'Request body is not valid JSON' },
  UNKNOWN_BANK: { status: 404, title: 'Unknown bank' },
  INTERNAL_ERROR: { status: 500, title: 'Internal error' },
  STORE_UNAVAILABLE: { status: 503, title: 'The store cannot be reached' },
  MALFORMED_REQUEST: { status: 400, title: 'Malformed HTTP request' },
  MALFORMED_PATH: { status: 400, title: 'Malformed percent-encoding in the path or query' },
  HEADERS_TOO_LARGE: { status: 431, title: 'Request header fields too large' },
  OPERATOR_KEY_REQUIRED: { status: 401, title: 'Creating sandboxes needs the operator key' },
  SANDBOX_QUOTA_EXCEEDED: { status: 429, title: 'The server holds as many sandboxes as it allows' },
  WEBHOOK_URL_REFUSED: { status: 400, title: 'Webhook URL refused by the server\'s policy' },
  API_KEY_IN_USE: { status: 409, title: 'The API key belongs to another sandbox' },
  EXPORT_UNREADABLE: { status: 422, title: 'Not a complete sandbox export' },
  EXPORT_VERSION_UNSUPPORTED: { status: 422, title: 'Sandbox export version not supported' },
  EXPORT_DIGEST_MISMATCH: { status: 422, title: 'Sandbox export does not match its digest' },
  EXPORT_SIGNATURE_INVALID: { status: 403, title: 'Sandbox export signature does not verify' },
  EXPORT_INVALID: { status: 422, title: 'Sandbox export cannot be imported' },
};

/**
 * Extension members come first: the standard ones (type, title, status, detail, code) can
 * never be overridden by them. `statusOverride` is for injected faults (any 5xx).
 */
export function problem(code: HttpErrorCode, detail: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}, statusOverride?: number): ApiResponse {
  const { status: defaultStatus, title } = PROBLEMS[code];
  const status = statusOverride ?? defaultStatus;
  return {
    status,
    headers: { 'content-type': 'application/problem+json', ...headers },
    body: JSON.stringify({ ...extra, type: `/docs#problem-${code}`, title, status, detail, code }),
  };
}

/**
 * A 500 says nothing about its cause: the cause (with its stack) goes to the log under a
 * correlation id the client can quote.
 */
export function internalError(error: unknown, log: (line: string) => void = (line) => console.error(line)): ApiResponse {
  const correlationId = randomUUID();
  if (isStoreUnavailable(error)) {
    // Not a defect: one line, no stack; the client is told to come back.
    log(`[sandbank] store unavailable ${correlationId}: ${error instanceof Error ? error.message : String(error)}`);
    return problem('STORE_UNAVAILABLE', `the store cannot be reached; retry the request (correlation id ${correlationId})`, { correlationId }, { 'retry-after': '1' });
  }
  log(`[sandbank] internal error ${correlationId}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  return problem('INTERNAL_ERROR', `internal error (correlation id ${correlationId})`, { correlationId });
}
