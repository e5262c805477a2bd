/**
 * How many PostgreSQL connections one server opens (`--store-connections`, decision 0014).
 * Single statements (version reads, document and blob reads, upload pieces) and transactions
 * (which may wait for a sandbox's lock) get pools of their own, so a statement never queues
 * behind transactions waiting for a lock. Version reads are shared per sandbox, so a quarter
 * of the connections serves them.
 */
export const DEFAULT_STORE_CONNECTIONS = 16;
/** One connection for statements and one for transactions. */
export const MIN_STORE_CONNECTIONS = 2;

export function splitConnections(total: number): { single: number; transactions: number } {
  const single = Math.max(1, Math.floor(total / 4));
  return { single, transactions: Math.max(1, total - single) };
}
