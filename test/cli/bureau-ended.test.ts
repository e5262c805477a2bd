/**
 * The bureau's program when the invoicing program closes the collaboration (403
 * COLLABORATION_ENDED after a termination): through the real binaries, `bureau sync` stops
 * with one line and a non-zero exit, never retries, never asks the service again (it still
 * says so with the service gone), `bureau status` shows the stop, and writes that would go to
 * the service are refused with the same line while the bureau's own copy stays readable.
 * COLLABORATION_READ_ONLY is handled the same, over a fake transport (the service answers it
 * to the customer's writes, so no bureau request meets it there).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryRecordLog } from '../../client/append-log.ts';
import { BureauError, BureauProgram, type BureauRecord } from '../../client/bureau/program.ts';
import { killed, printedKeys, startInvoicingChild, type ServiceChild } from '../bureau/children.ts';
import { call, tempDir } from '../bureau/support.ts';
import { sandbankAsync } from '../support/cli.ts';

let service: ServiceChild;
let keys: ReturnType<typeof printedKeys>;
let bureau: string[];

beforeAll(async () => {
  service = await startInvoicingChild(tempDir('ended-invoicing'));
  keys = printedKeys(service.output);
  bureau = ['bureau', '--data', join(tempDir('ended-bureau'), 'bureau.log')];
  const init = await sandbankAsync([...bureau, '--url', service.url, 'init', '--key', keys.bureauApiKey, '--collaboration', keys.collaborationId]);
  expect(init.code, init.stderr).toBe(0);
}, 60_000);
afterAll(async () => service && killed(service.child));

function expectOneLine(stderr: string, pattern: RegExp): void {
  const lines = stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(stderr).not.toMatch(/\n\s+at |node:internal|\.ts:\d+/);
}

describe("the bureau's program after the collaboration ended (real CLI)", () => {
  it('sync stops with one line, status says so, nothing is retried or asked again, the local copy stays', async () => {
    const customer = await call(service.url, 'POST', '/v1/customers', { key: keys.companyApiKey, json: { name: 'Acme AB' } });
    await call(service.url, 'POST', '/v1/invoices', { key: keys.companyApiKey, json: { customerId: customer.json['id'], lines: [{ description: 'Timme', quantity: 2, unitPriceOre: 95_000, vatRate: 25 }] } });
    const first = await sandbankAsync([...bureau, 'sync']);
    expect(first.code, first.stderr).toBe(0);
    // In a pipe the sync prints its result and no progress.
    expect(first.stderr).toBe('');
    expect((await sandbankAsync([...bureau, 'status'])).stdout).toMatch(/sync\s+active/);

    // `sandbank invoicing start` activated its ready-made collaboration: the bureau terminates it.
    const terminate = await sandbankAsync(['collaboration', '--url', service.url, '--key', keys.bureauApiKey, 'terminate', keys.collaborationId, '--mode', 'standalone']);
    expect(terminate.code, terminate.stderr).toBe(0);

    const stopped = await sandbankAsync([...bureau, 'sync']);
    expect(stopped.code).toBe(1);
    expectOneLine(stopped.stderr, new RegExp(`^error: collaboration ${keys.collaborationId} with Kundföretaget AB is closed to the bureau \\(COLLABORATION_ENDED: .*ended .*\\): sync has stopped for good, nothing is retried`));

    const status = await sandbankAsync([...bureau, '--json', 'status']);
    expect(JSON.parse(status.stdout)).toMatchObject({ collaborationId: keys.collaborationId, sync: 'stopped', ended: { code: 'COLLABORATION_ENDED' } });
    expect((await sandbankAsync([...bureau, 'status'])).stdout).toMatch(/sync\s+stopped for good: the invoicing program answered COLLABORATION_ENDED/);

    // The stop is remembered: with the service gone the answer is the same line, not "did not answer".
    await killed(service.child);
    const again = await sandbankAsync([...bureau, 'sync']);
    expect(again.code).toBe(1);
    expectOneLine(again.stderr, /is closed to the bureau \(COLLABORATION_ENDED/);
    const note = await sandbankAsync([...bureau, 'note-add', 'Ett till meddelande']);
    expectOneLine(note.stderr, /is closed to the bureau/);
    const invoices = await sandbankAsync([...bureau, '--json', 'invoices']);
    expect(invoices.code, invoices.stderr).toBe(0);
    expect(JSON.parse(invoices.stdout)).toHaveLength(1);
  }, 120_000);

  it('403 COLLABORATION_READ_ONLY stops it the same way; the outbox item is kept, not dropped', async () => {
    const requests: string[] = [];
    const fake: typeof fetch = async (input, init) => {
      const url = String(input);
      requests.push(`${init?.method ?? 'GET'} ${url.replace(/^http:\/\/invoicing\.test/, '')}`);
      if (url.endsWith('/v1/collaborations/collab_9')) return Response.json({ id: 'collab_9', companyId: 'c1', paymentsRegisteredBy: 'customer', company: { name: 'Läsbolaget AB', organisationNumber: '556677-8899' }, nextInvoiceNumber: 1, headCursor: '0' });
      return new Response(JSON.stringify({ type: '/docs#problem-COLLABORATION_READ_ONLY', title: 'read-only', status: 403, code: 'COLLABORATION_READ_ONLY', detail: 'the collaboration ended 2026-09-30 with read-only access' }), { status: 403, headers: { 'content-type': 'application/problem+json' } });
    };
    const log = new MemoryRecordLog<BureauRecord>();
    const program = await BureauProgram.create({ log, baseUrl: 'http://invoicing.test', apiKey: 'k', collaborationId: 'collab_9', connection: { fetch: fake, sleep: async () => undefined } });
    await expect(program.addNote('Hej')).rejects.toThrow(/is closed to the bureau \(COLLABORATION_READ_ONLY: the collaboration ended 2026-09-30 with read-only access\).*1 change\(s\) for it stay undelivered/);
    const asked = requests.length;
    await expect(program.sync()).rejects.toBeInstanceOf(BureauError);
    expect(requests.length).toBe(asked);
    const reopened = await BureauProgram.open({ log });
    expect([reopened.ended?.code, reopened.pending]).toEqual(['COLLABORATION_READ_ONLY', 1]);
  });
});
