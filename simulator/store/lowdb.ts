/**
 * lowdb adapter: one JSON file per document under the data directory
 * (`<dir>/<collection>/<id>.json`). lowdb's file adapters write through steno (temp file +
 * rename), so a document is either the old or the new version after a crash, never half.
 * A group of documents (`putMany`) is written as new files in its own journal directory
 * `<dir>/.journal/g_<n>/` (one per document, each written once), then the group's index
 * (`index.json`, which document goes where) is written, which makes the group durable; then
 * each file is renamed over its document and the directory removed. Opening the store
 * finishes every group whose index is there (the renames not yet done) and drops those
 * without one (never acknowledged, no document touched), so a group is stored entirely or
 * not at all, and each document's bytes are written once, not twice.
 * Blobs (raw uploads, report bodies) are plain files `<collection>/<id>.bin`, written as the
 * bytes arrive into `<dir>/.uploads/` and renamed into place by `commit`, so a crash mid-upload
 * leaves no blob under the id (and opening the store clears what such a crash left there).
 * Blobs are never part of a journal: the engine commits one before the group that refers to it.
 * One process owns the directory (see main.ts: a lock file).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open as openFile, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Low } from 'lowdb';
import { DataFile } from 'lowdb/node';
import type { BlobWriter, DocumentWrite, StorePort } from '../engine/store-port.ts';
import { ProcessOwnedStore } from './local-transactions.ts';

const SAFE = /^[A-Za-z0-9_.-]+$/;

/** lowdb needs non-empty default data; a missing document reads as `{}` (no value). */
interface Envelope {
  value?: unknown;
}

function checkName(name: string): string {
  for (const part of name.split('/')) {
    if (!SAFE.test(part) || part === '..' || part === '.') throw new Error(`unsafe store name: ${name}`);
  }
  return name;
}

/** Earlier versions journaled the documents themselves (`<dir>/.journal/g_<n>.json`). */
interface Journal {
  writes?: DocumentWrite[];
}

/** A group's index: its documents' files in the group's directory, and where each goes. */
interface GroupIndex {
  renames?: { file: string; collection: string; id: string }[];
}

const INDEX = 'index.json';

const JOURNAL = '.journal';

async function readIndex(path: string): Promise<GroupIndex | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as GroupIndex;
  } catch {
    return undefined;
  }
}
/** Blobs being written (not yet committed under an id). */
const UPLOADS = '.uploads';

/** One process owns this store: its sandbox locks and versions live in the process (decision 0012). */
export class LowdbStore extends ProcessOwnedStore implements StorePort {
  /** Journals left by a crash, applied before the store is first read or written. */
  private ready: Promise<void> | undefined;
  private journalSequence = 0;

  constructor(private readonly dir: string) {
    super();
  }

  private open(): Promise<void> {
    this.ready ??= this.recoverOnOpen();
    return this.ready;
  }

  /** A blob still being written belongs to an upload that was never acknowledged. */
  private async recoverOnOpen(): Promise<void> {
    await rm(join(this.dir, UPLOADS), { recursive: true, force: true });
    await this.replayJournals();
  }

  private async replayJournals(): Promise<void> {
    let names: string[];
    try {
      names = await readdir(join(this.dir, JOURNAL));
    } catch {
      return;
    }
    for (const name of names.sort()) {
      const at = join(this.dir, JOURNAL, name);
      if (/^g_\d+\.json$/.test(name)) {
        // A journal of an earlier version: the group's documents themselves.
        const journal = new Low<Journal>(this.journalFile(name), {});
        await journal.read();
        await this.writeAll(journal.data.writes ?? []);
      } else if (/^g_\d+$/.test(name)) {
        const index = await readIndex(join(at, INDEX));
        // No index: the group was never complete, so never acknowledged, and no document was touched.
        for (const { file, collection, id } of index?.renames ?? []) {
          await mkdir(this.path(collection), { recursive: true });
          await rename(join(at, file), this.path(collection, id)).catch((error: NodeJS.ErrnoException) => {
            // Renamed before the crash.
            if (error.code !== 'ENOENT') throw error;
          });
        }
      }
      // What is left (steno's temp files start with a dot: a journal never renamed into place).
      await rm(at, { recursive: true, force: true });
    }
  }

  private journalFile(name: string): DataFile<Journal> {
    return new DataFile<Journal>(join(this.dir, JOURNAL, name), { parse: (text) => JSON.parse(text) as Journal, stringify: (data) => JSON.stringify(data) });
  }

  private path(collection: string, id?: string): string {
    const base = join(this.dir, checkName(collection));
    return id === undefined ? base : join(base, `${checkName(id)}.json`);
  }

  /** lowdb's JSONFile pretty-prints; documents holding 10,000 payments are written compact. */
  private adapter(collection: string, id: string): DataFile<Envelope> {
    return this.fileAt(this.path(collection, id));
  }

