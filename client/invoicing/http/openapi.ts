/**
 * OpenAPI 3.1 description of the invoicing API, with request schemas from the same zod
 * schemas that validate the requests, and every problem code with its status.
 */
import { z } from 'zod';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../service.ts';
import { PROBLEMS } from './problem.ts';
import { bodySchema, routes, type Route } from './routes.ts';

const SUMMARIES: Record<string, string> = {
  'GET /v1/company': 'The company, its settings and collaborations',
  'GET /v1/settings': 'Invoice settings (next invoice number, öresavrundning, payment terms); ETag = version',
  'PUT /v1/settings': 'Change settings; If-Match with the version (412 when stale)',
  'GET /v1/customers': 'Customers, paged', 'POST /v1/customers': 'Add a customer', 'GET /v1/customers/:id': 'One customer (ETag)', 'PUT /v1/customers/:id': 'Edit a customer; If-Match required (412 on a stale version)',
  'GET /v1/articles': 'Articles, paged', 'POST /v1/articles': 'Add an article', 'GET /v1/articles/:id': 'One article', 'PUT /v1/articles/:id': 'Edit an article; If-Match required',
  'GET /v1/invoices': 'Customer invoices, paged', 'POST /v1/invoices': 'Issue a customer invoice (next number, OCR reference, VAT per rate, öresavrundning)', 'GET /v1/invoices/:id': 'One invoice',
  'POST /v1/invoices/:id/credit': 'Credit an invoice in full (a credit invoice with its own number)',
  'GET /v1/documents': 'The scanner inbox', 'POST /v1/documents': 'Scan a supplier invoice or receipt (bytes + comment)', 'GET /v1/documents/:id': 'One document and its status', 'GET /v1/documents/:id/content': 'The document bytes',
  'GET /v1/notes': 'Notes and notifications with unread state', 'POST /v1/notes': 'Write a note to the bureau', 'POST /v1/notes/:id/read': 'Mark a note read',
  'GET /v1/collaborations': "The key's collaborations",
  'GET /v1/collaborations/:collaborationId': 'A collaboration (bureau key), with the feed head',
  'GET /v1/collaborations/:collaborationId/changes': 'The change feed after a cursor: entries (entity, id, version, operation, data), nextCursor, hasMore, headCursor; 410 for a cursor older than the retained log',
  'PUT /v1/collaborations/:collaborationId/documents/:id/status': 'The bureau registered the document as a voucher; If-Match with the document version',
  'POST /v1/collaborations/:collaborationId/notes': 'A note or notification from the bureau',
  'POST /setup/collaborations': 'Test helper: a company, a bureau and their collaboration, with both API keys; with `activation` (recipient, period) it is activated as it is created',
  'GET /v1/payments': 'Incoming payments registered on invoices, paged', 'GET /v1/payments/:id': 'One incoming payment',
  'POST /v1/invoices/:id/payments': 'Register an incoming payment on an invoice (when the collaboration says the customer registers payments)',
  'GET /v1/notes/:id': 'One note',
  'POST /v1/collaborations/:collaborationId/payments': 'An incoming payment the bureau registered (from BgMax); its identity makes a retry register nothing new',
  'GET /v1/collaborations/:collaborationId/documents/:id/content': 'The bytes of a scanned document (bureau key)',
};

/** The bureau's read-only copies: every register the feed carries, listed and one by one. */
for (const entity of ['customers', 'articles', 'invoices', 'documents', 'notes', 'payments']) {
  SUMMARIES[`GET /v1/collaborations/:collaborationId/${entity}`] ??= `The customer's ${entity}, paged (bureau key; read-only: the invoicing program is master)`;
  SUMMARIES[`GET /v1/collaborations/:collaborationId/${entity}/:id`] ??= `One of the customer's ${entity} (bureau key)`;
}

