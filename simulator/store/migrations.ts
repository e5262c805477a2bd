/**
 * Versioned schema migrations, run by the server when it first uses the database: the SQL
 * files in `migrations/` (`NNNN_name.sql`, shipped in the package) are applied in order, each
 * in its own transaction with its row in `sandbank_schema_migrations`, so a migration is
 * applied entirely or not at all. Servers starting together on one database take turns (an
 * advisory lock); a database migrated by a newer sandbank is refused, not written to.
 */
import { readdir, readFile } from 'node:fs/promises';
import type pg from 'pg';

const MIGRATIONS_DIR = new URL('./migrations/', import.meta.url);

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** The migrations this sandbank ships, oldest first. */
export async function shippedMigrations(): Promise<Migration[]> {
  const names = (await readdir(MIGRATIONS_DIR)).filter((n) => /^\d{4}_[a-z0-9_]+\.sql$/.test(n)).sort();
  return Promise.all(names.map(async (name) => ({
    version: Number(name.slice(0, 4)),
    name: name.slice(5, -4),
    sql: await readFile(new URL(name, MIGRATIONS_DIR), 'utf8'),
  })));
}

/** Applies the shipped migrations the database lacks; resolves with the versions applied now. */
export async function migrate(pool: pg.Pool, migrations?: Migration[]): Promise<number[]> {
  const wanted = migrations ?? (await shippedMigrations());
  const client = await pool.connect();
  try {
    await client.query("SELECT pg_advisory_lock(hashtextextended('sandbank:migrations', 0))");
    try {
      await client.query(`CREATE TABLE IF NOT EXISTS sandbank_schema_migrations (
        version integer PRIMARY KEY,
        name text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
      const applied = new Set((await client.query<{ version: number }>('SELECT version FROM sandbank_schema_migrations')).rows.map((r) => r.version));
      const newest = Math.max(0, ...applied);
      const known = Math.max(0, ...wanted.map((m) => m.version));
      if (newest > known) throw new Error(`the database schema is at version ${newest}, newer than this sandbank knows (${known}): upgrade sandbank`);
      const done: number[] = [];
      for (const migration of wanted) {
        if (applied.has(migration.version)) continue;
        await client.query('BEGIN');
        try {
          await client.query(migration.sql);
          await client.query('INSERT INTO sandbank_schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK');
          throw new Error(`migration ${migration.version} (${migration.name}) failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
        }
        done.push(migration.version);
      }
      return done;
    } finally {
      await client.query("SELECT pg_advisory_unlock(hashtextextended('sandbank:migrations', 0))");
    }
  } finally {
    client.release();
  }
}
