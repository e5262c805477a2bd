/**
 * Engine results are data with stable codes (never thrown for expected outcomes); exactly one
 * table in http/problem.ts turns a code into an HTTP status and an RFC 9457 problem document.
 */
export const ENGINE_ERROR_CODES = [
  'SANDBOX_NOT_FOUND',
  'UNAUTHORIZED',
  'BANK_MISMATCH',
  'FILE_NOT_FOUND',
  'PAYMENT_NOT_FOUND',
  'REPORT_NOT_FOUND',
  'ACCOUNT_NOT_FOUND',
  'USER_NOT_FOUND',
  'FORMAT_NOT_ACCEPTED',
  'DUPLICATE_MESSAGE_ID',
  'IDEMPOTENCY_KEY_REUSED',
  'FILE_NOT_AWAITING_SIGNATURE',
  'SIGNING_NOT_ALLOWED',
  'CLOCK_BACKWARDS',
  'PAYMENT_NOT_CANCELLABLE',
  'INVALID_REQUEST',
  'SERVICE_UNAVAILABLE',
  'API_KEY_IN_USE',
] as const;

export type EngineErrorCode = (typeof ENGINE_ERROR_CODES)[number];

export interface EngineError {
  ok: false;
  code: EngineErrorCode;
  message: string;
  /** Extra members for the problem document (e.g. the existing file id). */
  details?: Record<string, unknown>;
}

export type EngineResult<T> = { ok: true; value: T } | EngineError;

export function fail(code: EngineErrorCode, message: string, details?: Record<string, unknown>): EngineError {
  return details === undefined ? { ok: false, code, message } : { ok: false, code, message, details };
}

export function ok<T>(value: T): { ok: true; value: T } {
  return { ok: true, value };
}
