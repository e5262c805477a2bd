/**
 * The invoicing program's HTTP API on a real port: keys and their scope, Idempotency-Key on
 * every POST, If-Match / 412 / 428 on register edits, paging, the rate limit (429 +
 * Retry-After), the feed's cursors (410 for an expired one, after which the bureau re-lists),
 * problem+json everywhere, the OpenAPI document.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryRecordLog } from '../../client/append-log.ts';
import { BureauProgram, type BureauRecord } from '../../client/bureau/program.ts';
import { call, setupCollaboration, startTestInvoicing, type Collab } from './support.ts';

type App = Awaited<ReturnType<typeof startTestInvoicing>>;
let app: App;
let collab: Collab;
let other: Collab;

beforeAll(async () => {
  app = await startTestInvoicing();
  collab = await setupCollaboration(app.url);
  other = await setupCollaboration(app.url, { companyName: 'Annat AB', organisationNumber: '556111-2222' });
});
afterAll(async () => app?.close());

const customer = { name: 'Acme AB' };

describe('invoicing API', () => {
  it('every POST needs an Idempotency-Key; a retry replays the first answer; other bytes under the same key are refused', async () => {
    const none = await call(app.url, 'POST', '/v1/customers', { key: collab.companyApiKey, json: customer, idempotencyKey: null });
    expect(none.status).toBe(400);
    expect(none.headers.get('content-type')).toBe('application/problem+json');
    expect(none.json).toMatchObject({ code: 'IDEMPOTENCY_KEY_REQUIRED', status: 400 });
    const first = await call(app.url, 'POST', '/v1/customers', { key: collab.companyApiKey, json: customer, idempotencyKey: 'k-1' });
    const again = await call(app.url, 'POST', '/v1/customers', { key: collab.companyApiKey, json: customer, idempotencyKey: 'k-1' });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.json['id']).toBe(first.json['id']);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect((await call(app.url, 'GET', '/v1/customers', { key: collab.companyApiKey })).json.items).toHaveLength(1);
    const reused = await call(app.url, 'POST', '/v1/customers', { key: collab.companyApiKey, json: { name: 'Other' }, idempotencyKey: 'k-1' });
    expect(reused.json).toMatchObject({ status: 422, code: 'IDEMPOTENCY_KEY_REUSED' });
  });

  it('register edits carry If-Match: 428 without, 412 on a stale version, ETag after', async () => {
    const created = await call(app.url, 'POST', '/v1/customers', { key: collab.companyApiKey, json: { name: 'Edit me' } });
    const path = `/v1/customers/${created.json['id']}`;
    expect(created.headers.get('etag')).toBe('"1"');
    expect((await call(app.url, 'PUT', path, { key: collab.companyApiKey, json: { name: 'x' } })).json).toMatchObject({ status: 428, code: 'IF_MATCH_REQUIRED' });
    const ok = await call(app.url, 'PUT', path, { key: collab.companyApiKey, json: { name: 'Edited' }, headers: { 'if-match': '"1"' } });
    expect(ok.headers.get('etag')).toBe('"2"');
    const stale = await call(app.url, 'PUT', path, { key: collab.companyApiKey, json: { name: 'Lost update' }, headers: { 'if-match': '"1"' } });
    expect(stale.json).toMatchObject({ status: 412, code: 'VERSION_MISMATCH', currentVersion: 2 });
    expect((await call(app.url, 'GET', path, { key: collab.companyApiKey })).json['name']).toBe('Edited');
  });

  it('a bureau key reads only its own collaborations and never the company endpoints', async () => {
    expect((await call(app.url, 'GET', '/v1/customers', { key: collab.bureauApiKey })).json).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    expect((await call(app.url, 'GET', `/v1/collaborations/${other.collaborationId}/changes`, { key: collab.bureauApiKey })).json).toMatchObject({ status: 404, code: 'COLLABORATION_NOT_FOUND' });
    expect((await call(app.url, 'GET', `/v1/collaborations/${collab.collaborationId}/changes`, { key: collab.companyApiKey })).json).toMatchObject({ status: 403 });
    expect((await call(app.url, 'GET', '/v1/customers')).json).toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
    expect((await call(app.url, 'GET', '/v1/collaborations', { key: collab.bureauApiKey })).json.items?.map((c) => c['id'])).toEqual([collab.collaborationId]);
  });

  it('the next invoice number is configurable, never back onto a used one', async () => {
    const c = await call(app.url, 'POST', '/v1/customers', { key: other.companyApiKey, json: customer });
    const settings = await call(app.url, 'GET', '/v1/settings', { key: other.companyApiKey });
    const moved = await call(app.url, 'PUT', '/v1/settings', { key: other.companyApiKey, json: { nextInvoiceNumber: 5000 }, headers: { 'if-match': `"${settings.json['version']}"` } });
    expect(moved.json['nextInvoiceNumber']).toBe(5000);
    const invoice = await call(app.url, 'POST', '/v1/invoices', { key: other.companyApiKey, json: { customerId: c.json['id'], lines: [{ description: 'x', quantity: 1, unitPriceOre: 100, vatRate: 25 }] } });
    expect(invoice.json).toMatchObject({ number: 5000, ocr: '500066', dueDate: '2026-04-01' });
    const back = await call(app.url, 'PUT', '/v1/settings', { key: other.companyApiKey, json: { nextInvoiceNumber: 4000 }, headers: { 'if-match': `"${Number(moved.json['version']) + 1}"` } });
    expect(back.json).toMatchObject({ status: 409, code: 'INVOICE_NUMBER_TAKEN' });
    const credit = await call(app.url, 'POST', `/v1/invoices/${invoice.json['id']}/credit`, { key: other.companyApiKey, json: {} });
    expect(credit.json).toMatchObject({ number: 5001, kind: 'credit', creditOf: 5000 });
    expect((await call(app.url, 'POST', `/v1/invoices/${invoice.json['id']}/credit`, { key: other.companyApiKey, json: {} })).json).toMatchObject({ code: 'INVOICE_ALREADY_CREDITED' });
  });

  it('invalid bodies are 400 problems listing every field', async () => {
    const bad = await call(app.url, 'POST', '/v1/invoices', { key: collab.companyApiKey, json: { customerId: 'cus_1', lines: [{ quantity: 0, vatRate: 7 }] } });
    expect(bad.json).toMatchObject({ status: 400, code: 'INVALID_REQUEST' });
    expect((bad.json['errors'] as unknown[]).length).toBeGreaterThanOrEqual(2);
    const broken = await fetch(`${app.url}/v1/customers`, { method: 'POST', headers: { authorization: `Bearer ${collab.companyApiKey}`, 'content-type': 'application/json', 'idempotency-key': 'b' }, body: '{"name":' });
    expect(await broken.json()).toMatchObject({ code: 'INVALID_JSON' });
    expect((await call(app.url, 'GET', '/v1/nothing', { key: collab.companyApiKey })).json).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    expect((await call(app.url, 'DELETE', '/v1/customers', { key: collab.companyApiKey })).json).toMatchObject({ status: 405 });
  });

  it('lists are paged with meta; the feed pages with cursors', async () => {
    for (let i = 0; i < 5; i++) await call(app.url, 'POST', '/v1/articles', { key: collab.companyApiKey, json: { name: `Artikel ${i}`, unitPriceOre: 100 * i, vatRate: 25 } });
    const second = await call(app.url, 'GET', '/v1/articles?page=2&limit=2', { key: collab.companyApiKey });
    expect(second.json['meta']).toEqual({ page: 2, limit: 2, total: 5, totalPages: 3 });
    expect(second.json.items?.map((a) => a['name'])).toEqual(['Artikel 2', 'Artikel 3']);
    const base = `/v1/collaborations/${collab.collaborationId}/changes`;
    const p1 = await call(app.url, 'GET', `${base}?limit=3`, { key: collab.bureauApiKey });
    expect(p1.json).toMatchObject({ nextCursor: '3', hasMore: true });
    expect((p1.json['entries'] as Record<string, unknown>[])[0]).toMatchObject({ cursor: '1', entity: 'customer', version: 1, operation: 'created' });
    const p2 = await call(app.url, 'GET', `${base}?after=3&limit=3`, { key: collab.bureauApiKey });
    expect((p2.json['entries'] as Record<string, unknown>[]).map((e) => e['cursor'])).toEqual(['4', '5', '6']);
    expect((await call(app.url, 'GET', `${base}?after=999`, { key: collab.bureauApiKey })).json).toMatchObject({ status: 400, code: 'CURSOR_INVALID' });
  });

  it('a cursor older than the retained log is 410; the bureau re-lists and then follows the feed', async () => {
    const bureau = await BureauProgram.create({ log: new MemoryRecordLog<BureauRecord>(), baseUrl: app.url, apiKey: collab.bureauApiKey, collaborationId: collab.collaborationId });
    await bureau.sync({ pageSize: 2, stopAfterPages: 1 });
    expect(bureau.cursor).toBe('2');
    const companyId = app.service.collaborations.find((c) => c.id === collab.collaborationId)?.companyId ?? '';
    app.service.compactFeed(companyId, 2);
    const expired = await call(app.url, 'GET', `/v1/collaborations/${collab.collaborationId}/changes?after=2`, { key: collab.bureauApiKey });
    expect(expired.json).toMatchObject({ status: 410, code: 'CURSOR_EXPIRED', headCursor: app.service.headCursor(companyId) });
    const result = await bureau.sync();
    expect(result.relisted).toBe(true);
    expect(bureau.cursor).toBe(app.service.headCursor(companyId));
    expect([...bureau.articles.keys()]).toHaveLength(5);
    expect(bureau.customers.get('cus_000002')).toMatchObject({ name: 'Edited', version: 2 });
  });

  it('the rate limit per key answers 429 with Retry-After; the bureau waits it out', async () => {
    const limited = await startTestInvoicing({ rateLimit: { requests: 3, windowMs: 60_000 } });
    try {
      const c = await setupCollaboration(limited.url);
      const answers = [];
      for (let i = 0; i < 4; i++) answers.push(await call(limited.url, 'GET', '/v1/customers', { key: c.companyApiKey }));
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 429]);
      expect(answers[3]?.headers.get('retry-after')).toBe('60');
      expect(answers[3]?.json).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: 60 });
      // Per key: the bureau's own key is not yet limited.
      expect((await call(limited.url, 'GET', `/v1/collaborations/${c.collaborationId}`, { key: c.bureauApiKey })).status).toBe(200);
      const waits: number[] = [];
      const bureau = await BureauProgram.create({
        log: new MemoryRecordLog<BureauRecord>(), baseUrl: limited.url, apiKey: c.bureauApiKey, collaborationId: c.collaborationId,
        // The test's sleep opens a fresh window instead of waiting a minute.
        connection: { sleep: async (ms) => { waits.push(ms); limited.rateLimiter.set({ requests: 3, windowMs: 60_000 }); } },
      });
      for (let i = 0; i < 3; i++) await bureau.sync();
      expect(waits).toContain(60_000);
    } finally {
      await limited.close();
    }
  });

  it('serves its OpenAPI document and docs page', async () => {
    const doc = await call(app.url, 'GET', '/openapi.json');
    expect(doc.json['openapi']).toBe('3.1.0');
    expect(Object.keys(doc.json['paths'] as object)).toContain('/v1/collaborations/{collaborationId}/changes');
    const page = await fetch(`${app.url}/docs`);
    expect(await page.text()).toContain('problem-CURSOR_EXPIRED');
  });
});