  async putMany(writes: readonly DocumentWrite[]): Promise<void> {
    await this.open();
    for (const w of writes) this.path(w.collection, w.id);
    // One document is atomic on its own (steno): no journal needed.
    if (writes.length <= 1) return this.writeAll(writes);
    const last = new Map<string, DocumentWrite>();
    for (const w of writes) last.set(this.path(w.collection, w.id), w);
    const group = join(this.dir, JOURNAL, `g_${String(++this.journalSequence).padStart(12, '0')}`);
    await mkdir(group, { recursive: true });
    try {
      const renames = [...last.values()].map((w, i) => ({ file: `${i}.json`, collection: w.collection, id: w.id }));
      await Promise.all([...last.values()].map((w, i) => new Low<Envelope>(this.fileAt(join(group, `${i}.json`)), { value: w.value }).write()));
      const index = new Low<GroupIndex>(new DataFile<GroupIndex>(join(group, INDEX), { parse: (text) => JSON.parse(text) as GroupIndex, stringify: (data) => JSON.stringify(data) }), { renames });
      await index.write();
    } catch (error) {
      // Not durable yet: nothing of the group was stored.
      await rm(group, { recursive: true, force: true });
      throw error;
    }
    for (const { collection } of last.values()) await mkdir(this.path(collection), { recursive: true });
    await Promise.all([...last.values()].map((w, i) => rename(join(group, `${i}.json`), this.path(w.collection, w.id))));
    await rm(group, { recursive: true, force: true });
  }

  private fileAt(path: string): DataFile<Envelope> {
    return new DataFile<Envelope>(path, { parse: (text) => JSON.parse(text) as Envelope, stringify: (data) => JSON.stringify(data) });
  }

  /** The documents of a group are distinct files, so they are written side by side (the last write of a document wins). */
  private async writeAll(writes: readonly DocumentWrite[]): Promise<void> {
    const last = new Map<string, DocumentWrite>();
    for (const w of writes) last.set(this.path(w.collection, w.id), w);
    await Promise.all([...last.values()].map(async ({ collection, id, value }) => {
      await mkdir(this.path(collection), { recursive: true });
      // `new Low(adapter)`, not JSONFilePreset: the preset silently keeps data in memory when
      // NODE_ENV=test.
      const db = new Low<Envelope>(this.adapter(collection, id), {});
      db.data = { value };
      await db.write();
    }));
  }

  async get(collection: string, id: string): Promise<unknown> {
    await this.open();
    const db = new Low<Envelope>(this.adapter(collection, id), {});
    await db.read();
    return db.data.value;
  }

  async list(collection: string): Promise<{ id: string; value: unknown }[]> {
    await this.open();
    let names: string[];
    try {
      names = await readdir(this.path(collection));
    } catch {
      return [];
    }
    const out: { id: string; value: unknown }[] = [];
    for (const name of names.filter((n) => n.endsWith('.json')).sort()) {
      const id = name.slice(0, -5);
      const value = await this.get(collection, id);
      if (value !== undefined) out.push({ id, value });
    }
    return out;
  }

  async collections(prefix: string): Promise<string[]> {
    await this.open();
    const found: string[] = [];
    const walk = async (relative: string): Promise<void> => {
      let entries;
      try {
        entries = await readdir(join(this.dir, relative), { withFileTypes: true });
      } catch {
        return;
      }
      for (const entry of entries) {
        if (!entry.isDirectory()) continue;
        const child = relative === '' ? entry.name : `${relative}/${entry.name}`;
        if (child.startsWith(prefix) || prefix.startsWith(child)) {
          if (child.startsWith(prefix)) found.push(child);
          await walk(child);
        }
      }
    };
    await walk('');
    return found.sort();
  }

  async delete(collection: string, id: string): Promise<void> {
    await this.open();
    await rm(this.path(collection, id), { force: true });
    await rm(this.blobPath(collection, id), { force: true });
  }

  private blobPath(collection: string, id: string): string {
    return join(this.path(collection), `${checkName(id)}.bin`);
  }

  async openBlob(collection: string): Promise<BlobWriter> {
    await this.open();
    checkName(collection);
    await mkdir(join(this.dir, UPLOADS), { recursive: true });
    const temporary = join(this.dir, UPLOADS, `${randomBytes(8).toString('hex')}.tmp`);
    const handle = await openFile(temporary, 'w');
    let closed = false;
    const close = async () => {
      if (!closed) {
        closed = true;
        await handle.close();
      }
    };
    return {
      write: async (piece) => {
        let offset = 0;
        while (offset < piece.length) offset += (await handle.write(piece, offset, piece.length - offset)).bytesWritten;
      },
      commit: async (id) => {
        await close();
        await mkdir(this.path(collection), { recursive: true });
        await rename(temporary, this.blobPath(collection, id));
      },
      abort: async () => {
        await close();
        await rm(temporary, { force: true });
      },
    };
  }

  async getBlob(collection: string, id: string): Promise<Uint8Array | undefined> {
    await this.open();
    try {
      return await readFile(this.blobPath(collection, id));
    } catch {
      return undefined;
    }
  }

  async deleteCollection(collection: string): Promise<void> {
    await this.open();
    await rm(this.path(collection), { recursive: true, force: true });
  }
}
