/**
 * The collaborations' lifecycles: kept in memory (the invoicing program's guard asks on every
 * request) and written whole to one lowdb document after each transition (steno: temp file +
 * rename), or nowhere in memory mode.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Low } from 'lowdb';
import { DataFile } from 'lowdb/node';
import type { CollaborationLifecycle } from './lifecycle.ts';

interface Document {
  lifecycles: Record<string, CollaborationLifecycle>;
}

export class LifecycleStore {
  private chain: Promise<unknown> = Promise.resolve();

  private constructor(private readonly doc: Low<Document> | undefined, private data: Document) {}

  /** `path` of the lowdb document, or undefined for memory. */
  static async open(path?: string): Promise<LifecycleStore> {
    if (!path) return new LifecycleStore(undefined, { lifecycles: {} });
    mkdirSync(dirname(path), { recursive: true });
    const doc = new Low<Document>(new DataFile<Document>(path, { parse: (text) => JSON.parse(text) as Document, stringify: (data) => JSON.stringify(data) }), { lifecycles: {} });
    await doc.read();
    return new LifecycleStore(doc, doc.data);
  }

  get(collaborationId: string): CollaborationLifecycle | undefined {
    return this.data.lifecycles[collaborationId];
  }

  /** Forgets every lifecycle (the contracts' provider states replace the whole service). */
  clear(): Promise<void> {
    return this.write({ lifecycles: {} });
  }

  /** Stores one lifecycle; resolves once written. Writes run one at a time, in order. */
  put(lifecycle: CollaborationLifecycle): Promise<void> {
    return this.write({ lifecycles: { ...this.data.lifecycles, [lifecycle.collaborationId]: lifecycle } });
  }

  private write(next: Document): Promise<void> {
    this.data = next;
    const data = this.data;
    const doc = this.doc;
    const write = this.chain.then(async () => {
      if (!doc) return;
      doc.data = data;
      await doc.write();
    });
    this.chain = write.catch(() => undefined);
    return write;
  }
}
