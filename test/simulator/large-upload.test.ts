/**
 * A 100,000-payment pain.001 (~89 MB) through the real `sandbank start` with its default body
 * limit, and kill -9 while it is on its way: either the file is absent and the client never
 * got a 202, or the file is there complete.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { bulkPain001For } from '../support/payment-files.ts';
import { call, createSandbox, sender } from './api-suite.ts';

const BIN = fileURLToPath(new URL('../../bin/sandbank.mjs', import.meta.url));
const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

async function startChild(dir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [BIN, 'start', '--port', '0', '--data', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const m = /running at (http:\/\/[\d.:]+)/.exec(output);
      if (m?.[1]) resolve(m[1]);
    });
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`server exited ${code}: ${output}`)));
  });
  return { child, url };
}

const killed = (child: ChildProcess) => new Promise<void>((resolve) => {
  if (child.exitCode !== null || child.signalCode !== null) resolve();
  else child.once('exit', () => resolve());
});

/** Sends the first `part` of the body, then kills the server; resolves with the status the client got, if any. */
function uploadAndKillHalfway(url: string, key: string, body: Buffer, child: ChildProcess): Promise<number | 'no answer'> {
  return new Promise((resolve) => {
    const req = request(`${url}/v1/swedbank/payment-files`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/xml', 'content-length': body.length } });
    req.on('response', (res) => resolve(res.statusCode ?? 0));
    req.on('error', () => resolve('no answer'));
    const half = Math.floor(body.length / 2);
    req.write(body.subarray(0, half), () => {
      // The server has taken half of the bytes (they are being stored and parsed): kill it.
      setTimeout(() => child.kill('SIGKILL'), 200);
    });
  });
}

describe('a 100,000-payment file (default body limit) and kill -9 during its upload', () => {
  it('is absent after a kill mid-upload, and complete after a kill right after its 202', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sandbank-large-'));
    let server = await startChild(dir);
    const s = await createSandbox({ baseUrl: () => server.url }, 'swedbank');
    const body = Buffer.from(bulkPain001For(sender(s), 100_000, '2026-03-16', 7, 'LARGE-100K'));
    expect(body.length).toBeGreaterThan(80 * 1024 * 1024);

    const answer = await uploadAndKillHalfway(server.url, s.apiKey, body, server.child);
    await killed(server.child);
    expect(answer).toBe('no answer');
    server = await startChild(dir);
    let target = { baseUrl: () => server.url };
    expect((await call(target, 'GET', '/v1/swedbank/payment-files', { key: s.apiKey })).json.files).toEqual([]);
    const rawDir = join(dir, 'store', 'sandboxes', s.sandboxId, 'raw');
    const stored = () => { try { return readdirSync(rawDir).filter((f) => !f.endsWith('.tmp')); } catch { return []; } };
    expect(stored()).toEqual([]);

    // The whole file: accepted (202) under the default limit, then kill -9 at once.
    const up = await call(target, 'POST', '/v1/swedbank/payment-files', { key: s.apiKey, body, headers: { 'content-type': 'application/xml' } });
    expect(up.status).toBe(202);
    server.child.kill('SIGKILL');
    await killed(server.child);
    server = await startChild(dir);
    target = { baseUrl: () => server.url };
    const file = (await call(target, 'GET', `/v1/swedbank/payment-files/${up.json.fileId}?payments=false`, { key: s.apiKey })).json;
    expect(file).toMatchObject({ fileId: up.json.fileId, status: 'AWAITING_SIGNATURE', numberOfTransactions: 100_000, sizeBytes: body.length });
  }, 240_000);
});
