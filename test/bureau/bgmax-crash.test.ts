/**
 * kill -9 in the middle of booking a BgMax file of 1,000 payments, for real:
 * - the bureau's program (the real CLI binary, `sandbank bureau read-bgmax`) is killed while it
 *   pushes the booked payments to the invoicing program; run again on the same file it books
 *   nothing new and pushes the rest;
 * - the invoicing service (a child process) is killed while the bureau pushes and restarted on
 *   the same data and port; the bureau's retries finish the job.
 * Either way: each payment booked once in the bureau (one voucher per payment identity), each
 * registered once in the invoicing program, nothing lost, 1930 equal to the file's deposit,
 * and both programs show the same paid amount on every invoice.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { FileRecordLog } from '../../client/append-log.ts';
import { BureauProgram, type BureauRecord } from '../../client/bureau/program.ts';
import { withBgMaxTotals, writeBgMax, type BgMaxPayment } from '../../formats/bankgirot/bgmax.ts';
import { encodeLatin1 } from '../../formats/bankgirot/fixed-width.ts';
import { generateOcr } from '../../formats/identifiers/ocr.ts';
import { killed, printedKeys, startInvoicingChild, type ServiceChild } from './children.ts';
import { call, tempDir } from './support.ts';

const BIN = fileURLToPath(new URL('../../bin/sandbank.mjs', import.meta.url));
const running: ServiceChild[] = [];
afterEach(async () => {
  for (const s of running.splice(0)) await killed(s.child);
});

const INVOICES = 200;
const PAYMENTS = 1_000;
/** Every 100th payment has an unknown OCR: it waits unmatched and is never pushed. */
const UNKNOWN = PAYMENTS / 100;

/** An invoicing service with the bureau registering payments, 200 invoices of 1 000,00, and the bureau's log synced. */
async function prepared(name: string): Promise<{ dir: string; service: ServiceChild; keys: ReturnType<typeof printedKeys>; data: string; file: string; bytes: Uint8Array; depositOre: number }> {
  const dir = tempDir(name);
  const service = await startInvoicingChild(dir, 0, ['--payments-by', 'bureau']);
  running.push(service);
  const keys = printedKeys(service.output);
  const customer = await call(service.url, 'POST', '/v1/customers', { key: keys.companyApiKey, json: { name: 'Acme AB' } });
  let next = 0;
  await Promise.all(Array.from({ length: 8 }, async () => {
    while (next < INVOICES) {
      const i = next++;
      await call(service.url, 'POST', '/v1/invoices', { key: keys.companyApiKey, idempotencyKey: `bgmax-crash-${i}`, json: { customerId: customer.json['id'], invoiceDate: '2026-03-02', lines: [{ description: `Rad ${i}`, quantity: 1, unitPriceOre: 80_000, vatRate: 25 }] } });
    }
  }));
  const data = join(tempDir(`${name}-bureau`), 'bureau.log');
  const bureau = await BureauProgram.create({ log: new FileRecordLog<BureauRecord>(data), baseUrl: service.url, apiKey: keys.bureauApiKey, collaborationId: keys.collaborationId });
  await bureau.sync();
  const ocrs = [...bureau.invoices.values()].sort((a, b) => a.number - b.number).map((i) => i.ocr);
  await bureau.close();
  expect(ocrs).toHaveLength(INVOICES);

  // Five payments per invoice of 250,00 (the fifth is an over-payment), 1 % with an unknown OCR.
  const payments: BgMaxPayment[] = Array.from({ length: PAYMENTS }, (_, k) => ({
    senderBankgiro: '56781234', reference: k % 100 === 99 ? generateOcr(String(90_000 + k)) : (ocrs[k % INVOICES] ?? ''), referenceAlignment: 'right', amountOre: 25_000 + (k % 3),
    referenceCode: '2', paymentChannel: '1', bgcSerialNumber: String(k + 1), imageFlag: '0', deduction: false, extraReferences: [], information: [], name: `Betalare ${k}`,
  }));
  const text = writeBgMax(withBgMaxTotals({
    version: '01', timestamp: '20260317070000000000', testMarker: 'T',
    sections: [{ payeeBankgiro: '9912346', payeePlusgiro: '', currency: 'SEK', payments, deposit: { payeeBankAccount: '5555555555', paymentDate: '2026-03-16', depositSerialNumber: '1', amountOre: 0, currency: 'SEK', paymentCount: 0, depositType: 'K' } }],
    trailer: { paymentCount: 0, deductionCount: 0, extraReferenceCount: 0, depositCount: 0 },
  }));
  const file = join(dir, 'bgmax-2026-03-16.txt');
  const bytes = encodeLatin1(text);
  writeFileSync(file, bytes);
  return { dir, service, keys, data, file, bytes, depositOre: payments.reduce((s, p) => s + p.amountOre, 0) };
}

