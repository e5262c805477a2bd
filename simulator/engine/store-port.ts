/**
 * The storage the engine needs, and nothing more: documents in collections. Each payment
 * file, report and day of bookings is its own document, so persisting a submission costs
 * O(that submission), never O(everything stored).
 *
 * Every mutating operation writes its documents with one `putMany` (decision 0006): the
 * group is a unit — after a crash either every document of it is stored or none is — and
 * the call resolves only when the group is durable (the engine acknowledges after that).
 * The memory adapter applies a group at once, the lowdb adapter through a journal, a
 * PostgreSQL adapter would run it as one transaction.
 */
export interface DocumentWrite {
  collection: string;
  id: string;
  /** The whole document (it replaces any stored one). */
  value: unknown;
}

export interface StorePort {
  /** Writes (replaces) a group of documents as a unit: all of them, or none after a crash or failure. */
  putMany(writes: readonly DocumentWrite[]): Promise<void>;
  get(collection: string, id: string): Promise<unknown>;
  /** Every document of a collection (used when loading at start-up). */
  list(collection: string): Promise<{ id: string; value: unknown }[]>;
  /** Collections whose name starts with the prefix (one per sandbox at start-up). */
  collections(prefix: string): Promise<string[]>;
  delete(collection: string, id: string): Promise<void>;
  deleteCollection(collection: string): Promise<void>;
  /**
   * Raw bytes (an upload) stored as they are, written piece by piece as they arrive, before
   * their id is known. Nothing is visible until `commit(id)` resolves; `abort` (or a crash
   * before commit) leaves no blob behind.
   */
  openBlob(collection: string): Promise<BlobWriter>;
  getBlob(collection: string, id: string): Promise<Uint8Array | undefined>;
}

export interface BlobWriter {
  write(piece: Uint8Array): Promise<void>;
  commit(id: string): Promise<void>;
  abort(): Promise<void>;
}
