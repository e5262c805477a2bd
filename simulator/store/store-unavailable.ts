/**
 * Whether an error means the store cannot be reached right now (PostgreSQL down, restarting,
 * out of connections, the connection cut) rather than a defect. A request that meets one is
 * answered 503 with Retry-After, because retrying later will work; a defect stays a 500.
 *
 * The HTTP server's only outgoing connections inside a request are to its store (webhooks are
 * sent outside requests), so a network error code in a request handler is the store's.
 */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']);

/** SQLSTATEs that say "the server is not there for you now": connection exceptions, shutdown, too many connections. */
function isUnavailableSqlState(code: string): boolean {
  return code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03' || code === '53300';
}

export function isStoreUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = 'code' in error && typeof error.code === 'string' ? error.code : undefined;
  if (code !== undefined && (NETWORK_CODES.has(code) || (/^[0-9A-Z]{5}$/.test(code) && isUnavailableSqlState(code)))) return true;
  // node-postgres reports a connection dropped mid-query or a pool timeout without a code.
  return /^Connection terminated|^timeout exceeded when trying to connect/.test(error.message);
}
