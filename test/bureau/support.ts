/** Helpers for the bureau-collaboration tests: a real invoicing service on a port, and calls to it. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixedClock, seededKeys, startInvoicing, type InvoicingApp } from '../../client/invoicing/app.ts';
import type { RateLimit } from '../../client/invoicing/http/rate-limit.ts';
import { LowdbInvoicingStore } from '../../client/invoicing/store.ts';

export interface Answer {
  status: number;
  headers: Headers;
  json: Record<string, unknown> & { items?: Record<string, unknown>[] };
}

let counter = 0;

/** One HTTP call; POSTs get a fresh Idempotency-Key unless one is given (or `null` for none). */
export async function call(base: string, method: string, path: string, options: { key?: string; json?: unknown; headers?: Record<string, string>; idempotencyKey?: string | null } = {}): Promise<Answer> {
  const idem = options.idempotencyKey === undefined ? `test-${process.pid}-${++counter}` : options.idempotencyKey;
  const response = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(options.key ? { authorization: `Bearer ${options.key}` } : {}),
      ...(options.json !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(method === 'POST' && idem !== null ? { 'idempotency-key': idem } : {}),
      ...options.headers,
    },
    ...(options.json !== undefined ? { body: JSON.stringify(options.json) } : {}),
  });
  const text = await response.text();
  let json: Answer['json'] = {};
  try {
    json = text === '' ? {} : (JSON.parse(text) as Answer['json']);
  } catch {
    json = { raw: text };
  }
  return { status: response.status, headers: response.headers, json };
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `sandbank-${prefix}-`));
}

export async function startTestInvoicing(options: { dir?: string; rateLimit?: RateLimit; retainChanges?: number; now?: string } = {}): Promise<InvoicingApp & { clock: ReturnType<typeof fixedClock> }> {
  const clock = fixedClock(options.now ?? '2026-03-02T09:00:00');
  const app = await startInvoicing({
    store: new LowdbInvoicingStore(options.dir ?? tempDir('invoicing')), clock, newKey: seededKeys(7),
    ...(options.rateLimit ? { rateLimit: options.rateLimit } : {}), ...(options.retainChanges !== undefined ? { retainChanges: options.retainChanges } : {}),
  });
  return { ...app, clock };
}

export interface Collab {
  collaborationId: string;
  companyApiKey: string;
  bureauApiKey: string;
  bureauId: string;
}

export async function setupCollaboration(base: string, input: Record<string, unknown> = {}): Promise<Collab> {
  // Created with its terms, so activated: the bureau's feed is open from the start.
  const answer = await call(base, 'POST', '/setup/collaborations', { json: { companyName: 'Kundföretaget AB', organisationNumber: '556677-8899', nextInvoiceNumber: 1001, activation: { recipient: 'bureau', period: 'quarterly' }, ...input } });
  if (answer.status !== 201) throw new Error(`setup failed: ${JSON.stringify(answer.json)}`);
  return answer.json as unknown as Collab;
}