/** Every problem code the API answers: the table's own and those of the mounted routes. */
function problemsOf(extraRoutes: readonly Route[]): Record<string, { status: number; title: string }> {
  const mounted: Record<string, { status: number; title: string }> = {};
  for (const route of extraRoutes) Object.assign(mounted, route.problems);
  return { ...mounted, ...PROBLEMS };
}

/** The document for the route table plus the routes mounted beside it (the collaboration lifecycle), so every served route is described. */
export function openApiDocument(extraRoutes: readonly Route[] = []): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of [...routes, ...extraRoutes]) {
    const path = route.pattern.replace(/:(\w+)/g, '{$1}');
    const params = [...route.pattern.matchAll(/:(\w+)/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
    const key = `${route.method} ${route.pattern}`;
    const schema = bodySchema(route);
    const query = route.method === 'GET' && route.pattern.endsWith('s') ? [
      { name: 'page', in: 'query', schema: { type: 'integer', minimum: 1, default: 1 } },
      { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE } },
    ] : route.pattern.endsWith('/changes') ? [
      { name: 'after', in: 'query', schema: { type: 'string' }, description: 'a cursor from a previous page (nextCursor); absent = from the start' },
      { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE } },
    ] : [];
    const headers = [
      ...(route.method === 'POST' && !route.pattern.startsWith('/setup') ? [{ name: 'Idempotency-Key', in: 'header', required: true, schema: { type: 'string' } }] : []),
      ...(route.method === 'PUT' ? [{ name: 'If-Match', in: 'header', required: true, schema: { type: 'string' }, description: 'the version from the ETag, e.g. "3"' }] : []),
    ];
    (paths[path] ??= {})[route.method.toLowerCase()] = {
      summary: route.summary ?? SUMMARIES[key] ?? key,
      tags: [route.pattern.startsWith('/setup') || route.pattern.startsWith('/contract') ? 'Test helpers' : route.pattern.includes('lifecycle') || route.pattern.startsWith('/v1/company/collaborations') ? 'Collaboration lifecycle' : route.auth === 'bureau' ? 'Bureau' : 'Invoicing'],
      ...(route.auth === 'none' ? {} : { security: [{ bearer: [] }] }),
      parameters: [...params, ...query, ...headers],
      ...(schema ? { requestBody: { required: true, content: { 'application/json': { schema: z.toJSONSchema(schema) } } } } : {}),
      responses: {
        [route.method === 'POST' && !route.pattern.endsWith('/read') ? '201' : '200']: { description: 'OK' },
        default: { description: 'RFC 9457 problem', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'sandbank invoicing program', version: '0.1.0', description: `The customer's invoicing program: master of customers, articles and invoices; scanner inbox; notes; the change feed a bureau follows. Lists are paged (default ${DEFAULT_PAGE_SIZE}, at most ${MAX_PAGE_SIZE} per page). Each API key has a rate limit (default 25 requests per 5 s): over it, 429 with Retry-After.` },
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: {
        Problem: { type: 'object', required: ['type', 'title', 'status', 'code'], properties: { type: { type: 'string' }, title: { type: 'string' }, status: { type: 'integer' }, detail: { type: 'string' }, code: { type: 'string', enum: Object.keys(problemsOf(extraRoutes)) } } },
      },
    },
  };
}

export function docsPage(extraRoutes: readonly Route[] = []): string {
  const rows = Object.entries(problemsOf(extraRoutes)).map(([code, p]) => `<tr id="problem-${code}"><td><code>${code}</code></td><td>${p.status}</td><td>${p.title}</td></tr>`).join('');
  const ops = [...routes, ...extraRoutes].map((r) => `<li><code>${r.method} ${r.pattern}</code> — ${r.summary ?? SUMMARIES[`${r.method} ${r.pattern}`] ?? ''}</li>`).join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>sandbank invoicing API</title></head><body><h1>sandbank invoicing API</h1><p>OpenAPI: <a href="/openapi.json">/openapi.json</a></p><ul>${ops}</ul><h2>Problem codes</h2><table><tr><th>code</th><th>status</th><th>title</th></tr>${rows}</table></body></html>`;
}
