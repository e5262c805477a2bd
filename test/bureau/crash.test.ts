/**
 * Crashes, for real: the invoicing service (a child process) is killed -9 while invoices are
 * being written and again in the middle of a bureau sync of 1,000 changes, then restarted on
 * the same data; the bureau's own program (the real CLI binary) is killed -9 mid-sync and
 * resumes from its persisted cursor. Nothing acknowledged is lost, nothing is applied twice.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { FileRecordLog } from '../../client/append-log.ts';
import { BureauProgram, type BureauRecord } from '../../client/bureau/program.ts';
import { killed, printedKeys, startInvoicingChild, type ServiceChild } from './children.ts';
import { call, tempDir } from './support.ts';

const BIN = fileURLToPath(new URL('../../bin/sandbank.mjs', import.meta.url));
const running: ServiceChild[] = [];
afterEach(async () => {
  for (const s of running.splice(0)) await killed(s.child);
});

const INVOICES = 1_000;

async function createInvoices(url: string, key: string, customerId: string, from: number, to: number, stopWhen?: () => boolean): Promise<Set<number>> {
  const acknowledged = new Set<number>();
  let next = from;
  const worker = async () => {
    while (next < to && !stopWhen?.()) {
      const i = next++;
      try {
        const answer = await call(url, 'POST', '/v1/invoices', { key, idempotencyKey: `crash-${i}`, json: { customerId, invoiceDate: '2026-03-02', lines: [{ description: `Rad ${i}`, quantity: 1 + (i % 3), unitPriceOre: 1_000 + i, vatRate: [25, 12, 6, 0][i % 4] }] } });
        if (answer.status === 201) acknowledged.add(i);
      } catch {
        // killed mid-request: not acknowledged
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return acknowledged;
}

async function allInvoices(url: string, key: string): Promise<Record<string, unknown>[]> {
  const all: Record<string, unknown>[] = [];
  for (let page = 1; ; page++) {
    const answer = await call(url, 'GET', `/v1/invoices?page=${page}&limit=500`, { key });
    all.push(...(answer.json.items ?? []));
    if (page >= Number((answer.json['meta'] as Record<string, unknown>)['totalPages'])) return all;
  }
}

describe('kill -9', () => {
  it('of the invoicing service while writing and during a sync of 1,000 changes: nothing lost, nothing twice', async () => {
    const dir = tempDir('invoicing-crash');
    let service = await startInvoicingChild(dir);
    running.push(service);
    const port = Number(new URL(service.url).port);
    const keys = printedKeys(service.output);
    const customer = await call(service.url, 'POST', '/v1/customers', { key: keys.companyApiKey, json: { name: 'Acme AB' } });
    const customerId = String(customer.json['id']);

    // Writes: killed while 8 clients post; every 201 survives, retries with the same keys create nothing new.
    let acked = 0;
    const first = createInvoices(service.url, keys.companyApiKey, customerId, 0, INVOICES, () => acked >= 400);
    const watch = setInterval(() => void call(service.url, 'GET', '/v1/invoices?limit=1', { key: keys.companyApiKey }).then((a) => { acked = Number((a.json['meta'] as Record<string, unknown> | undefined)?.['total'] ?? acked); }, () => undefined), 50);
    await new Promise<void>((resolve) => { const t = setInterval(() => { if (acked >= 300) { clearInterval(t); resolve(); } }, 20); });
    await killed(service.child);
    clearInterval(watch);
    const acknowledged = await first;
    expect(acknowledged.size).toBeLessThan(INVOICES);
    service = await startInvoicingChild(dir, port);
    running.push(service);
    const afterRestart = await allInvoices(service.url, keys.companyApiKey);
    const texts = new Set(afterRestart.map((i) => String((i['lines'] as Record<string, unknown>[])[0]?.['description'])));
    for (const i of acknowledged) expect(texts.has(`Rad ${i}`)).toBe(true);
    await createInvoices(service.url, keys.companyApiKey, customerId, 0, INVOICES);
    const invoices = await allInvoices(service.url, keys.companyApiKey);
    expect(invoices).toHaveLength(INVOICES);
    expect(new Set(invoices.map((i) => i['number'])).size).toBe(INVOICES);

    // Sync: the service is killed -9 a third of the way through and restarted; the bureau retries.
    const bureau = await BureauProgram.create({
      log: new FileRecordLog<BureauRecord>(join(tempDir('bureau-crash'), 'b.log')), baseUrl: service.url, apiKey: keys.bureauApiKey, collaborationId: keys.collaborationId,
      connection: { attempts: 40, baseDelayMs: 50, maxDelayMs: 500 },
    });
    let restarted: Promise<void> | undefined;
    const result = await bureau.sync({
      pageSize: 25,
      onProgress: (p) => {
        if (p.done >= 300 && !restarted) {
          restarted = killed(service.child).then(async () => {
            service = await startInvoicingChild(dir, port);
            running.push(service);
          });
        }
      },
    });
    expect(restarted).toBeDefined();
    await restarted;
    expect(result.vouchers).toBe(INVOICES);
    expect(bureau.invoices.size).toBe(INVOICES);
    const sources = bureau.journal.vouchers.map((v) => v.source);
    expect(new Set(sources).size).toBe(INVOICES);
    const receivable = invoices.reduce((s, i) => s + Number(i['totalOre']), 0);
    expect(bureau.trialBalance().find((r) => r.account === '1510')?.balanceOre).toBe(receivable);
    expect((await bureau.sync()).applied).toBe(0);
    await bureau.close();
  }, 120_000);

  it("of the bureau's program mid-sync: it resumes from its cursor", async () => {
    const dir = tempDir('invoicing-resume');
    const service = await startInvoicingChild(dir);
    running.push(service);
    const keys = printedKeys(service.output);
    const customer = await call(service.url, 'POST', '/v1/customers', { key: keys.companyApiKey, json: { name: 'Acme AB' } });
    await createInvoices(service.url, keys.companyApiKey, String(customer.json['id']), 0, 400);
    const data = join(tempDir('bureau-resume'), 'bureau.log');
    const init = spawn(process.execPath, [BIN, 'bureau', '--data', data, '--url', service.url, 'init', '--key', keys.bureauApiKey, '--collaboration', keys.collaborationId]);
    await new Promise((resolve) => init.once('exit', resolve));

    const sync = spawn(process.execPath, [BIN, 'bureau', '--data', data, 'sync', '--page-size', '5', '--progress'], { stdio: ['ignore', 'pipe', 'pipe'] });
    await new Promise<void>((resolve) => {
      let err = '';
      sync.stderr.on('data', (c: Buffer) => {
        err += c.toString();
        const done = [...err.matchAll(/syncing (\d+)\//g)].map((m) => Number(m[1]));
        if ((done[done.length - 1] ?? 0) >= 100) resolve();
      });
    });
    sync.kill('SIGKILL');
    await new Promise((resolve) => sync.once('exit', resolve));

    const partial = await BureauProgram.open({ log: new FileRecordLog<BureauRecord>(data) });
    const cursor = Number(partial.cursor);
    expect(cursor).toBeGreaterThanOrEqual(100);
    expect(cursor).toBeLessThan(401);
    expect(partial.invoices.size).toBe(cursor - 1); // the customer first, then one invoice per change
    expect(partial.journal.vouchers).toHaveLength(cursor - 1);
    await partial.close();

    const again = spawn(process.execPath, [BIN, 'bureau', '--data', data, '--json', 'sync'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    again.stdout.on('data', (c: Buffer) => (out += c.toString()));
    await new Promise((resolve) => again.once('exit', resolve));
    const result = JSON.parse(out) as { applied: number; skipped: number; vouchers: number; cursor: string };
    expect(result).toMatchObject({ applied: 401 - cursor, skipped: 0, vouchers: 401 - cursor, cursor: '401' });
    const final = await BureauProgram.open({ log: new FileRecordLog<BureauRecord>(data) });
    expect(final.journal.vouchers).toHaveLength(400);
    expect(new Set(final.journal.vouchers.map((v) => v.source)).size).toBe(400);
    await final.close();
  }, 120_000);
});
