/**
 * The whole end-to-end API suite against a real `sandbank start --store postgres://…`
 * process with the fewest connections it allows (SANDBANK_STORE_CONNECTIONS=2); then a restart of that process on the same database keeps every sandbox, and a
 * second server on a database one already uses is refused with one line.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, testPostgres } from '../support/postgres.ts';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';
import { sandbank } from '../support/cli.ts';
import { pain001For } from '../support/payment-files.ts';
import { redactedUrl } from '../../simulator/store/postgres.ts';
import { apiSuite, call, createSandbox, sender } from './api-suite.ts';

const server = await testPostgres();

describe.skipIf(!server.available)(`bank API on sandbank start --store postgres://…${server.available ? '' : ` (skipped: ${server.reason})`}`, () => {
  let database: { url: string; drop: () => Promise<void> };
  let running: ServerProcess;
  beforeAll(async () => {
    if (!server.available) return;
    database = await freshDatabase(server.serverUrl);
    running = await startServerProcess(['--store', database.url, '--body-limit', String(1024 * 1024)], { SANDBANK_STORE_CONNECTIONS: '2' });
  });
  afterAll(async () => {
    await running?.kill();
    await database?.drop();
  });

  apiSuite({ baseUrl: () => running.url });

  it('names the database (without its password) in the banner', () => {
    expect(running.output()).toContain(`(data: ${redactedUrl(database.url)})`);
  });

  it('opened no more connections than SANDBANK_STORE_CONNECTIONS allows', async () => {
    const admin = new pg.Client({ connectionString: server.available ? server.serverUrl : '' });
    await admin.connect();
    try {
      const name = new URL(database.url).pathname.slice(1);
      const { rows } = await admin.query<{ n: string }>('SELECT count(*) AS n FROM pg_stat_activity WHERE datname = $1', [name]);
      expect(Number(rows[0]?.n)).toBeGreaterThan(0);
      expect(Number(rows[0]?.n)).toBeLessThanOrEqual(2);
    } finally {
      await admin.end();
    }
  });

  it('--store-connections below 2 is refused in one line', () => {
    const run = sandbank(['start', '--port', '0', '--store', database.url, '--store-connections', '1']);
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe("error: option '--store-connections <n>' argument '1' is invalid. expected a whole number ≥ 2.");
  });

  it('a restart on the same database keeps a sandbox, its file and its balances', async () => {
    const target = { baseUrl: () => running.url };
    const s = await createSandbox(target, 'swedbank');
    const up = await call(target, 'POST', '/v1/swedbank/payment-files', { key: s.apiKey, body: pain001For(sender(s), [{ amountOre: 700, date: '2026-03-12' }]), headers: { 'content-type': 'application/xml' } });
    expect(up.status).toBe(202);
    await call(target, 'POST', `/v1/swedbank/payment-files/${up.json.fileId}/signatures`, { key: s.apiKey, json: { signedBy: 'A', role: 'administrator', verification: 'totp' } });
    await call(target, 'POST', `/sandboxes/${s.sandboxId}/clock/advance`, { key: s.apiKey, json: { days: 2 } });
    const balancesPath = `/v1/swedbank/accounts/${s.accounts[0]?.accountId}/balances`;
    const before = { file: (await call(target, 'GET', `/v1/swedbank/payment-files/${up.json.fileId}`, { key: s.apiKey })).json, balances: (await call(target, 'GET', balancesPath, { key: s.apiKey })).json };
    await running.stop();
    running = await startServerProcess(['--store', database.url]);
    const after = { file: (await call(target, 'GET', `/v1/swedbank/payment-files/${up.json.fileId}`, { key: s.apiKey })).json, balances: (await call(target, 'GET', balancesPath, { key: s.apiKey })).json };
    expect(after).toEqual(before);
  });

  it('--store refuses what is not a PostgreSQL URL, and --memory with it, in one line', () => {
    const notUrl = sandbank(['start', '--port', '0', '--store', 'mysql://x/y']);
    expect(notUrl.code).toBe(2);
    expect(notUrl.stderr.trim()).toBe('error: --store takes a PostgreSQL URL (postgres://user:password@host:port/database); without it the data goes to --data');
    const both = sandbank(['start', '--port', '0', '--memory', '--store', database.url]);
    expect(both.stderr.trim()).toBe('error: --memory and --store exclude each other: choose one');
  });

  it('an unreachable database is one line naming it without the password', () => {
    const run = sandbank(['start', '--port', '0', '--store', 'postgres://sandbank:secret@127.0.0.1:1/none']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error: cannot use PostgreSQL at postgres:\/\/sandbank@127\.0\.0\.1:1\/none: .+\n$/);
    expect(run.stderr).not.toContain('secret');
  });
});
