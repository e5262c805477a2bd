/**
 * Uploads on `sandbank start --store postgres://…` stream into the database as they arrive
 * (decision 0014), on a real server process: the pieces of a 1.8 MB file are in the database
 * before its last byte is sent, and a kill -9 mid-upload leaves no file (and no 202); a kill -9
 * right after the 202 leaves the whole file, validated after the restart.
 */
import { createHash } from 'node:crypto';
import { request } from 'node:http';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, testPostgres } from '../support/postgres.ts';
import { bulkPain001For } from '../support/payment-files.ts';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';
import { call, createSandbox, sender } from './api-suite.ts';

const server = await testPostgres();
const PAYMENTS = 2000;

describe.skipIf(!server.available)(`uploads on sandbank start --store postgres://…${server.available ? '' : ` (skipped: ${server.reason})`}`, () => {
  let database: { url: string; drop: () => Promise<void> };
  let running: ServerProcess;
  let admin: pg.Client;
  let s: Awaited<ReturnType<typeof createSandbox>>;
  const target = { baseUrl: () => running.url };
  const count = async (sql: string, values: unknown[] = []) => Number((await admin.query<{ n: string }>(sql, values)).rows[0]?.n);
  beforeAll(async () => {
    if (!server.available) return;
    database = await freshDatabase(server.serverUrl);
    running = await startServerProcess(['--store', database.url]);
    admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    s = await createSandbox(target, 'swedbank', { start: '2026-03-12T08:00:00' });
  });
  afterAll(async () => {
    await admin?.end();
    await running?.kill();
    await database?.drop();
  });

  it('a kill -9 mid-upload, after pieces reached the database: no 202, and no file after the restart', async () => {
    const bytes = Buffer.from(bulkPain001For(sender(s), PAYMENTS, '2026-03-13', 7, 'STREAM-KILLED'));
    const piecesBefore = await count('SELECT count(*) AS n FROM sandbank_blob_pieces');
    const url = new URL('/v1/swedbank/payment-files', running.url);
    const req = request(url, { method: 'POST', headers: { authorization: `Bearer ${s.apiKey}`, 'content-type': 'application/xml' } });
    const answer = new Promise<number | string>((resolve) => {
      req.on('response', (res) => resolve(res.statusCode ?? 0));
      req.on('error', (error) => resolve(error.message));
    });
    // Two thirds of the file, in 64 KiB writes, and the body left open.
    for (let at = 0; at < (bytes.length * 2) / 3; at += 65536) req.write(bytes.subarray(at, Math.min(at + 65536, bytes.length)));
    await expect.poll(() => count('SELECT count(*) AS n FROM sandbank_blob_pieces'), { timeout: 20_000, interval: 100 }).toBeGreaterThan(piecesBefore);
    expect(await count('SELECT count(*) AS n FROM sandbank_blobs WHERE upload IS NOT NULL')).toBe(0);
    await running.kill();
    expect(await answer).not.toBe(202);
    running = await startServerProcess(['--store', database.url]);
    const files = await call(target, 'GET', '/v1/swedbank/payment-files', { key: s.apiKey });
    expect(files.status).toBe(200);
    expect(files.json.files).toEqual([]);
    expect(await count('SELECT count(*) AS n FROM sandbank_blobs')).toBe(0);
  }, 60_000);

  it('a kill -9 right after the 202: the whole file is there after the restart, byte for byte, and is validated', async () => {
    const bytes = Buffer.from(bulkPain001For(sender(s), PAYMENTS, '2026-03-13', 8, 'STREAM-WHOLE'));
    const up = await call(target, 'POST', '/v1/swedbank/payment-files', { key: s.apiKey, body: bytes, headers: { 'content-type': 'application/xml' } });
    expect(up.status).toBe(202);
    await running.kill();
    // Stored in pieces (the file is larger than what a server keeps in memory), whole.
    const stored = (await admin.query<{ digest: string; pieces: string }>(
      `SELECT encode(sha256(string_agg(p.bytes, ''::bytea ORDER BY p.seq)), 'hex') AS digest, count(*) AS pieces
       FROM sandbank_blobs b JOIN sandbank_blob_pieces p ON p.upload = b.upload WHERE b.id = $1`,
      [up.json.fileId],
    )).rows[0];
    expect(Number(stored?.pieces)).toBeGreaterThan(1);
    expect(stored?.digest).toBe(createHash('sha256').update(bytes).digest('hex'));
    running = await startServerProcess(['--store', database.url]);
    await expect.poll(async () => (await call(target, 'GET', `/v1/swedbank/payment-files/${up.json.fileId}?payments=false`, { key: s.apiKey })).json.status, { timeout: 30_000, interval: 200 }).toBe('AWAITING_SIGNATURE');
    const file = await call(target, 'GET', `/v1/swedbank/payment-files/${up.json.fileId}?payments=false`, { key: s.apiKey });
    expect(file.json.numberOfTransactions).toBe(PAYMENTS);
  }, 60_000);
});
