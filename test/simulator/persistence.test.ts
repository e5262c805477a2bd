/**
 * Persistence with lowdb on real files: a restart keeps every sandbox exactly, and a kill -9
 * during concurrent uploads loses no acknowledged (202) file and duplicates none.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createRandom } from '../../formats/random.ts';
import { startSimulator } from '../../simulator/app.ts';
import { LowdbStore } from '../../simulator/store/lowdb.ts';
import { pain001For } from '../support/payment-files.ts';
import { call, createSandbox, sender } from './api-suite.ts';

const BIN = fileURLToPath(new URL('../../bin/sandbank.mjs', import.meta.url));
const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

async function startChild(dir: string, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [BIN, 'start', '--port', String(port), '--data', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  await new Promise<void>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${output}`)), 20_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('is running at')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`server exited ${code}: ${output}`)));
  });
  return child;
}

describe('persistence (lowdb, one document per sandbox / file / report / day)', () => {
  it('restart: stop, start on the same data, same state', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sandbank-restart-'));
    const first = await startSimulator({ store: new LowdbStore(dir), random: createRandom(3) });
    const target = { baseUrl: () => first.url };
    const s = await createSandbox(target, 'swedbank');
    const up = await call(target, 'POST', '/v1/swedbank/payment-files', { key: s.apiKey, body: pain001For(sender(s), [{ amountOre: 700, date: '2026-03-12' }]), headers: { 'content-type': 'application/xml', 'idempotency-key': 'r1' } });
    await call(target, 'POST', `/v1/swedbank/payment-files/${up.json.fileId}/signatures`, { key: s.apiKey, json: { signedBy: 'A', role: 'administrator', verification: 'totp' } });
    await call(target, 'POST', `/sandboxes/${s.sandboxId}/clock/advance`, { key: s.apiKey, json: { days: 2 } });
    const before = {
      file: (await call(target, 'GET', `/v1/swedbank/payment-files/${up.json.fileId}`, { key: s.apiKey })).json,
      balances: (await call(target, 'GET', `/v1/swedbank/accounts/${s.accounts[0]?.accountId}/balances`, { key: s.apiKey })).json,
      reports: (await call(target, 'GET', '/v1/swedbank/reports', { key: s.apiKey })).json,
    };
    await first.close();

    const second = await startSimulator({ store: new LowdbStore(dir), random: createRandom(4) });
    const again = { baseUrl: () => second.url };
    try {
      expect((await call(again, 'GET', `/v1/swedbank/payment-files/${up.json.fileId}`, { key: s.apiKey })).json).toEqual(before.file);
      expect((await call(again, 'GET', `/v1/swedbank/accounts/${s.accounts[0]?.accountId}/balances`, { key: s.apiKey })).json).toEqual(before.balances);
      expect((await call(again, 'GET', '/v1/swedbank/reports', { key: s.apiKey })).json).toEqual(before.reports);
      const lastReport = before.reports.reports.at(-1);
      const raw = await call(again, 'GET', `/v1/swedbank/reports/${lastReport.reportId}`, { key: s.apiKey });
      expect(raw.status).toBe(200);
      expect(raw.text).toContain('<Document');
      const hit = await call(again, 'POST', '/v1/swedbank/payment-files', { key: s.apiKey, body: pain001For(sender(s), [{ amountOre: 700, date: '2026-03-12' }]), headers: { 'content-type': 'application/xml', 'idempotency-key': 'r1' } });
      expect(hit.json.fileId).toBe(up.json.fileId);
    } finally {
      await second.close();
    }
  });

  it('crash: kill -9 during concurrent uploads; every 202 file is there after restart, none twice', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sandbank-crash-'));
    const port = 41_000 + Math.floor(Math.random() * 2000);
    const child = await startChild(dir, port);
    const target = { baseUrl: () => `http://127.0.0.1:${port}` };
    const s = await createSandbox(target, 'swedbank');
    const acknowledged = new Map<string, string>();
    const uploads = Array.from({ length: 60 }, (_, i) => (async () => {
      const body = pain001For(sender(s), [{ amountOre: 100 + i, date: '2026-03-16' }], { messageId: `CRASH-${i}` });
      try {
        const res = await call(target, 'POST', '/v1/swedbank/payment-files', { key: s.apiKey, body, headers: { 'content-type': 'application/xml', 'idempotency-key': `crash-${i}` } });
        if (res.status === 202) {
          acknowledged.set(`crash-${i}`, res.json.fileId as string);
          // Killed once the first upload is acknowledged, while the others are in flight (a
          // fixed delay acknowledged none on a loaded machine).
          if (acknowledged.size === 1) setTimeout(() => child.kill('SIGKILL'), 5);
        }
      } catch {
        // the connection died with the server: not acknowledged, may or may not be stored
      }
    })());
    // Killed while uploads are in flight: some are acknowledged, some die with the connection.
    await Promise.all(uploads);
    if (child.exitCode === null && child.signalCode === null) await new Promise((resolve) => child.once('exit', resolve));
    console.log(`crash test: ${acknowledged.size} of 60 uploads acknowledged before kill -9`);
    expect(acknowledged.size).toBeGreaterThan(0);

    const restarted = await startChild(dir, port);
    try {
      const files = (await call(target, 'GET', '/v1/swedbank/payment-files', { key: s.apiKey })).json.files as { fileId: string; messageId: string; status: string }[];
      for (const [, fileId] of acknowledged) expect(files.map((f) => f.fileId)).toContain(fileId);
      const ids = files.map((f) => f.messageId);
      expect(new Set(ids).size).toBe(ids.length);
      expect(files.every((f) => f.status !== 'RECEIVED')).toBe(true);
      // Retrying every upload with its key after the restart creates nothing new.
      for (let i = 0; i < 60; i++) {
        const body = pain001For(sender(s), [{ amountOre: 100 + i, date: '2026-03-16' }], { messageId: `CRASH-${i}` });
        const res = await call(target, 'POST', '/v1/swedbank/payment-files', { key: s.apiKey, body, headers: { 'content-type': 'application/xml', 'idempotency-key': `crash-${i}` } });
        const known = acknowledged.get(`crash-${i}`);
        if (known) expect(res.json.fileId).toBe(known);
      }
      const after = (await call(target, 'GET', '/v1/swedbank/payment-files', { key: s.apiKey })).json.files as unknown[];
      expect(after).toHaveLength(60);
    } finally {
      restarted.kill('SIGKILL');
    }
  }, 60_000);
});
