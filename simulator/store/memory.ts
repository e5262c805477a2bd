import type { DocumentWrite, StorePort } from '../engine/store-port.ts';

/** In-memory store (msw handlers, unit tests, scenarios). Values are deep-copied like a real store would. */
export class MemoryStore implements StorePort {
  private readonly data = new Map<string, Map<string, string>>();

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
  }

  async deleteCollection(collection: string): Promise<void> {
    this.data.delete(collection);
  }
}
