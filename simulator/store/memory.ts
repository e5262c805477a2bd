import type { BlobWriter, DocumentWrite, StorePort } from '../engine/store-port.ts';
import { ProcessOwnedStore } from './local-transactions.ts';

/** In-memory store (msw handlers, unit tests, scenarios). Values are deep-copied like a real store would. */
/** One process owns this store: its sandbox locks and versions live in the process (decision 0012). */
export class MemoryStore extends ProcessOwnedStore implements StorePort {
  private readonly data = new Map<string, Map<string, string>>();
  private readonly blobs = new Map<string, Uint8Array>();

  /** Serialises the whole group before storing any of it, so a value that cannot be stored leaves the store untouched. */
  async putMany(writes: readonly DocumentWrite[]): Promise<void> {
    const texts = writes.map((w) => ({ collection: w.collection, id: w.id, text: JSON.stringify(w.value) }));
    for (const { collection, id, text } of texts) {
      let docs = this.data.get(collection);
      if (!docs) {
        docs = new Map();
        this.data.set(collection, docs);
      }
      docs.set(id, text);
    }
  }

  async get(collection: string, id: string): Promise<unknown> {
    const text = this.data.get(collection)?.get(id);
    return text === undefined ? undefined : JSON.parse(text);
  }

  async list(collection: string): Promise<{ id: string; value: unknown }[]> {
    return [...(this.data.get(collection) ?? new Map<string, string>()).entries()].map(([id, text]) => ({ id, value: JSON.parse(text) }));
  }

  async collections(prefix: string): Promise<string[]> {
    return [...this.data.keys()].filter((c) => c.startsWith(prefix));
  }

  async delete(collection: string, id: string): Promise<void> {
    this.data.get(collection)?.delete(id);
    this.blobs.delete(`${collection}/${id}`);
  }

  /** The collection and those under it (`sandboxes/<id>` takes its files, reports, …), as on disk. */
  async deleteCollection(collection: string): Promise<void> {
    for (const name of [...this.data.keys()]) if (name === collection || name.startsWith(`${collection}/`)) this.data.delete(name);
    for (const key of [...this.blobs.keys()]) if (key.startsWith(`${collection}/`)) this.blobs.delete(key);
  }

  async openBlob(collection: string): Promise<BlobWriter> {
    const pieces: Uint8Array[] = [];
    return {
      write: async (piece) => void pieces.push(Uint8Array.from(piece)),
      commit: async (id) => void this.blobs.set(`${collection}/${id}`, Buffer.concat(pieces)),
      abort: async () => void (pieces.length = 0),
    };
  }

  async getBlob(collection: string, id: string): Promise<Uint8Array | undefined> {
    return this.blobs.get(`${collection}/${id}`);
  }
}
