/**
 * `transaction` and `version` for the stores one process owns (memory, lowdb; decision 0012):
 * the sandbox's lock is a promise chain in this process, and its version a counter in this
 * process — no other process can move it, so it need not be stored.
 */
import type { DocumentWrite, SandboxTransaction, StorePort } from '../engine/store-port.ts';

/** The document operations a transaction runs on (the store itself). */
export interface LocalDocuments {
  get(collection: string, id: string): Promise<unknown>;
  list(collection: string): Promise<{ id: string; value: unknown }[]>;
  putMany(writes: readonly DocumentWrite[]): Promise<void>;
  delete(collection: string, id: string): Promise<void>;
  deleteCollection(collection: string): Promise<void>;
}

export class LocalTransactions {
  private readonly versions = new Map<string, number>();
  private readonly tails = new Map<string, Promise<unknown>>();

  constructor(private readonly documents: LocalDocuments) {}

  version(sandboxId: string): number {
    return this.versions.get(sandboxId) ?? 0;
  }

  /** Queued behind the sandbox's previous transaction; the version moves once if `fn` wrote. */
  async run<T>(sandboxId: string, fn: (tx: SandboxTransaction) => Promise<T>): Promise<{ value: T; version: number }> {
    const before = this.tails.get(sandboxId) ?? Promise.resolve();
    const body = async () => {
      let wrote = false;
      const docs = this.documents;
      const tx: SandboxTransaction = {
        version: this.version(sandboxId),
        get: (collection, id) => docs.get(collection, id),
        list: (collection) => docs.list(collection),
        // One process owns the store, so a copy is never behind: every document will do.
        changedSince: async (collections) => (await Promise.all(collections.map(async (collection) => (await docs.list(collection)).map((d) => ({ collection, ...d }))))).flat(),
        putMany: async (writes) => {
          wrote ||= writes.length > 0;
          await docs.putMany(writes);
        },
        delete: async (collection, id) => {
          wrote = true;
          await docs.delete(collection, id);
        },
        deleteCollection: async (collection) => {
          wrote = true;
          await docs.deleteCollection(collection);
        },
      };
      try {
        const value = await fn(tx);
        return { value, version: wrote ? this.bump(sandboxId) : tx.version };
      } catch (error) {
        // A store without rollback may keep part of what was written: others must read again.
        if (wrote) this.bump(sandboxId);
        throw error;
      }
    };
    const run = before.then(body, body);
    const tail = run.catch(() => undefined);
    this.tails.set(sandboxId, tail);
    void tail.then(() => {
      if (this.tails.get(sandboxId) === tail) this.tails.delete(sandboxId);
    });
    return run;
  }

  private bump(sandboxId: string): number {
    const next = this.version(sandboxId) + 1;
    this.versions.set(sandboxId, next);
    return next;
  }
}

/**
 * What every store one process owns has alike: it is not shared, and its sandbox locks and
 * versions are this process's (LocalTransactions over the store's own documents).
 */
export abstract class ProcessOwnedStore implements LocalDocuments, Pick<StorePort, 'shared' | 'transaction' | 'version'> {
  readonly shared = false;
  private readonly transactions = new LocalTransactions(this);

  async transaction<T>(sandboxId: string, fn: (tx: SandboxTransaction) => Promise<T>): Promise<{ value: T; version: number }> {
    return this.transactions.run(sandboxId, fn);
  }

  async version(sandboxId: string): Promise<number> {
    return this.transactions.version(sandboxId);
  }

  abstract get(collection: string, id: string): Promise<unknown>;
  abstract list(collection: string): Promise<{ id: string; value: unknown }[]>;
  abstract putMany(writes: readonly DocumentWrite[]): Promise<void>;
  abstract delete(collection: string, id: string): Promise<void>;
  abstract deleteCollection(collection: string): Promise<void>;
}
