/**
 * The invoicing program's OpenAPI document and docs page describe every route it serves,
 * including the collaboration lifecycle mounted beside its own table: each with a summary,
 * the POST bodies with their schemas, and every problem code the lifecycle answers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock, seededKeys, startInvoicing, type InvoicingApp } from '../../client/invoicing/app.ts';
import { routes } from '../../client/invoicing/http/routes.ts';
import { MemoryInvoicingStore } from '../../client/invoicing/store.ts';
import { LIFECYCLE_PROBLEMS, lifecycleRoutes } from '../../client/collaboration/http.ts';
import { LifecycleStore } from '../../client/collaboration/store.ts';
import { call } from '../bureau/support.ts';

const clock = fixedClock('2026-03-02T09:00:00');
let app: InvoicingApp;
let lifecycle: ReturnType<typeof lifecycleRoutes>;
beforeAll(async () => {
  const store = await LifecycleStore.open();
  lifecycle = lifecycleRoutes({ store, clock });
  app = await startInvoicing({ store: new MemoryInvoicingStore(), clock, newKey: seededKeys(77), lifecycles: store });
});
afterAll(async () => app?.close());

interface Operation { summary: string; tags: string[]; requestBody?: { content: { 'application/json': { schema: { properties?: Record<string, unknown> } } } } }

describe("the invoicing program's OpenAPI covers every route it serves", () => {
  it('every route of the table and of the lifecycle is described, with a summary; lifecycle POSTs with their body schema', async () => {
    const doc = (await call(app.url, 'GET', '/openapi.json')).json as { paths: Record<string, Record<string, Operation>>; components: { schemas: { Problem: { properties: { code: { enum: string[] } } } } } };
    const missing: string[] = [];
    for (const route of [...routes, ...lifecycle]) {
      const operation = doc.paths[route.pattern.replace(/:(\w+)/g, '{$1}')]?.[route.method.toLowerCase()];
      if (!operation) missing.push(`${route.method} ${route.pattern}`);
      else if (operation.summary === `${route.method} ${route.pattern}`) missing.push(`${route.method} ${route.pattern} (no summary)`);
    }
    expect(missing).toEqual([]);
    const activation = doc.paths['/v1/collaborations/{collaborationId}/lifecycle/activation']?.['post'];
    expect(activation?.tags).toEqual(['Collaboration lifecycle']);
    expect(Object.keys(activation?.requestBody?.content['application/json'].schema.properties ?? {})).toEqual(expect.arrayContaining(['recipient', 'period', 'nextInvoiceNumber', 'licences']));
    for (const path of ['/v1/collaborations/{collaborationId}/lifecycle/recipient', '/v1/collaborations/{collaborationId}/lifecycle/termination', '/v1/company/collaborations/{collaborationId}/users', '/v1/company/collaborations/{collaborationId}/licences', '/v1/company/collaborations/{collaborationId}/termination']) {
      expect(doc.paths[path]?.['post']?.requestBody, path).toBeDefined();
    }
    expect(doc.components.schemas.Problem.properties.code.enum).toEqual(expect.arrayContaining(Object.keys(LIFECYCLE_PROBLEMS)));
  });

  it('the docs page lists the lifecycle routes and anchors every problem code a lifecycle answer links to', async () => {
    const page = await (await fetch(`${app.url}/docs`)).text();
    expect(page).toContain('POST /v1/collaborations/:collaborationId/lifecycle/activation');
    for (const code of Object.keys(LIFECYCLE_PROBLEMS)) expect(page).toContain(`id="problem-${code}"`);
  });

  it('a lifecycle body the document does not allow is refused 400 INVALID_REQUEST naming the field', async () => {
    const made = await app.service.createCollaboration({ companyName: 'Schemat AB', organisationNumber: '5566778899', bureauName: 'Byrån AB' });
    if (!made.ok) throw new Error(made.message);
    const res = await call(app.url, 'POST', `/v1/collaborations/${made.value.collaboration.id}/lifecycle/activation`, { key: made.value.bureau.apiKey, json: { recipient: 'bureau', period: 'monthly' } });
    expect([res.status, res.json['code']]).toEqual([400, 'INVALID_REQUEST']);
    expect(String(res.json['detail'])).toMatch(/^period: /);
  });
});
