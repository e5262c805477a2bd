/**
 * The PostgreSQL server the tests use: SANDBANK_TEST_PG_URL (`.ci/run` starts one and sets
 * it). Without one, the tests that need it skip and say why; in CI (CI=true) they fail
 * instead, so a missing database never passes as green. Each test file gets its own database.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';

const URL_VARIABLE = 'SANDBANK_TEST_PG_URL';

export type TestPostgres = { available: true; serverUrl: string } | { available: false; reason: string };

async function reachable(url: string): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function find(): Promise<TestPostgres> {
  const url = process.env[URL_VARIABLE];
  const problem = url === undefined || url === ''
    ? `no PostgreSQL for these tests: set ${URL_VARIABLE}=postgres://user@host:port/db (.ci/run starts one)`
    : await reachable(url).then((error) => (error === undefined ? undefined : `PostgreSQL at ${URL_VARIABLE} is not reachable: ${error}`));
  if (problem === undefined && url !== undefined) return { available: true, serverUrl: url };
  if (process.env['CI'] === 'true') throw new Error(`${problem} — CI must run the PostgreSQL tests, not skip them`);
  console.warn(`\n⚠ skipping the PostgreSQL tests: ${problem}\n`);
  return { available: false, reason: problem ?? 'unknown' };
}

let found: Promise<TestPostgres> | undefined;

/** Looked up once per test file. */
export function testPostgres(): Promise<TestPostgres> {
  found ??= find();
  return found;
}

/** What the databases made here are named after (SANDBANK_PG_DB_PREFIX: several people sharing one PostgreSQL server tell theirs apart). */
const DATABASE_PREFIX = process.env['SANDBANK_PG_DB_PREFIX'] ?? 'sandbank';
if (!/^[a-z_][a-z0-9_]{0,30}$/.test(DATABASE_PREFIX)) throw new Error(`SANDBANK_PG_DB_PREFIX must be lower-case letters, digits and _ (got ${DATABASE_PREFIX})`);

/** A new, empty database on the test server (`<prefix>_<kind>_<random>`); `drop` removes it (connections are cut). */
export async function freshDatabase(serverUrl: string, kind = 't'): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `${DATABASE_PREFIX}_${kind}_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
