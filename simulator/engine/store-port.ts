/**
 * The storage the engine needs, and nothing more: documents in collections, written one at a
 * time. Each payment file, report and day of bookings is its own document, so persisting a
 * submission costs O(that submission), never O(everything stored). A put resolves only when
 * the document is durable (the engine acknowledges requests after that).
 */
export interface StorePort {
  /** Writes (replaces) one document. */
  put(collection: string, id: string, value: unknown): Promise<void>;
  get(collection: string, id: string): Promise<unknown>;
  /** Every document of a collection (used when loading at start-up). */
  list(collection: string): Promise<{ id: string; value: unknown }[]>;
  /** Collections whose name starts with the prefix (one per sandbox at start-up). */
  collections(prefix: string): Promise<string[]>;
  delete(collection: string, id: string): Promise<void>;
  deleteCollection(collection: string): Promise<void>;
}
