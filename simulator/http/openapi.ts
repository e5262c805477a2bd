/**
 * OpenAPI 3.1 description of the bank API and the test-helper API, with request schemas taken
 * from the same zod schemas that validate the requests (so they cannot disagree).
 */
import { z } from 'zod';
import { PROBLEMS } from './problem.ts';
import { routes } from './routes.ts';
import { schemas } from './schemas.ts';

interface Operation {
  summary: string;
  tag: 'Bank API' | 'Test helpers' | 'Internet bank';
  body?: { schema: z.ZodType } | { contentType: string; description: string };
  success: number;
  query?: { name: string; description: string }[];
  response?: string;
}

const xmlBody = (description: string) => ({ contentType: 'application/xml', description });

const OPERATIONS: Record<string, Operation> = {
  'POST /sandboxes': { summary: 'Create a sandbox: company, accounts, internet-bank users with TOTP secrets, API key', tag: 'Test helpers', body: { schema: schemas.createSandbox }, success: 201 },
  'GET /sandboxes': { summary: 'The sandboxes of the bearer: its own for a sandbox API key, every one for the operator key (no secrets)', tag: 'Test helpers', success: 200 },
  'POST /sandboxes/import': { summary: 'Recreate an exported sandbox under a new id, API key, internet-bank credentials and webhook secret (ids of files, payments, reports and entries kept); corrupt, truncated or wrongly signed files are refused', tag: 'Test helpers', body: { contentType: 'application/json', description: 'A sandbox export file (docs/sandbox-export.md), as GET /sandboxes/{sandboxId}/export wrote it' }, success: 201 },
  'GET /sandboxes/:sandboxId/export': { summary: 'The whole sandbox (state and history, no secrets) as one versioned file with a digest, signed with the server\'s export key when it has one', tag: 'Test helpers', success: 200 },
  'GET /sandboxes/:sandboxId': { summary: 'The sandbox with its credentials (its own API key, or the operator key for any); openedAt is when the server created it, on the server\'s clock', tag: 'Test helpers', success: 200 },
  'DELETE /sandboxes/:sandboxId': { summary: 'Delete the sandbox and everything in it (its own API key, or the operator key for any)', tag: 'Test helpers', success: 204 },
  'POST /sandboxes/:sandboxId/clock/advance': { summary: 'Move the simulated clock forward ({days} or {to}, at most 3,660 days per call, years 2000–2199); every passed bank day is processed', tag: 'Test helpers', body: { schema: schemas.advanceClock }, success: 200 },
  'GET /sandboxes/:sandboxId/faults': { summary: 'The fault rules', tag: 'Test helpers', success: 200 },
  'PUT /sandboxes/:sandboxId/faults': { summary: 'Replace the fault rules (match → action, first match wins)', tag: 'Test helpers', body: { schema: schemas.faults }, success: 200 },
  'POST /sandboxes/:sandboxId/incoming-payments': { summary: 'Simulate a customer paying the company\'s bankgiro (camt.054 now, BgMax at end of day): extra references (TK22/TK23), a deduction (TK21 with its code), information text (TK25), the payer\'s name, address and organisation number (TK26–TK29)', tag: 'Test helpers', body: { schema: schemas.incomingPayment }, success: 201 },
  'PUT /sandboxes/:sandboxId/webhook': { summary: 'Register the webhook URL (events POSTed with an HMAC-SHA256 signature)', tag: 'Test helpers', body: { schema: schemas.webhook }, success: 200 },
  'DELETE /sandboxes/:sandboxId/webhook': { summary: 'Remove the webhook', tag: 'Test helpers', success: 204 },
  'GET /sandboxes/:sandboxId/webhook/deliveries': { summary: 'Webhook deliveries with every attempt', tag: 'Test helpers', success: 200 },
  'GET /sandboxes/:sandboxId/events': { summary: 'Events in order', tag: 'Test helpers', success: 200, query: [{ name: 'after', description: 'event sequence number' }] },
  'POST /v1/:bank/payment-files': { summary: 'Upload a payment file (pain.001.001.03/.09 or Bankgirot LB); 202 RECEIVED ("Received by bank" follows validation)', tag: 'Bank API', body: { contentType: 'application/octet-stream', description: 'The payment file\'s bytes: pain.001 (UTF-8 XML) or Bankgirot LB (Latin-1 text); application/xml and text/plain are accepted too. Header Idempotency-Key recommended.' }, success: 202 },
  'GET /v1/:bank/payment-files': { summary: 'List payment files', tag: 'Bank API', success: 200 },
  'GET /v1/:bank/payment-files/:fileId': { summary: 'A payment file with every payment\'s status and reasons', tag: 'Bank API', success: 200, query: [{ name: 'payments', description: 'false: the file status without its payments' }] },
  'POST /v1/:bank/payment-files/:fileId/signatures': { summary: 'Sign in the accounting program (agreements with two-step verification; administrators only)', tag: 'Bank API', body: { schema: schemas.signature }, success: 201 },
  'GET /v1/:bank/accounts': { summary: 'The company\'s accounts', tag: 'Bank API', success: 200 },
  'GET /v1/:bank/accounts/:accountId/balances': { summary: 'Booked, reserved (scheduled payments) and available balance', tag: 'Bank API', success: 200 },
  'GET /v1/:bank/accounts/:accountId/entries': { summary: 'Booked entries', tag: 'Bank API', success: 200, query: [{ name: 'from', description: 'YYYY-MM-DD' }] },
  'GET /v1/:bank/accounts/:accountId/intraday-report': { summary: 'camt.052 intraday report of today\'s bookings', tag: 'Bank API', success: 200, response: 'application/xml' },
  'GET /v1/:bank/payments': { summary: 'Payments, e.g. ?status=scheduled for future payments', tag: 'Bank API', success: 200, query: [{ name: 'status', description: 'received | awaiting_signature | scheduled | executed | rejected | cancelled' }] },
  'GET /v1/:bank/payments/:paymentId': { summary: 'One payment', tag: 'Bank API', success: 200 },
  'POST /v1/:bank/payments/:paymentId/cancellation-requests': { summary: 'Ask the bank to cancel a payment (resolved CANCELLED before execution, refused ARDT after)', tag: 'Bank API', body: { schema: schemas.cancellation }, success: 202 },
  'POST /v1/:bank/cancellation-requests': { summary: 'Upload a camt.055 cancellation request (answered with camt.029)', tag: 'Bank API', body: xmlBody('camt.055.001.08'), success: 202 },
  'GET /v1/:bank/reports': { summary: 'The reports mailbox (pain.002, camt.053/054, camt.029, BgMax) in order since a cursor', tag: 'Bank API', success: 200, query: [{ name: 'after', description: 'report id (cursor)' }, { name: 'type', description: 'report type' }, { name: 'limit', description: '1–1000' }] },
  'GET /v1/:bank/reports/:reportId': { summary: 'Download one report raw', tag: 'Bank API', success: 200, response: 'application/xml or text/plain (BgMax, Latin-1)' },
};

