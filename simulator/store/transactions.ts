/**
 * The part of the store port several instances need (decision 0012): a transaction per
 * sandbox mutation, holding that sandbox's lock, and the sandbox's stored version, which
 * every transaction that writes bumps. An instance compares the version with the one its
 * in-memory copy was read at, and reads the sandbox again when another instance moved it.
 */
import type { DocumentWrite } from '../engine/store-port.ts';

export interface SandboxTransaction {
  /** The sandbox's version when its lock was taken (0 before its first write). */
  readonly version: number;
  get(collection: string, id: string): Promise<unknown>;
  list(collection: string): Promise<{ id: string; value: unknown }[]>;
  /** A group written inside the transaction: visible to others, with the new version, only when it commits. */
  putMany(writes: readonly DocumentWrite[]): Promise<void>;
  delete(collection: string, id: string): Promise<void>;
  deleteCollection(collection: string): Promise<void>;
}

export interface TransactionalStore {
  /**
   * Runs `fn` holding the sandbox's lock (across every process on the same store) and
   * commits what it wrote as one unit; resolves with the sandbox's version after it (bumped
   * once when `fn` wrote anything). A rejected `fn` commits nothing.
   */
  transaction<T>(sandboxId: string, fn: (tx: SandboxTransaction) => Promise<T>): Promise<{ value: T; version: number }>;
  /** The sandbox's stored version, without waiting for its lock. */
  version(sandboxId: string): Promise<number>;
}
