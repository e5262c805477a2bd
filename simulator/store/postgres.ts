/**
 * PostgreSQL adapter (`sandbank start --store postgres://…`), through node-postgres. Documents
 * are rows of `sandbank_documents` (JSON text, parsed by the engine), blobs rows of
 * `sandbank_blobs` (an upload larger than BLOB_PIECE_BYTES streamed in pieces to
 * `sandbank_blob_pieces` as it arrives, decision 0014); a group (`putMany`) is one transaction. `transaction(sandboxId, fn)` holds
 * the sandbox's advisory lock (`pg_advisory_xact_lock`) for the whole transaction, so every
 * instance on the database serialises its mutations of that sandbox, and bumps the sandbox's
 * version in `sandbank_sandbox_versions` when it wrote (decision 0012).
 *
 * The schema is created and migrated when the store is first used (migrations.ts).
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { BlobWriter, DocumentWrite, SandboxTransaction, StorePort } from '../engine/store-port.ts';
import { migrate } from './migrations.ts';
import { DEFAULT_STORE_CONNECTIONS, MIN_STORE_CONNECTIONS, splitConnections } from './pool-size.ts';

/** What may be queried: the pool, or one client inside a transaction. */
type Queryable = Pick<pg.PoolClient, 'query'>;

/** `postgres://user:secret@host/db` → `postgres://user@host/db`: a password never reaches a log line. */
export function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.password = '';
    return parsed.toString();
  } catch {
    return 'the configured PostgreSQL URL';
  }
}

export function isPostgresUrl(value: string): boolean {
  return /^postgres(ql)?:\/\//i.test(value);
}

