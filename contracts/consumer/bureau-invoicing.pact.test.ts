/**
 * Consumer contract of the bureau's program with the invoicing program, generated from the
 * real InvoicingConnection (client/bureau) for what the bureau uses: feed pages, the expired
 * cursor (410), the stale document version (412), the rate limit (429 + Retry-After),
 * document content and status, notes. The pact is committed under contracts/pacts/bureau/;
 * this test fails if it is stale (regenerate with UPDATE_PACTS=1 npm test and review).
 */
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MatchersV3, PactV4 } from '@pact-foundation/pact';
import { afterAll, describe, expect, it } from 'vitest';
import { CursorExpired, InvoicingApiError, InvoicingConnection } from '../../client/bureau/connection.ts';
import { BUREAU_CONSUMER, CONTRACT_BUREAU_KEY, CONTRACT_COLLABORATION, INVOICING_PROVIDER, INVOICING_STATES } from '../bureau/fixtures.ts';

const { regex, string, integer, boolean, eachLike, like } = MatchersV3;
const PACT_DIR = mkdtempSync(join(tmpdir(), 'sandbank-bureau-pacts-'));
const COMMITTED = fileURLToPath(new URL('../pacts/bureau/', import.meta.url));
const FILE = `${BUREAU_CONSUMER}-${INVOICING_PROVIDER}.json`;

const pact = new PactV4({ consumer: BUREAU_CONSUMER, provider: INVOICING_PROVIDER, dir: PACT_DIR, logLevel: 'error' });
const base = `/v1/collaborations/${CONTRACT_COLLABORATION}`;
const auth = { authorization: regex(/^Bearer \S+$/, `Bearer ${CONTRACT_BUREAU_KEY}`) };
const json = { 'Content-Type': regex(/^application\/json.*$/, 'application/json') };
const problemJson = { 'Content-Type': 'application/problem+json' };
const problem = (code: string, status: number) => ({ type: string('/docs#problem-X'), title: string('title'), status: integer(status), detail: string('detail'), code });
const cursor = (example: string) => regex(/^\d+$/, example);
const dateTime = string('2026-03-02T09:00:00');

function respond<H>(b: { jsonBody(body: unknown): { headers(headers: H): unknown } }, headers: H, body: unknown): void {
  b.jsonBody(body).headers(headers);
}

function connection(server: { url: string }, extra: Partial<ConstructorParameters<typeof InvoicingConnection>[0]> = {}): InvoicingConnection {
  return new InvoicingConnection({ baseUrl: server.url, apiKey: CONTRACT_BUREAU_KEY, collaborationId: CONTRACT_COLLABORATION, attempts: 1, ...extra });
}