function toOpenApiPath(pattern: string): string {
  return pattern.replace(/:(\w+)/g, '{$1}');
}

export function openApiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const key = `${route.method} ${route.pattern}`;
    // (The provider-state endpoint is mounted by `sandbank start` and documented in the README.)
    const op = OPERATIONS[key];
    if (!op) throw new Error(`route ${key} is not described in openapi.ts`);
    const path = toOpenApiPath(route.pattern);
    const parameters = [
      ...[...route.pattern.matchAll(/:(\w+)/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: m[1] === 'bank' ? { type: 'string', enum: ['swedbank', 'sparbanken'] } : { type: 'string' } })),
      ...(op.query ?? []).map((q) => ({ name: q.name, in: 'query', required: false, description: q.description, schema: { type: 'string' } })),
      ...(route.method === 'POST' && route.pattern.endsWith('payment-files') ? [{ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string' }, description: 'same key + same bytes → the original fileId (Idempotency-Hit: true)' }] : []),
    ];
    const requestBody = op.body === undefined ? undefined : 'schema' in op.body
      ? { required: true, content: { 'application/json': { schema: z.toJSONSchema(op.body.schema, { io: 'input', unrepresentable: 'any' }) } } }
      : { required: true, description: op.body.description, content: { [op.body.contentType]: { schema: { type: 'string' } } } };
    paths[path] ??= {};
    (paths[path] as Record<string, unknown>)[route.method.toLowerCase()] = {
      summary: op.summary,
      tags: [op.tag],
      ...(route.auth === 'sandbox-key' || key === 'GET /sandboxes' ? { security: [{ apiKey: [] }] } : { security: [] }),
      parameters,
      ...(requestBody ? { requestBody } : {}),
      responses: {
        [String(op.success)]: { description: 'success', ...(op.response ? { content: { [op.response.split(' ')[0] as string]: {} } } : op.success === 204 ? {} : { content: { 'application/json': {} } }) },
        default: { description: 'problem (RFC 9457) with a stable `code`', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'sandbank — simulated Swedbank and Sparbanken', version: '0.1.0', description: 'Bank API (per sandbox API key) and test-helper API of the sandbank simulator.' },
    servers: [{ url: '/' }],
    components: {
      securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'the sandbox API key from POST /sandboxes' } },
      schemas: {
        Problem: {
          type: 'object',
          required: ['type', 'title', 'status', 'code'],
          properties: { type: { type: 'string' }, title: { type: 'string' }, status: { type: 'integer' }, detail: { type: 'string' }, code: { type: 'string', enum: Object.keys(PROBLEMS) } },
        },
      },
    },
    paths,
  };
}

const escape = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);

export function docsPage(): string {
  const rows = routes.map((r) => {
    const op = OPERATIONS[`${r.method} ${r.pattern}`];
    return `<tr><td><code>${r.method}</code></td><td><code>${escape(toOpenApiPath(r.pattern))}</code></td><td>${escape(op?.tag ?? '')}</td><td>${escape(op?.summary ?? '')}</td></tr>`;
  }).join('\n');
  const problems = Object.entries(PROBLEMS).map(([code, p]) => `<tr id="problem-${code}"><td><code>${code}</code></td><td>${p.status}</td><td>${escape(p.title)}</td></tr>`).join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>sandbank API</title>
<style>body{font-family:system-ui,sans-serif;max-width:72rem;margin:2rem auto;padding:0 1rem}table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top}</style></head>
<body><h1>sandbank API</h1><p>Machine-readable: <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1). Authenticate with <code>Authorization: Bearer &lt;apiKey&gt;</code> from <code>POST /sandboxes</code>.</p>
<h2>Endpoints</h2><table><thead><tr><th>Method</th><th>Path</th><th>Part</th><th>What it does</th></tr></thead><tbody>${rows}</tbody></table>
<h2 id="problems">Problems</h2><p>Errors are <code>application/problem+json</code> (RFC 9457) with a stable <code>code</code>.</p>
<table><thead><tr><th>code</th><th>HTTP</th><th>title</th></tr></thead><tbody>${problems}</tbody></table></body></html>`;
}