/** LIKE's own characters in a prefix (`_` is common in sandbox ids) match only themselves. */
function likePrefix(prefix: string): string {
  return `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** The last write of a document in a group wins (one row may be upserted once per statement). */
function lastWrites(writes: readonly DocumentWrite[]): { collections: string[]; ids: string[]; values: string[] } {
  const last = new Map<string, { collection: string; id: string; text: string }>();
  for (const w of writes) {
    // Serialised before anything is sent: a value that cannot be stored fails the whole group.
    const text = JSON.stringify(w.value);
    if (text === undefined) throw new Error(`document ${w.collection}/${w.id} has no JSON value`);
    last.set(`${w.collection}\u0000${w.id}`, { collection: w.collection, id: w.id, text });
  }
  const rows = [...last.values()];
  return { collections: rows.map((r) => r.collection), ids: rows.map((r) => r.id), values: rows.map((r) => r.text) };
}

/** `version`: the sandbox version the writing transaction commits (0 outside one). */
async function upsert(db: Queryable, writes: readonly DocumentWrite[], version = 0): Promise<void> {
  if (writes.length === 0) return;
  const { collections, ids, values } = lastWrites(writes);
  await db.query(
    `INSERT INTO sandbank_documents (collection, id, value, written_at_version)
     SELECT c, i, v, $4 FROM unnest($1::text[], $2::text[], $3::text[]) AS w(c, i, v)
     ON CONFLICT (collection, id) DO UPDATE SET value = EXCLUDED.value, written_at_version = EXCLUDED.written_at_version`,
    [collections, ids, values, version],
  );
}

async function changedSince(db: Queryable, collections: readonly string[], version: number): Promise<{ collection: string; id: string; value: unknown }[]> {
  const result = await db.query<{ collection: string; id: string; value: string }>(
    'SELECT collection, id, value FROM sandbank_documents WHERE collection = ANY($1::text[]) AND written_at_version > $2 ORDER BY collection, id',
    [[...collections], version],
  );
  return result.rows.map((row) => ({ collection: row.collection, id: row.id, value: JSON.parse(row.value) }));
}

async function getDocument(db: Queryable, collection: string, id: string): Promise<unknown> {
  const result = await db.query<{ value: string }>('SELECT value FROM sandbank_documents WHERE collection = $1 AND id = $2', [collection, id]);
  const row = result.rows[0];
  return row === undefined ? undefined : JSON.parse(row.value);
}

async function listDocuments(db: Queryable, collection: string): Promise<{ id: string; value: unknown }[]> {
  const result = await db.query<{ id: string; value: string }>('SELECT id, value FROM sandbank_documents WHERE collection = $1 ORDER BY id', [collection]);
  return result.rows.map((row) => ({ id: row.id, value: JSON.parse(row.value) }));
}

async function deleteDocument(db: Queryable, collection: string, id: string): Promise<void> {
  await db.query('DELETE FROM sandbank_documents WHERE collection = $1 AND id = $2', [collection, id]);
  await db.query('DELETE FROM sandbank_blob_pieces WHERE upload IN (SELECT upload FROM sandbank_blobs WHERE collection = $1 AND id = $2)', [collection, id]);
  await db.query('DELETE FROM sandbank_blobs WHERE collection = $1 AND id = $2', [collection, id]);
}

/** A collection and the collections under it (`sandboxes/<id>` takes `sandboxes/<id>/files` with it), as a directory does on lowdb. */
async function deleteCollectionTree(db: Queryable, collection: string): Promise<void> {
  const under = likePrefix(`${collection}/`);
  await db.query('DELETE FROM sandbank_documents WHERE collection = $1 OR collection LIKE $2', [collection, under]);
  await db.query('DELETE FROM sandbank_blob_pieces WHERE upload IN (SELECT upload FROM sandbank_blobs WHERE collection = $1 OR collection LIKE $2)', [collection, under]);
  await db.query('DELETE FROM sandbank_blobs WHERE collection = $1 OR collection LIKE $2', [collection, under]);
}

async function bumpVersion(db: Queryable, sandboxId: string): Promise<number> {
  const result = await db.query<{ version: string }>(
    `INSERT INTO sandbank_sandbox_versions (sandbox_id, version) VALUES ($1, 1)
     ON CONFLICT (sandbox_id) DO UPDATE SET version = sandbank_sandbox_versions.version + 1
     RETURNING version`,
    [sandboxId],
  );
  return Number(result.rows[0]?.version ?? 0);
}

async function readVersion(db: Queryable, sandboxId: string): Promise<number> {
  const result = await db.query<{ version: string }>('SELECT version FROM sandbank_sandbox_versions WHERE sandbox_id = $1', [sandboxId]);
  return Number(result.rows[0]?.version ?? 0);
}

/** What an upload keeps in memory at most before its bytes go to the database as a piece. */
export const BLOB_PIECE_BYTES = 1024 * 1024;

/**
 * A blob's row names its bytes or its upload's pieces; replacing one removes the pieces it
 * named (one statement: both or neither).
 */
const COMMIT_BLOB = `WITH replaced AS (
    DELETE FROM sandbank_blob_pieces
    WHERE upload IN (SELECT upload FROM sandbank_blobs WHERE collection = $1 AND id = $2) AND upload IS DISTINCT FROM $4::uuid
  )
  INSERT INTO sandbank_blobs (collection, id, bytes, upload) VALUES ($1, $2, $3, $4)
  ON CONFLICT (collection, id) DO UPDATE SET bytes = EXCLUDED.bytes, upload = EXCLUDED.upload`;

/** Pieces no blob names, written over a day ago: what a server killed mid-upload left. */
const SWEEP_PIECES = `DELETE FROM sandbank_blob_pieces p
  WHERE p.written_at < now() - interval '1 day' AND NOT EXISTS (SELECT 1 FROM sandbank_blobs b WHERE b.upload = p.upload)`;

export class PostgresStore implements StorePort {
  readonly shared = true;
  /** Single statements (reads, blobs, versions): never held while waiting for a lock. */
  private readonly pool: pg.Pool;
  /**
   * Transactions, which may wait for a sandbox's lock: a pool of their own, so a transaction
   * that needs a single statement on the side (a blob) always gets one.
   */
  private readonly txPool: pg.Pool;
  private ready: Promise<void> | undefined;

  private readonly pieceBytes: number;

  constructor(private readonly url: string, options: { maxConnections?: number; pieceBytes?: number } = {}) {
    this.pieceBytes = options.pieceBytes ?? BLOB_PIECE_BYTES;
    const { single, transactions } = splitConnections(Math.max(MIN_STORE_CONNECTIONS, options.maxConnections ?? DEFAULT_STORE_CONNECTIONS));
    this.pool = new pg.Pool({ connectionString: url, max: single });
    this.txPool = new pg.Pool({ connectionString: url, max: transactions });
    // An idle client losing its connection (the server restarted) must not crash the process:
    // the pool drops it and the next query opens a new one.
    this.pool.on('error', () => undefined);
    this.txPool.on('error', () => undefined);
  }

  /** Connects and migrates the schema once; every call waits for it. */
  open(): Promise<void> {
    this.ready ??= migrate(this.pool).then(async () => void (await this.pool.query(SWEEP_PIECES)), (error: unknown) => {
      this.ready = undefined;
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(`cannot use PostgreSQL at ${redactedUrl(this.url)}: ${reason}`, { cause: error });
    });
    return this.ready;
  }

  async close(): Promise<void> {
    await Promise.all([this.pool.end(), this.txPool.end()]);
  }

  /** Runs `fn` on one client inside BEGIN … COMMIT (ROLLBACK when it throws). */
  private async inTransaction<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    await this.open();
    const client = await this.txPool.connect();
    let broken = false;
    try {
      await client.query('BEGIN');
      const value = await fn(client);
      await client.query('COMMIT');
      return value;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {
        broken = true;
      });
      throw error;
    } finally {
      client.release(broken);
    }
  }

  async putMany(writes: readonly DocumentWrite[]): Promise<void> {
    lastWrites(writes);
    if (writes.length === 0) return;
    if (writes.length === 1) {
      await this.open();
      return upsert(this.pool, writes);
    }
    await this.inTransaction((client) => upsert(client, writes));
  }

  async get(collection: string, id: string): Promise<unknown> {
    await this.open();
    return getDocument(this.pool, collection, id);
  }

  async list(collection: string): Promise<{ id: string; value: unknown }[]> {
    await this.open();
    return listDocuments(this.pool, collection);
  }

  async collections(prefix: string): Promise<string[]> {
    await this.open();
    const result = await this.pool.query<{ collection: string }>(
      `SELECT collection FROM sandbank_documents WHERE collection LIKE $1
       UNION SELECT collection FROM sandbank_blobs WHERE collection LIKE $1 ORDER BY collection`,
      [likePrefix(prefix)],
    );
    return result.rows.map((row) => row.collection);
  }

  async delete(collection: string, id: string): Promise<void> {
    await this.inTransaction((client) => deleteDocument(client, collection, id));
  }

  async deleteCollection(collection: string): Promise<void> {
    await this.inTransaction((client) => deleteCollectionTree(client, collection));
  }

  /**
   * Up to `pieceBytes` are kept in memory; beyond, the bytes go to the database as pieces of
   * this upload while it arrives (a large file never needs its size in memory). No blob row
   * names the pieces until `commit`, so an abandoned or half-written upload is never seen; a
   * small one is one row written at commit, as before.
   */
  async openBlob(collection: string): Promise<BlobWriter> {
    await this.open();
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    let upload: string | undefined;
    let seq = 0;
    const spill = async () => {
      upload ??= randomUUID();
      const bytes = Buffer.concat(pending, pendingBytes);
      pending = [];
      pendingBytes = 0;
      await this.pool.query('INSERT INTO sandbank_blob_pieces (upload, seq, bytes) VALUES ($1, $2, $3)', [upload, seq++, bytes]);
    };
    return {
      write: async (piece) => {
        pending.push(Buffer.from(piece));
        pendingBytes += piece.length;
        if (pendingBytes >= this.pieceBytes) await spill();
      },
      commit: async (id) => {
        if (upload !== undefined && pendingBytes > 0) await spill();
        const bytes = upload === undefined ? Buffer.concat(pending, pendingBytes) : null;
        pending = [];
        await this.pool.query(COMMIT_BLOB, [collection, id, bytes, upload ?? null]);
      },
      abort: async () => {
        pending = [];
        if (upload !== undefined) await this.pool.query('DELETE FROM sandbank_blob_pieces WHERE upload = $1', [upload]);
      },
    };
  }

  async getBlob(collection: string, id: string): Promise<Uint8Array | undefined> {
    await this.open();
    const result = await this.pool.query<{ bytes: Buffer | null }>(
      `SELECT coalesce(b.bytes, (SELECT string_agg(p.bytes, ''::bytea ORDER BY p.seq) FROM sandbank_blob_pieces p WHERE p.upload = b.upload)) AS bytes
       FROM sandbank_blobs b WHERE b.collection = $1 AND b.id = $2`,
      [collection, id],
    );
    return result.rows[0]?.bytes ?? undefined;
  }

  async version(sandboxId: string): Promise<number> {
    await this.open();
    return readVersion(this.pool, sandboxId);
  }

  async transaction<T>(sandboxId: string, fn: (tx: SandboxTransaction) => Promise<T>): Promise<{ value: T; version: number }> {
    return this.inTransaction(async (client) => {
      // A 64-bit hash of the id names the lock; two ids sharing a hash only wait for each other.
      await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [sandboxId]);
      const version = await readVersion(client, sandboxId);
      let wrote = false;
      const tx: SandboxTransaction = {
        version,
        get: (collection, id) => getDocument(client, collection, id),
        list: (collection) => listDocuments(client, collection),
        putMany: async (writes) => {
          lastWrites(writes);
          wrote ||= writes.length > 0;
          // Stamped with the version this transaction commits: readers at an older one fetch them.
          await upsert(client, writes, version + 1);
        },
        changedSince: (collections, since) => changedSince(client, collections, since),
        delete: async (collection, id) => {
          wrote = true;
          await deleteDocument(client, collection, id);
        },
        deleteCollection: async (collection) => {
          wrote = true;
          await deleteCollectionTree(client, collection);
        },
      };
      const value = await fn(tx);
      return { value, version: wrote ? await bumpVersion(client, sandboxId) : version };
    });
  }
}