describe('bureau → invoicing contract', () => {
  it('reads the collaboration', async () => {
    await pact.addInteraction().given(INVOICING_STATES.collaboration).uponReceiving('a request for the collaboration')
      .withRequest('GET', base, (b) => b.headers(auth))
      .willRespondWith(200, (b) => respond(b, json, { id: CONTRACT_COLLABORATION, companyId: string('co_000001'), bureauId: string('bu_000001'), paymentsRegisteredBy: regex(/^(customer|bureau)$/, 'customer'), company: { name: string('Kontraktsbolaget AB'), organisationNumber: string('5565123456') }, nextInvoiceNumber: integer(1001), headCursor: cursor('0') }))
      .executeTest(async (server) => {
        expect((await connection(server).collaboration()).nextInvoiceNumber).toBe(1001);
      });
  });

  it('reads a page of the change feed with entity, id, version, operation and the record', async () => {
    await pact.addInteraction().given(INVOICING_STATES.threeChanges).uponReceiving('a request for the first page of changes')
      .withRequest('GET', `${base}/changes`, (b) => b.headers(auth).query({ after: '0', limit: '2' }))
      .willRespondWith(200, (b) => respond(b, json, {
        entries: [
          { cursor: cursor('1'), entity: 'customer', id: string('cus_000001'), version: integer(1), operation: 'created', at: dateTime, data: like({ id: 'cus_000001', version: 1, customerNumber: '1', name: 'Acme AB', paymentTermsDays: 30 }) },
          { cursor: cursor('2'), entity: 'article', id: string('art_000001'), version: integer(1), operation: 'created', at: dateTime, data: like({ id: 'art_000001', version: 1, articleNumber: '1', name: 'Konsulttimme', unit: 'st', unitPriceOre: 95_000, vatRate: 25 }) },
        ],
        nextCursor: cursor('2'), hasMore: boolean(true), headCursor: cursor('3'),
      }))
      .executeTest(async (server) => {
        const page = await connection(server).changes('0', 2);
        expect(page.entries.map((e) => e.entity)).toEqual(['customer', 'article']);
        expect(page).toMatchObject({ nextCursor: '2', hasMore: true });
      });
    await pact.addInteraction().given(INVOICING_STATES.threeChanges).uponReceiving('a request for the last page of changes')
      .withRequest('GET', `${base}/changes`, (b) => b.headers(auth).query({ after: '2', limit: '2' }))
      .willRespondWith(200, (b) => respond(b, json, {
        entries: [{
          cursor: cursor('3'), entity: 'invoice', id: string('inv_000001'), version: integer(1), operation: 'created', at: dateTime,
          data: like({ id: 'inv_000001', version: 1, number: 1001, kind: 'invoice', customerId: 'cus_000001', customerName: 'Acme AB', invoiceDate: '2026-03-02', dueDate: '2026-04-01', lines: [{ description: 'Konsulttimme', quantity: 2, unitPriceOre: 95_000, vatRate: 25, netOre: 190_000 }], vat: [{ rate: 25, baseOre: 190_000, vatOre: 47_500 }], netOre: 190_000, vatOre: 47_500, roundingOre: 0, totalOre: 237_500, ocr: '100164' }),
        }],
        nextCursor: cursor('3'), hasMore: false, headCursor: cursor('3'),
      }))
      .executeTest(async (server) => {
        const page = await connection(server).changes('2', 2);
        expect(page.entries[0]?.data).toMatchObject({ number: 1001, totalOre: 237_500 });
        expect(page.hasMore).toBe(false);
      });
  });

  it('gets 410 for a cursor older than the retained log, and re-lists', async () => {
    await pact.addInteraction().given(INVOICING_STATES.expired).uponReceiving('a request for changes after an expired cursor')
      .withRequest('GET', `${base}/changes`, (b) => b.headers(auth).query({ after: '0', limit: '500' }))
      .willRespondWith(410, (b) => respond(b, problemJson, { ...problem('CURSOR_EXPIRED', 410), headCursor: cursor('3'), oldestCursor: cursor('2') }))
      .executeTest(async (server) => {
        const error = await connection(server).changes('0', 500).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(CursorExpired);
        expect((error as CursorExpired).problem['headCursor']).toBe('3');
      });
    await pact.addInteraction().given(INVOICING_STATES.expired).uponReceiving('a re-list of invoices')
      .withRequest('GET', `${base}/invoices`, (b) => b.headers(auth).query({ page: '1', limit: '500' }))
      .willRespondWith(200, (b) => respond(b, json, { items: eachLike({ id: string('inv_000001'), version: integer(1), number: integer(1001), totalOre: integer(237_500) }), meta: { page: integer(1), limit: integer(500), total: integer(1), totalPages: integer(1) } }))
      .executeTest(async (server) => {
        expect((await connection(server).list('invoice', 1, 500)).items[0]?.number).toBe(1001);
      });
  });

  it('gets 429 with Retry-After over the rate limit, and waits that long', async () => {
    await pact.addInteraction().given(INVOICING_STATES.rateLimited).uponReceiving('a request over the rate limit')
      .withRequest('GET', `${base}/changes`, (b) => b.headers(auth).query({ after: '0', limit: '500' }))
      .willRespondWith(429, (b) => respond(b, { ...problemJson, 'Retry-After': regex(/^\d+$/, '5') }, { ...problem('RATE_LIMITED', 429), retryAfterSeconds: integer(5) }))
      .executeTest(async (server) => {
        const waited: number[] = [];
        const error = await connection(server, { rateLimitWaits: 1, sleep: async (ms) => void waited.push(ms) }).changes('0', 500).catch((e: unknown) => e);
        expect(waited).toEqual([5_000]);
        expect(error).toBeInstanceOf(InvoicingApiError);
        expect((error as InvoicingApiError).status).toBe(429);
      });
  });

  it('downloads a scanned document and sets its status with If-Match; 412 on a stale version', async () => {
    await pact.addInteraction().given(INVOICING_STATES.document).uponReceiving('a download of a scanned document')
      .withRequest('GET', `${base}/documents/doc_000001/content`, (b) => b.headers(auth))
      .willRespondWith(200, (b) => b.headers({ 'Content-Type': 'application/pdf' }).body('application/pdf', Buffer.from('%PDF-1.4\n')))
      .executeTest(async (server) => {
        expect((await connection(server).documentContent('doc_000001')).contentType).toBe('application/pdf');
      });
    await pact.addInteraction().given(INVOICING_STATES.document).uponReceiving('a document status: registered as a voucher')
      .withRequest('PUT', `${base}/documents/doc_000001/status`, (b) => b.headers({ ...auth, ...json, 'if-match': '"1"' }).jsonBody({ voucher: 'A 17', statusText: 'registered as voucher A 17' }))
      .willRespondWith(200, (b) => respond(b, { ...json, etag: '"2"' }, { id: 'doc_000001', version: 2, status: 'registered', voucher: 'A 17', statusText: 'registered as voucher A 17', kind: string('supplier-invoice'), fileName: string('faktura.pdf'), comment: string('Kontorsmaterial') }))
      .executeTest(async (server) => {
        expect(await connection(server).setDocumentStatus('doc_000001', 1, { voucher: 'A 17', statusText: 'registered as voucher A 17' })).toMatchObject({ status: 'registered', version: 2 });
      });
    await pact.addInteraction().given(INVOICING_STATES.document).uponReceiving('a document status with a stale version')
      .withRequest('PUT', `${base}/documents/doc_000001/status`, (b) => b.headers({ ...auth, ...json, 'if-match': '"7"' }).jsonBody({ voucher: 'A 17', statusText: 'registered as voucher A 17' }))
      .willRespondWith(412, (b) => respond(b, problemJson, { ...problem('VERSION_MISMATCH', 412), currentVersion: integer(1) }))
      .executeTest(async (server) => {
        const error = await connection(server).setDocumentStatus('doc_000001', 7, { voucher: 'A 17', statusText: 'registered as voucher A 17' }).catch((e: unknown) => e);
        expect(error).toMatchObject({ status: 412, code: 'VERSION_MISMATCH' });
      });
  });

  it('posts a notification with an Idempotency-Key', async () => {
    await pact.addInteraction().given(INVOICING_STATES.collaboration).uponReceiving('a notification from the bureau')
      .withRequest('POST', `${base}/notes`, (b) => b.headers({ ...auth, ...json, 'idempotency-key': string('bureau-collab_000001-ob_1') }).jsonBody({ text: 'invoice 1005 reminded', kind: 'notification', subject: { entity: 'invoice', id: 'inv_000005' } }))
      .willRespondWith(201, (b) => respond(b, json, { id: string('note_000001'), version: 1, author: 'bureau', kind: 'notification', text: 'invoice 1005 reminded', createdAt: dateTime, subject: { entity: 'invoice', id: 'inv_000005' }, readByCustomer: false }))
      .executeTest(async (server) => {
        expect(await connection(server).postNote({ text: 'invoice 1005 reminded', kind: 'notification', subject: { entity: 'invoice', id: 'inv_000005' } }, 'bureau-collab_000001-ob_1')).toMatchObject({ author: 'bureau', readByCustomer: false });
      });
  });
});

afterAll(() => {
  if (process.env['UPDATE_PACTS'] === '1') copyFileSync(join(PACT_DIR, FILE), join(COMMITTED, FILE));
  const fresh = JSON.parse(readFileSync(join(PACT_DIR, FILE), 'utf8')) as { metadata?: unknown };
  const stored = JSON.parse(readFileSync(join(COMMITTED, FILE), 'utf8')) as { metadata?: unknown };
  // Pact's metadata names the library versions that wrote the file; the interactions are the contract.
  expect({ ...stored, metadata: undefined }, `contracts/pacts/bureau/${FILE} is stale: run UPDATE_PACTS=1 npm test and review the diff`).toEqual({ ...fresh, metadata: undefined });
});