async function registered(url: string, key: string): Promise<number> {
  const answer = await call(url, 'GET', '/v1/payments?limit=1', { key });
  return Number((answer.json['meta'] as Record<string, unknown> | undefined)?.['total'] ?? 0);
}

async function allOf(url: string, key: string, entity: 'payments' | 'invoices'): Promise<Record<string, unknown>[]> {
  const all: Record<string, unknown>[] = [];
  for (let page = 1; ; page++) {
    const answer = await call(url, 'GET', `/v1/${entity}?page=${page}&limit=500`, { key });
    all.push(...(answer.json.items ?? []));
    if (page >= Number((answer.json['meta'] as Record<string, unknown>)['totalPages'])) return all;
  }
}

/** Once in each program, nothing lost: the checks both crashes end with. */
async function exactlyOnce(data: string, url: string, key: string, depositOre: number): Promise<void> {
  const bureau = await BureauProgram.open({ log: new FileRecordLog<BureauRecord>(data) });
  const sources = bureau.journal.vouchers.filter((v) => v.series === 'I').map((v) => v.source);
  expect(sources).toHaveLength(PAYMENTS);
  expect(new Set(sources).size).toBe(PAYMENTS);
  expect(bureau.unmatched()).toHaveLength(UNKNOWN);
  expect(bureau.pendingOutbox).toBe(0);
  expect(bureau.trialBalance().find((r) => r.account === '1930')?.balanceOre).toBe(depositOre);
  const payments = await allOf(url, key, 'payments');
  expect(payments).toHaveLength(PAYMENTS - UNKNOWN);
  expect(new Set(payments.map((p) => p['identity'])).size).toBe(PAYMENTS - UNKNOWN);
  for (const invoice of await allOf(url, key, 'invoices')) expect(Number(invoice['paidOre'] ?? 0), String(invoice['number'])).toBe(bureau.paidOre(String(invoice['id'])));
  await bureau.close();
}

describe('kill -9 in the middle of booking a 1,000-payment BgMax file', () => {
  it("of the bureau's program (the CLI): read again, each payment is booked and registered once", async () => {
    const { service, keys, data, file, depositOre } = await prepared('bgmax-kill-bureau');
    const reading = spawn(process.execPath, [BIN, 'bureau', '--data', data, '--json', 'read-bgmax', file], { stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => reading.once('exit', (code) => resolve(code)));
    let seen = 0;
    while (seen < 300 && reading.exitCode === null) {
      await new Promise((r) => setTimeout(r, 20));
      seen = await registered(service.url, keys.companyApiKey);
    }
    reading.kill('SIGKILL');
    await exited;
    const atKill = await registered(service.url, keys.companyApiKey);
    expect(atKill).toBeGreaterThanOrEqual(300);
    expect(atKill).toBeLessThan(PAYMENTS - UNKNOWN);

    const again = spawn(process.execPath, [BIN, 'bureau', '--data', data, '--json', 'read-bgmax', file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    again.stdout.on('data', (c: Buffer) => (out += c.toString()));
    expect(await new Promise((resolve) => again.once('exit', resolve))).toBe(0);
    const [result] = JSON.parse(out) as { booked: unknown[]; unmatched: unknown[]; alreadyRead: number; pushed: number }[];
    expect(result).toMatchObject({ booked: [], unmatched: [], alreadyRead: PAYMENTS });
    expect(result?.pushed).toBeGreaterThan(0);
    await exactlyOnce(data, service.url, keys.companyApiKey, depositOre);
  }, 120_000);

  it('of the invoicing service while the bureau pushes: restarted, the bureau finishes; nothing twice', async () => {
    const prep = await prepared('bgmax-kill-invoicing');
    let service = prep.service;
    const port = Number(new URL(service.url).port);
    const bureau = await BureauProgram.open({ log: new FileRecordLog<BureauRecord>(prep.data), connection: { attempts: 40, baseDelayMs: 50, maxDelayMs: 500 } });
    const reading = bureau.readBgMax(prep.bytes);
    let restarted: Promise<void> | undefined;
    while (!restarted) {
      await new Promise((r) => setTimeout(r, 20));
      if ((await registered(service.url, prep.keys.companyApiKey)) >= 300) {
        restarted = killed(service.child).then(async () => {
          service = await startInvoicingChild(prep.dir, port, ['--payments-by', 'bureau']);
          running.push(service);
        });
      }
    }
    await restarted;
    const result = await reading;
    expect(result.booked).toHaveLength(PAYMENTS - UNKNOWN);
    expect((await bureau.readBgMax(prep.bytes)).alreadyRead).toBe(PAYMENTS);
    await bureau.close();
    await exactlyOnce(prep.data, service.url, prep.keys.companyApiKey, prep.depositOre);
  }, 120_000);
});
