/**
 * An append-only log of JSON records, one per line: the storage of the invoicing program and
 * the bureau's program, where every write must cost O(the change) however much is stored
 * (a lowdb document is rewritten whole on every write; see docs/decisions/0006).
 *
 * A record is appended with one write(2) of one line, and acknowledged when that write
 * resolved. A kill -9 can leave at most a torn last line; opening the log drops it (and
 * truncates the file to the last whole record), so a record is either there whole or not at
 * all. Like lowdb's steno, this survives a process crash, not a power cut (no fsync).
 */
import { mkdirSync } from 'node:fs';
import { open, readFile, truncate, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';

export interface RecordLog<T> {
  /** Every whole record in order (called once, at open). */
  readAll(): Promise<T[]>;
  /** Appends records as one write; resolves when written. */
  append(...records: T[]): Promise<void>;
  close(): Promise<void>;
}

export class FileRecordLog<T> implements RecordLog<T> {
  private handle: FileHandle | undefined;
  /** Appends are chained: lines never interleave and acknowledgements keep their order. */
  private tail: Promise<void> = Promise.resolve();

  constructor(readonly path: string) {
    mkdirSync(dirname(path), { recursive: true });
  }

  async readAll(): Promise<T[]> {
    let bytes: Buffer;
    try {
      bytes = await readFile(this.path);
    } catch {
      return [];
    }
    const records: T[] = [];
    let start = 0;
    let good = 0;
    while (start < bytes.length) {
      const end = bytes.indexOf(0x0a, start);
      if (end === -1) break;
      try {
        records.push(JSON.parse(bytes.subarray(start, end).toString('utf8')) as T);
      } catch {
        break;
      }
      start = end + 1;
      good = start;
    }
    // A torn tail from a crash mid-write: cut it so the next append starts on a clean line.
    if (good < bytes.length) await truncate(this.path, good);
    return records;
  }

  append(...records: T[]): Promise<void> {
    const line = records.map((r) => `${JSON.stringify(r)}\n`).join('');
    const next = this.tail.then(async () => {
      this.handle ??= await open(this.path, 'a');
      await this.handle.write(line);
    });
    this.tail = next.catch(() => undefined);
    return next;
  }

  async close(): Promise<void> {
    await this.tail;
    await this.handle?.close();
    this.handle = undefined;
  }
}

/** In memory, for unit tests and scenarios; survives a "restart" if the same instance is reused. */
export class MemoryRecordLog<T> implements RecordLog<T> {
  private readonly lines: string[] = [];

  async readAll(): Promise<T[]> {
    return this.lines.map((l) => JSON.parse(l) as T);
  }

  async append(...records: T[]): Promise<void> {
    for (const r of records) this.lines.push(JSON.stringify(r));
  }

  async close(): Promise<void> {}

  get size(): number {
    return this.lines.length;
  }
}
