/**
 * The storage the engine needs, and nothing more: documents in collections. Each payment
 * file, report and day of bookings is its own document, so persisting a submission costs
 * O(that submission), never O(everything stored).
 *
 * Every mutating operation writes its documents with one `putMany` (decision 0006): the
 * group is a unit — after a crash either every document of it is stored or none is — and
 * the call resolves only when the group is durable (the engine acknowledges after that).
 * The memory adapter applies a group at once, the lowdb adapter through a journal, the
 * PostgreSQL adapter as one transaction.
 *
 * Several servers on one store (decision 0012): every mutation of a sandbox runs in
 * `transaction(sandboxId, …)`, which holds that sandbox's lock across every process on the
 * store, and the sandbox's `version` (bumped by each writing transaction) tells a server that
 * its in-memory copy is stale.
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
  /**
   * Runs `fn` holding the sandbox's lock (across every process on the store) and commits what
   * it wrote through the transaction as one unit; resolves with the sandbox's version after
   * it (bumped once when `fn` wrote anything). A rejected `fn` commits nothing where the store
   * can roll back, and moves the version where it cannot.
   */
  transaction<T>(sandboxId: string, fn: (tx: SandboxTransaction) => Promise<T>): Promise<{ value: T; version: number }>;
  /** The sandbox's stored version (0 before its first write), without waiting for its lock. */
  version(sandboxId: string): Promise<number>;
  /**
   * True when other processes may write the same store (PostgreSQL): the engine then checks
   * versions before answering and keeps no state only it can see. Memory and lowdb are owned
   * by one process.
   */
  readonly shared: boolean;
}

export interface SandboxTransaction {
  /** The sandbox's version when its lock was taken (0 before its first write). */
  readonly version: number;
  get(collection: string, id: string): Promise<unknown>;
  list(collection: string): Promise<{ id: string; value: unknown }[]>;
  /** A group written inside the transaction: visible to others, with the new version, when it commits. */
  putMany(writes: readonly DocumentWrite[]): Promise<void>;
  /**
   * The documents of these collections written by transactions after version `since` (a
   * copy at `since` is brought up to date with them); a store that keeps no per-document
   * versions returns every document of the collections.
   */
  changedSince(collections: readonly string[], since: number): Promise<{ collection: string; id: string; value: unknown }[]>;
  delete(collection: string, id: string): Promise<void>;
  deleteCollection(collection: string): Promise<void>;
}

export interface BlobWriter {
  write(piece: Uint8Array): Promise<void>;
  commit(id: string): Promise<void>;
  abort(): Promise<void>;
}
