/**
 * The collaboration lifecycle through the invoicing program's real API (port 0), driven by a
 * simulated clock: activation, licences, a recipient change from the next period, and
 * termination both ways with the requests that are then refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock, seededKeys, startInvoicing, type InvoicingApp } from '../../client/invoicing/app.ts';
import { MemoryInvoicingStore } from '../../client/invoicing/store.ts';
import { LifecycleStore } from '../../client/collaboration/store.ts';
import { call } from '../bureau/support.ts';

const clock = fixedClock('2026-01-15T09:00:00');
let app: InvoicingApp;
beforeAll(async () => {
  const lifecycles = await LifecycleStore.open();
  app = await startInvoicing({ store: new MemoryInvoicingStore(), clock, newKey: seededKeys(15), lifecycles });
});
afterAll(async () => {
  await app?.close();
});

async function collaboration(name: string) {
  const made = await app.service.createCollaboration({ companyName: name, organisationNumber: '5566778899', bureauName: 'Redovisningsbyrån AB' });
  if (!made.ok) throw new Error(made.message);
  return { id: made.value.collaboration.id, bureau: made.value.bureau.apiKey, company: made.value.company.apiKey };
}

describe('collaboration lifecycle over the invoicing API', () => {
  it('activate, licences enforced, recipient change from the next period, terminate standalone: the feed answers 403 COLLABORATION_ENDED, the customer keeps full use', async () => {
    clock.set('2026-01-15T09:00:00');
    const c = await collaboration('Kundföretaget AB');
    const B = `/v1/collaborations/${c.id}/lifecycle`;
    const K = `/v1/company/collaborations/${c.id}`;
    const activated = await call(app.url, 'POST', `${B}/activation`, { key: c.bureau, json: { recipient: 'bureau', period: 'quarterly', nextInvoiceNumber: 5001 } });
    expect(activated.status).toBe(201);
    expect(activated.json).toMatchObject({ state: 'active', start: '2026-01-01', recipientNow: 'bureau', nextInvoiceNumber: 5001, licences: 1 });

    expect((await call(app.url, 'POST', `${K}/users`, { key: c.company, json: { username: 'anna', name: 'Anna' } })).status).toBe(201);
    const tooMany = await call(app.url, 'POST', `${K}/users`, { key: c.company, json: { username: 'bo', name: 'Bo' } });
    expect([tooMany.status, tooMany.json['code']]).toEqual([409, 'LICENCE_LIMIT_REACHED']);
    expect(String(tooMany.json['detail'])).toContain('buy another user');
    expect((await call(app.url, 'POST', `${K}/users`, { key: c.bureau, json: { username: 'bo' } })).status).toBe(403);
    expect((await call(app.url, 'POST', `${K}/licences`, { key: c.company, json: { count: 1 } })).json['licences']).toBe(2);
    expect((await call(app.url, 'POST', `${K}/users`, { key: c.company, json: { username: 'bo', name: 'Bo' } })).status).toBe(201);

    clock.set('2026-02-20T14:00:00');
    const changed = await call(app.url, 'POST', `${B}/recipient`, { key: c.bureau, json: { recipient: 'customer' } });
    expect(changed.json).toMatchObject({ recipientNow: 'bureau', nextPeriodStart: '2026-04-01' });
    clock.set('2026-03-31T23:59:59');
    expect((await call(app.url, 'GET', B, { key: c.bureau })).json['recipientNow']).toBe('bureau');
    clock.set('2026-04-01T00:00:00');
    const april = await call(app.url, 'GET', B, { key: c.bureau });
    expect(april.json['recipientNow']).toBe('customer');
    expect((april.json['billing'] as { from: string; recipient: string; amountOre: number }[]).map((p) => [p.from, p.recipient, p.amountOre])).toEqual([['2026-01-01', 'bureau', 2 * 109_00 * 3], ['2026-04-01', 'customer', 2 * 109_00 * 3]]);

    expect((await call(app.url, 'GET', `/v1/collaborations/${c.id}/changes`, { key: c.bureau })).status).toBe(200);
    clock.set('2026-05-10T10:00:00');
    expect((await call(app.url, 'POST', `${K}/termination`, { key: c.company, json: { mode: 'standalone' } })).json).toMatchObject({ state: 'ended', termination: { at: '2026-05-10T10:00:00', mode: 'standalone' } });
    const feed = await call(app.url, 'GET', `/v1/collaborations/${c.id}/changes`, { key: c.bureau });
    expect([feed.status, feed.json['code']]).toEqual([403, 'COLLABORATION_ENDED']);
    expect(feed.headers.get('content-type')).toContain('application/problem+json');
    expect((await call(app.url, 'GET', `/v1/collaborations/${c.id}/customers`, { key: c.bureau })).status).toBe(403);
    expect((await call(app.url, 'POST', '/v1/customers', { key: c.company, json: { name: 'Ny kund AB' } })).status).toBe(201);
    const audit = (await call(app.url, 'GET', B, { key: c.bureau })).json['audit'] as { at: string; who: string; action: string }[];
    expect(audit.map((a) => [a.at, a.action])).toEqual([
      ['2026-01-15T09:00:00', 'activated'], ['2026-01-15T09:00:00', 'user-added'], ['2026-01-15T09:00:00', 'licences-bought'], ['2026-01-15T09:00:00', 'user-added'],
      ['2026-02-20T14:00:00', 'recipient-change-scheduled'], ['2026-05-10T10:00:00', 'terminated'],
    ]);
    expect(audit[0]?.who).toBe('bureau Redovisningsbyrån AB');
    expect(audit.at(-1)?.who).toBe('customer administrator, Kundföretaget AB');
  });

  it("a collaboration exists from its activation: before it the bureau's feed and reads answer 409 NOT_ACTIVATED, users cannot be added; created with its terms it is active at once", async () => {
    clock.set('2026-01-20T08:00:00');
    const c = await collaboration('Ännu inte AB');
    for (const path of [`/v1/collaborations/${c.id}/changes`, `/v1/collaborations/${c.id}`, `/v1/collaborations/${c.id}/invoices`]) {
      const refused = await call(app.url, 'GET', path, { key: c.bureau });
      expect([refused.status, refused.json['code']], path).toEqual([409, 'NOT_ACTIVATED']);
      expect(refused.headers.get('content-type')).toContain('application/problem+json');
      expect(String(refused.json['detail'])).toContain(`sandbank collaboration activate ${c.id}`);
    }
    const push = await call(app.url, 'POST', `/v1/collaborations/${c.id}/notes`, { key: c.bureau, json: { text: 'hej' } });
    expect([push.status, push.json['code']]).toEqual([409, 'NOT_ACTIVATED']);
    const user = await call(app.url, 'POST', `/v1/company/collaborations/${c.id}/users`, { key: c.company, json: { username: 'anna' } });
    expect([user.status, user.json['code']]).toEqual([409, 'NOT_ACTIVATED']);
    // The customer's own program works as it would without a bureau; another bureau's key sees nothing.
    expect((await call(app.url, 'POST', '/v1/customers', { key: c.company, json: { name: 'Kund AB' } })).status).toBe(201);
    expect((await call(app.url, 'GET', `/v1/collaborations/collab_999999/changes`, { key: c.bureau })).json['code']).toBe('COLLABORATION_NOT_FOUND');
    expect((await call(app.url, 'POST', `/v1/collaborations/${c.id}/lifecycle/activation`, { key: c.bureau, json: { recipient: 'customer', period: 'yearly' } })).status).toBe(201);
    expect((await call(app.url, 'GET', `/v1/collaborations/${c.id}/changes`, { key: c.bureau })).json['entries']).toHaveLength(1);

    const made = await call(app.url, 'POST', '/setup/collaborations', { json: { companyName: 'Direkt AB', organisationNumber: '556000-0009', activation: { recipient: 'bureau', period: 'quarterly' } } });
    const id = String(made.json['collaborationId']);
    const key = String(made.json['bureauApiKey']);
    expect((await call(app.url, 'GET', `/v1/collaborations/${id}/changes`, { key })).status).toBe(200);
    expect((await call(app.url, 'GET', `/v1/collaborations/${id}/lifecycle`, { key })).json).toMatchObject({ state: 'active', start: '2026-01-01', recipientNow: 'bureau', audit: [{ at: '2026-01-20T08:00:00', who: 'bureau Redovisningsbyrån AB', action: 'activated' }] });
  });

  it('terminate with read-only access: every write refused with a clear error, reads still work', async () => {
    clock.set('2026-06-01T08:00:00');
    const c = await collaboration('Läsföretaget AB');
    const B = `/v1/collaborations/${c.id}/lifecycle`;
    expect((await call(app.url, 'POST', `${B}/activation`, { key: c.bureau, json: { recipient: 'customer', period: 'yearly' } })).status).toBe(201);
    expect((await call(app.url, 'POST', '/v1/customers', { key: c.company, json: { name: 'Före AB' } })).status).toBe(201);
    clock.set('2026-09-30T17:00:00');
    expect((await call(app.url, 'POST', `${B}/termination`, { key: c.bureau, json: { mode: 'read-only' } })).status).toBe(200);
    const write = await call(app.url, 'POST', '/v1/customers', { key: c.company, json: { name: 'Efter AB' } });
    expect([write.status, write.json['code']]).toEqual([403, 'COLLABORATION_READ_ONLY']);
    expect(String(write.json['detail'])).toContain('read-only');
    const read = await call(app.url, 'GET', '/v1/customers', { key: c.company });
    expect(read.status).toBe(200);
    expect(read.json.items?.map((i) => i['name'])).toEqual(['Före AB']);
    const feed = await call(app.url, 'GET', `/v1/collaborations/${c.id}/changes`, { key: c.bureau });
    expect([feed.status, feed.json['code']]).toEqual([403, 'COLLABORATION_ENDED']);
    const again = await call(app.url, 'POST', `${B}/recipient`, { key: c.bureau, json: { recipient: 'bureau' } });
    expect([again.status, again.json['code']]).toEqual([403, 'COLLABORATION_ENDED']);
  });

  it("the customer's next invoice number given at activation numbers the first invoice after it; one at or below a used number is refused and nothing is activated", async () => {
    clock.set('2026-02-02T10:00:00');
    const c = await collaboration('Flyttföretaget AB');
    const B = `/v1/collaborations/${c.id}/lifecycle`;
    const customer = await call(app.url, 'POST', '/v1/customers', { key: c.company, json: { name: 'Kund AB' } });
    const invoice = () => call(app.url, 'POST', '/v1/invoices', { key: c.company, json: { customerId: customer.json['id'], lines: [{ description: 'Konsulttimme', quantity: 1, unitPriceOre: 100_000, vatRate: 25 }] } });
    expect((await call(app.url, 'POST', `${B}/activation`, { key: c.bureau, json: { recipient: 'bureau', period: 'yearly', nextInvoiceNumber: 7301 } })).status).toBe(201);
    expect((await call(app.url, 'GET', '/v1/settings', { key: c.company })).json['nextInvoiceNumber']).toBe(7301);
    const first = await invoice();
    expect([first.status, first.json['number']]).toEqual([201, 7301]);
    expect((await invoice()).json['number']).toBe(7302);
    // The bureau sees the numbering the customer's program now uses.
    expect((await call(app.url, 'GET', `/v1/collaborations/${c.id}`, { key: c.bureau })).json['nextInvoiceNumber']).toBe(7303);

    const later = await collaboration('Andra AB');
    const L = `/v1/collaborations/${later.id}/lifecycle`;
    const laterCustomer = await call(app.url, 'POST', '/v1/customers', { key: later.company, json: { name: 'Kund AB' } });
    for (let i = 0; i < 3; i++) await call(app.url, 'POST', '/v1/invoices', { key: later.company, json: { customerId: laterCustomer.json['id'], lines: [{ description: 'Vara', quantity: 1, unitPriceOre: 5_000, vatRate: 25 }] } });
    const taken = await call(app.url, 'POST', `${L}/activation`, { key: later.bureau, json: { recipient: 'customer', period: 'quarterly', nextInvoiceNumber: 2 } });
    expect([taken.status, taken.json['code']]).toEqual([409, 'INVOICE_NUMBER_TAKEN']);
    expect(String(taken.json['detail'])).toContain('invoice number 3 is already used');
    expect((await call(app.url, 'GET', L, { key: later.bureau })).json['code']).toBe('NOT_ACTIVATED');
  });
});
