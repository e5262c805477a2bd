/**
 * A real kill -9 of a `sandbank start` process during cut-off processing: 800 payments are
 * due; the process is killed as soon as the cut-off's group of documents is being written (its
 * journal appears). After a restart every executed payment has its camt.054, its pain.002 ACSC
 * and its event, exactly once; advancing again executes the rest once; a second restart
 * changes nothing. All through the real CLI binary and HTTP.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { call, createSandbox, sender } from '../simulator/api-suite.ts';
import { pain001For } from '../support/payment-files.ts';
import { completenessProblems } from '../support/report-completeness.ts';

const BIN = fileURLToPath(new URL('../../bin/sandbank.mjs', import.meta.url));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
});

async function start(dir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [BIN, 'start', '--port', '0', '--data', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 30_000);
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /running at (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
    child.once('exit', (code) => reject(new Error(`server exited ${code}: ${out}`)));
  });
  return { child, url };
}

async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

interface View {
  payments: { paymentId: string; endToEndId: string; status: string }[];
  reports: { reportId: string; type: string; body: string }[];
  events: { type: string; sequence: number; data: Record<string, unknown> }[];
}

async function view(url: string, s: { sandboxId: string; apiKey: string }): Promise<View> {
  const target = { baseUrl: () => url };
  const payments = (await call(target, 'GET', '/v1/swedbank/payments', { key: s.apiKey })).json.payments as View['payments'];
  const list = (await call(target, 'GET', '/v1/swedbank/reports?limit=1000', { key: s.apiKey })).json.reports as { reportId: string; type: string }[];
  const reports: View['reports'] = [];
  for (const r of list) reports.push({ reportId: r.reportId, type: r.type, body: (await call(target, 'GET', `/v1/swedbank/reports/${r.reportId}`, { key: s.apiKey })).text });
  const events = (await call(target, 'GET', `/sandboxes/${s.sandboxId}/events`, { key: s.apiKey })).json.events as View['events'];
  return { payments, reports, events };
}

describe('kill -9 of the server during cut-off processing', () => {
  it('after a restart every executed payment has camt.054, pain.002 and its event once; a second restart changes nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sandbank-kill-cutoff-'));
    const first = await start(dir);
    const target = { baseUrl: () => first.url };
    const s = await createSandbox(target, 'swedbank', { seed: 77, start: '2026-03-16T08:00:00', openingBalancesOre: [100_000_000_00, 0] });
    for (const f of [0, 1]) {
      const payments = Array.from({ length: 400 }, (_, i) => ({ amountOre: 10_00 + i, date: '2026-03-16', endToEndId: `KILL-${f}-${i}` }));
      const up = await call(target, 'POST', '/v1/swedbank/payment-files', { key: s.apiKey, body: pain001For(sender(s), payments, { messageId: `KILL-${f}` }), headers: { 'content-type': 'application/xml' } });
      expect(up.status).toBe(202);
      const signed = await call(target, 'POST', `/v1/swedbank/payment-files/${up.json.fileId}/signatures`, { key: s.apiKey, json: { signedBy: 'Admin', role: 'administrator', verification: 'totp' } });
      expect(signed.status).toBe(201);
    }
    // The first group written with a journal in this advance is the cut-off's: kill -9 the moment it appears.
    const journal = join(dir, 'store', '.journal');
    const advance = call(target, 'POST', `/sandboxes/${s.sandboxId}/clock/advance`, { key: s.apiKey, json: { to: '2026-03-16T23:00:00' } }).catch(() => undefined);
    let sawJournal = false;
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline && first.child.exitCode === null) {
      if (existsSync(journal) && readdirSync(journal).some((n) => !n.startsWith('.'))) {
        sawJournal = true;
        break;
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
    await kill(first.child);
    await advance;

    const second = await start(dir);
    const afterCrash = await view(second.url, s);
    const executedAfterCrash = afterCrash.payments.filter((p) => p.status === 'EXECUTED').length;
    console.log(`kill -9 ${sawJournal ? 'while the cut-off group was being written' : 'without seeing the journal'}: ${executedAfterCrash} of 800 payments executed after the restart`);
    expect(completenessProblems(afterCrash)).toEqual([]);

    const again = await call({ baseUrl: () => second.url }, 'POST', `/sandboxes/${s.sandboxId}/clock/advance`, { key: s.apiKey, json: { to: '2026-03-16T23:00:00' } });
    expect(again.status).toBe(200);
    const completed = await view(second.url, s);
    expect(completenessProblems(completed)).toEqual([]);
    expect(completed.payments.filter((p) => p.status === 'EXECUTED')).toHaveLength(800);
    await kill(second.child);

    const third = await start(dir);
    expect(await view(third.url, s)).toEqual(completed);
    await kill(third.child);
  }, 180_000);
});
