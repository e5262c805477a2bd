/**
 * The PostgreSQL adapter on a real server (SANDBANK_TEST_PG_URL, one fresh database per
 * file): putMany is one transaction, migrations are versioned and applied once, and
 * `transaction` serialises a sandbox's mutations across two stores (two connection pools, as
 * two servers would have) and bumps its version once per writing transaction.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, testPostgres } from '../../test/support/postgres.ts';
import { migrate, shippedMigrations } from './migrations.ts';
import { PostgresStore, redactedUrl } from './postgres.ts';

const server = await testPostgres();

describe.skipIf(!server.available)(`PostgresStore${server.available ? '' : ` (skipped: ${server.reason})`}`, () => {
  let database: { url: string; drop: () => Promise<void> };
  const stores: PostgresStore[] = [];
  const store = () => {
    const created = new PostgresStore(database.url);
    stores.push(created);
    return created;
  };
  beforeAll(async () => {
    if (server.available) database = await freshDatabase(server.serverUrl);
  });
  afterAll(async () => {
    await Promise.all(stores.map((s) => s.close()));
    await database?.drop();
  });

  it('creates the schema at first use and records each migration once', async () => {
    const first = store();
    await first.get('c', 'nothing');
    await store().get('c', 'nothing');
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const rows = (await client.query<{ version: number; name: string }>('SELECT version, name FROM sandbank_schema_migrations ORDER BY version')).rows;
      expect(rows).toEqual((await shippedMigrations()).map((m) => ({ version: m.version, name: m.name })));
    } finally {
      await client.end();
    }
  });

  it('applies only the migrations a database lacks, and refuses a database from a newer sandbank', async () => {
    const pool = new pg.Pool({ connectionString: database.url });
    try {
      expect(await migrate(pool)).toEqual([]);
      const next = { version: 9000, name: 'test_extra', sql: 'CREATE TABLE sandbank_test_extra (n integer)' };
      expect(await migrate(pool, [...(await shippedMigrations()), next])).toEqual([9000]);
      await expect(migrate(pool)).rejects.toThrow(/schema is at version 9000, newer than this sandbank knows/);
      await pool.query('DROP TABLE sandbank_test_extra');
      await pool.query('DELETE FROM sandbank_schema_migrations WHERE version = 9000');
    } finally {
      await pool.end();
    }
  });

  it('a migration that fails leaves no trace of itself', async () => {
    const pool = new pg.Pool({ connectionString: database.url });
    try {
      const broken = { version: 9001, name: 'broken', sql: 'CREATE TABLE sandbank_half (n integer); SELECT no_such_function();' };
      await expect(migrate(pool, [...(await shippedMigrations()), broken])).rejects.toThrow(/migration 9001 \(broken\) failed/);
      expect((await pool.query("SELECT to_regclass('sandbank_half') AS t")).rows[0]).toEqual({ t: null });
      expect((await pool.query('SELECT count(*)::int AS n FROM sandbank_schema_migrations WHERE version = 9001')).rows[0]).toEqual({ n: 0 });
    } finally {
      await pool.end();
    }
  });

  it('stores a group whole; the last write of a document in a group wins', async () => {
    const s = store();
    await s.putMany([{ collection: 'g1', id: 'a', value: { v: 1 } }, { collection: 'g1', id: 'a', value: { v: 3 } }, { collection: 'g1/x', id: 'b', value: [1, 'two'] }]);
    expect(await s.get('g1', 'a')).toEqual({ v: 3 });
    expect(await s.list('g1/x')).toEqual([{ id: 'b', value: [1, 'two'] }]);
  });

  it('a group with a value that cannot be stored, or that the database refuses, leaves every document as it was', async () => {
    const s = store();
    await s.putMany([{ collection: 'g2', id: 'a', value: { v: 1 } }, { collection: 'g2', id: 'b', value: { v: 1 } }]);
    await expect(s.putMany([{ collection: 'g2', id: 'a', value: { v: 2 } }, { collection: 'g2', id: 'b', value: { n: 10n } }])).rejects.toThrow();
    // A refusal inside the database, after the first rows of the group were sent.
    const pool = new pg.Pool({ connectionString: database.url });
    await pool.query(`CREATE FUNCTION sandbank_test_refuse() RETURNS trigger AS $$ BEGIN IF NEW.collection = 'poison' THEN RAISE EXCEPTION 'refused'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql`);
    await pool.query('CREATE TRIGGER sandbank_test_refuse BEFORE INSERT OR UPDATE ON sandbank_documents FOR EACH ROW EXECUTE FUNCTION sandbank_test_refuse()');
    try {
      await expect(s.putMany([{ collection: 'g2', id: 'a', value: { v: 2 } }, { collection: 'g2', id: 'new', value: { v: 2 } }, { collection: 'poison', id: 'p', value: {} }])).rejects.toThrow(/refused/);
    } finally {
      await pool.query('DROP TRIGGER sandbank_test_refuse ON sandbank_documents');
      await pool.query('DROP FUNCTION sandbank_test_refuse()');
      await pool.end();
    }
    expect(await s.list('g2')).toEqual([{ id: 'a', value: { v: 1 } }, { id: 'b', value: { v: 1 } }]);
  });

  it('lists collections by prefix and deletes a collection with those under it, taking "_" literally', async () => {
    const s = store();
    await s.putMany([
      { collection: 'sandboxes/s_1', id: 'a', value: 1 },
      { collection: 'sandboxes/s_1/files', id: 'f', value: 1 },
      { collection: 'sandboxes/sx1/files', id: 'f', value: 1 },
    ]);
    const blob = await s.openBlob('sandboxes/s_1/raw');
    await blob.write(Uint8Array.from([1, 2]));
    await blob.commit('pf_1');
    expect(await s.collections('sandboxes/s_1')).toEqual(['sandboxes/s_1', 'sandboxes/s_1/files', 'sandboxes/s_1/raw']);
    await s.deleteCollection('sandboxes/s_1');
    expect(await s.collections('sandboxes/')).toEqual(['sandboxes/sx1/files']);
    expect(await s.getBlob('sandboxes/s_1/raw', 'pf_1')).toBeUndefined();
  });

  it('a blob is visible only once committed, and an aborted one never', async () => {
    const s = store();
    const kept = await s.openBlob('blobs');
    await kept.write(Buffer.from('hello '));
    await kept.write(Buffer.from('world'));
    expect(await s.getBlob('blobs', 'b1')).toBeUndefined();
    await kept.commit('b1');
    expect(Buffer.from((await s.getBlob('blobs', 'b1')) ?? []).toString()).toBe('hello world');
    const dropped = await s.openBlob('blobs');
    await dropped.write(Buffer.from('x'));
    await dropped.abort();
    expect(await s.collections('blobs')).toEqual(['blobs']);
    await s.delete('blobs', 'b1');
    expect(await s.getBlob('blobs', 'b1')).toBeUndefined();
  });

  it('transactions on one sandbox from two stores never interleave; each that writes bumps the version once', async () => {
    const a = store();
    const b = store();
    const increment = (s: PostgresStore) => s.transaction('sbx_race', async (tx) => {
      const n = ((await tx.get('counter', 'n')) as number | undefined) ?? 0;
      // Give the other store every chance to read the same value if the lock did not hold.
      await new Promise((resolve) => setImmediate(resolve));
      await tx.putMany([{ collection: 'counter', id: 'n', value: n + 1 }]);
      return n + 1;
    });
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => increment(i % 2 === 0 ? a : b)));
    expect(await a.get('counter', 'n')).toBe(20);
    expect(results.map((r) => r.value).sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(results.map((r) => r.version).sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(await b.version('sbx_race')).toBe(20);
    // A transaction that only reads leaves the version where it was.
    expect((await a.transaction('sbx_race', async (tx) => tx.version)).version).toBe(20);
  });

  it('changedSince returns the documents written by transactions after a version, and no others', async () => {
    const s = store();
    await s.putMany([{ collection: 'sandboxes/sbx_ch/files', id: 'before', value: 0 }]);
    const first = await s.transaction('sbx_ch', async (tx) => tx.putMany([{ collection: 'sandboxes/sbx_ch/files', id: 'f1', value: 1 }, { collection: 'sandboxes/sbx_ch/days', id: 'd1', value: 1 }]));
    await s.transaction('sbx_ch', async (tx) => tx.putMany([{ collection: 'sandboxes/sbx_ch/files', id: 'f2', value: 2 }, { collection: 'sandboxes/sbx_ch/files', id: 'f1', value: 11 }]));
    const seen = await s.transaction('sbx_ch', async (tx) => ({
      sinceFirst: await tx.changedSince(['sandboxes/sbx_ch/files', 'sandboxes/sbx_ch/days'], first.version),
      sinceStart: await tx.changedSince(['sandboxes/sbx_ch/days'], 0),
    }));
    expect(seen.value.sinceFirst).toEqual([{ collection: 'sandboxes/sbx_ch/files', id: 'f1', value: 11 }, { collection: 'sandboxes/sbx_ch/files', id: 'f2', value: 2 }]);
    expect(seen.value.sinceStart).toEqual([{ collection: 'sandboxes/sbx_ch/days', id: 'd1', value: 1 }]);
  });

  it('a transaction that throws commits nothing and keeps the version', async () => {
    const s = store();
    await expect(s.transaction('sbx_fail', async (tx) => {
      await tx.putMany([{ collection: 'sandboxes/sbx_fail/files', id: 'f', value: 1 }]);
      throw new Error('cut short');
    })).rejects.toThrow('cut short');
    expect(await s.get('sandboxes/sbx_fail/files', 'f')).toBeUndefined();
    expect(await s.version('sbx_fail')).toBe(0);
  });

  it('an upload beyond the piece size is in the database in pieces while it arrives, seen only once committed, whole', async () => {
    const streaming = new PostgresStore(database.url, { pieceBytes: 16 });
    stores.push(streaming);
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    const pieces = async () => Number((await admin.query<{ n: string }>('SELECT count(*) AS n FROM sandbank_blob_pieces')).rows[0]?.n);
    try {
      const before = await pieces();
      const blob = await streaming.openBlob('sandboxes/p1/raw');
      await blob.write(Buffer.from('<Document>0123456789'));
      await blob.write(Buffer.from('abcdefghijklmnopqrstuvwxyz'));
      // Two pieces written, no blob yet.
      expect(await pieces()).toBe(before + 2);
      expect(await streaming.getBlob('sandboxes/p1/raw', 'pf_1')).toBeUndefined();
      await blob.write(Buffer.from('</Document>'));
      await blob.commit('pf_1');
      expect(Buffer.from((await streaming.getBlob('sandboxes/p1/raw', 'pf_1')) ?? []).toString()).toBe('<Document>0123456789abcdefghijklmnopqrstuvwxyz</Document>');
      expect(await pieces()).toBe(before + 3);
      // Replaced under the same id by a small blob: the old pieces go with it.
      const small = await streaming.openBlob('sandboxes/p1/raw');
      await small.write(Buffer.from('tiny'));
      await small.commit('pf_1');
      expect(Buffer.from((await streaming.getBlob('sandboxes/p1/raw', 'pf_1')) ?? []).toString()).toBe('tiny');
      expect(await pieces()).toBe(before);
      // Aborted after pieces were written: none stay.
      const aborted = await streaming.openBlob('sandboxes/p1/raw');
      await aborted.write(Buffer.from('x'.repeat(40)));
      expect(await pieces()).toBe(before + 1);
      await aborted.abort();
      expect(await pieces()).toBe(before);
      // Deleting the sandbox's collections takes a streamed blob's pieces.
      const big = await streaming.openBlob('sandboxes/p1/raw');
      await big.write(Buffer.from('y'.repeat(40)));
      await big.commit('pf_2');
      await streaming.deleteCollection('sandboxes/p1');
      expect(await streaming.getBlob('sandboxes/p1/raw', 'pf_2')).toBeUndefined();
      expect(await pieces()).toBe(before);
    } finally {
      await admin.end();
    }
  });

  it('pieces no blob names are removed a day after they were written, when a server opens the database', async () => {
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    try {
      const killed = new PostgresStore(database.url, { pieceBytes: 4 });
      stores.push(killed);
      const left = await killed.openBlob('sandboxes/p2/raw');
      await left.write(Buffer.from('a piece a killed server left'));
      const committed = new PostgresStore(database.url, { pieceBytes: 4 });
      stores.push(committed);
      const kept = await committed.openBlob('sandboxes/p2/raw');
      await kept.write(Buffer.from('a committed upload'));
      await kept.commit('pf_1');
      await admin.query("UPDATE sandbank_blob_pieces SET written_at = now() - interval '2 days'");
      const recent = await committed.openBlob('sandboxes/p2/raw');
      await recent.write(Buffer.from('an upload under way'));
      const count = async () => Number((await admin.query<{ n: string }>('SELECT count(*) AS n FROM sandbank_blob_pieces')).rows[0]?.n);
      const before = await count();
      const next = store();
      await next.get('c', 'nothing');
      expect(await count()).toBe(before - 1);
      expect(Buffer.from((await next.getBlob('sandboxes/p2/raw', 'pf_1')) ?? []).toString()).toBe('a committed upload');
      await recent.commit('pf_2');
      expect(Buffer.from((await next.getBlob('sandboxes/p2/raw', 'pf_2')) ?? []).toString()).toBe('an upload under way');
    } finally {
      await admin.end();
    }
  });

  it('says which database it cannot reach, without the password', async () => {
    const unreachable = new PostgresStore('postgres://sandbank:secret@127.0.0.1:1/nowhere');
    await expect(unreachable.get('c', 'a')).rejects.toThrow(/^cannot use PostgreSQL at postgres:\/\/sandbank@127\.0\.0\.1:1\/nowhere: /);
    await unreachable.close();
    expect(redactedUrl('postgres://u:p@h/db')).toBe('postgres://u@h/db');
  });
});
