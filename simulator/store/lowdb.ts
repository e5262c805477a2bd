/**
 * lowdb adapter: one JSON file per document under the data directory
 * (`<dir>/<collection>/<id>.json`). lowdb's file adapters write through steno (temp file +
 * rename), so a document is either the old or the new version after a crash, never half.
 * One process owns the directory (see main.ts: a lock file).
 */
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Low } from 'lowdb';
import { DataFile } from 'lowdb/node';
import type { StorePort } from '../engine/store-port.ts';

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

export class LowdbStore implements StorePort {
  constructor(private readonly dir: string) {}

  private path(collection: string, id?: string): string {
    const base = join(this.dir, checkName(collection));
    return id === undefined ? base : join(base, `${checkName(id)}.json`);
  }

  /** lowdb's JSONFile pretty-prints; documents holding 10,000 payments are written compact. */
  private adapter(collection: string, id: string): DataFile<Envelope> {
    return new DataFile<Envelope>(this.path(collection, id), { parse: (text) => JSON.parse(text) as Envelope, stringify: (data) => JSON.stringify(data) });
  }

  async put(collection: string, id: string, value: unknown): Promise<void> {
    await mkdir(this.path(collection), { recursive: true });
    // `new Low(adapter)`, not JSONFilePreset: the preset silently keeps data in memory when
    // NODE_ENV=test.
    const db = new Low<Envelope>(this.adapter(collection, id), {});
    db.data = { value };
    await db.write();
  }

  async get(collection: string, id: string): Promise<unknown> {
    const db = new Low<Envelope>(this.adapter(collection, id), {});
    await db.read();
    return db.data.value;
  }

  async list(collection: string): Promise<{ id: string; value: unknown }[]> {
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
    await rm(this.path(collection, id), { force: true });
  }

  async deleteCollection(collection: string): Promise<void> {
    await rm(this.path(collection), { recursive: true, force: true });
  }
}
