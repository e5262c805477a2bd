/**
 * Export → import over real HTTP between two servers: the copy has the same balances,
 * statuses, reports and timeline, and from then on the clock does exactly to both what it
 * does to one; no secret travels; a truncated, corrupt, tampered or unsigned file is refused
 * and creates nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRandom } from '../../formats/random.ts';
import { startSimulator, type Simulator } from '../../simulator/app.ts';
import { buildTimeline } from '../../simulator/console/timeline.ts';
import { canonicalJson } from '../../simulator/export/export-file.ts';
import { pain001For } from '../support/payment-files.ts';

interface Sandbox { sandboxId: string; apiKey: string; bank: string; now: string; company: { name: string; agreementId: string }; accounts: { accountId: string; iban: string }[]; internetBankUsers: { userId: string; password: string; totpSecret: string }[]; webhook: { url: string; secret: string } | null }

const EXPORT_KEY = 'export-key-for-tests-0123456789';
let original: Simulator;
let copyServer: Simulator;
let signedServer: Simulator;
let source: Sandbox;
let exported: string;

async function call(server: Simulator, key: string | undefined, method: string, path: string, body?: unknown, raw?: string): Promise<{ status: number; json: Record<string, unknown>; text: string; headers: Headers }> {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), 'content-type': 'application/json' },
    ...(raw !== undefined ? { body: raw } : body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // not JSON
  }
  return { status: res.status, json, text, headers: res.headers };
}

/** Everything a person would compare: balances, files with payments, reports with bodies, the timelines. */
async function observe(server: Simulator, s: { sandboxId: string; apiKey: string }): Promise<unknown> {
  const k = s.apiKey;
  const files = (await call(server, k, 'GET', '/v1/swedbank/payment-files')).json['files'] as { fileId: string }[];
  const detail = [];
  for (const f of files) detail.push((await call(server, k, 'GET', `/v1/swedbank/payment-files/${f.fileId}`)).json);
  const balances = [];
  for (const id of ['acc_1', 'acc_2']) balances.push((await call(server, k, 'GET', `/v1/swedbank/accounts/${id}/balances`)).json);
  const entries = (await call(server, k, 'GET', '/v1/swedbank/accounts/acc_1/entries')).json;
  const reports = (await call(server, k, 'GET', '/v1/swedbank/reports')).json['reports'] as { reportId: string }[];
  const bodies: Record<string, string> = {};
  for (const r of reports) bodies[r.reportId] = (await call(server, k, 'GET', `/v1/swedbank/reports/${r.reportId}`)).text;
  const engine = server.engine;
  const timelines = [];
  for (const f of files) {
    const file = await engine.getFile(s.sandboxId, f.fileId);
    const mailbox = await engine.listReports(s.sandboxId, { limit: 10_000 });
    const core = engine.sandbox(s.sandboxId);
    if (!file.ok || !mailbox.ok || !core) throw new Error('missing');
    timelines.push(buildTimeline({ file: file.value, reports: mailbox.value, events: await engine.events(s.sandboxId), deliveries: [], now: core.now, cutoffTime: '10:00' }).steps.map((step) => ({ ...step, eventId: undefined, event: step.event?.type })));
  }
  return { now: engine.sandbox(s.sandboxId)?.now, detail, balances, entries, reports, bodies, timelines, faults: engine.sandbox(s.sandboxId)?.faults, held: engine.sandbox(s.sandboxId)?.heldReports };
}

beforeAll(async () => {
  original = await startSimulator({ random: createRandom(301) });
  copyServer = await startSimulator({ random: createRandom(302) });
  signedServer = await startSimulator({ random: createRandom(303), exportKey: EXPORT_KEY });
  const created = await call(original, undefined, 'POST', '/sandboxes', { bank: 'swedbank', seed: 11, start: '2026-03-12T08:00:00', openingBalancesOre: [50_000_00, 100_00], webhook: { url: 'http://127.0.0.1:9/hooks', secret: 'whsec_original_secret_000000' } });
  source = created.json as unknown as Sandbox;
  const k = source.apiKey;
  const sender = { id: source.sandboxId, now: source.now, company: source.company, accounts: source.accounts };
  const upload = await fetch(`${original.url}/v1/swedbank/payment-files`, {
    method: 'POST', headers: { authorization: `Bearer ${k}`, 'content-type': 'application/xml', 'idempotency-key': 'file-1' },
    body: pain001For(sender, [
      { amountOre: 1_000_00, date: '2026-03-13', endToEndId: 'PAID' },
      { amountOre: 80_000_00, date: '2026-03-13', endToEndId: 'SHORT' },
      { amountOre: 2_000_00, date: '2026-03-20', endToEndId: 'CANCEL' },
      { amountOre: 500_00, date: '2026-03-20', endToEndId: 'LATER' },
      { amountOre: 700_00, date: '2026-03-23', endToEndId: 'REFUSED', bankgiro: '9912346' },
    ]),
  });
  const fileId = ((await upload.json()) as { fileId: string }).fileId;
  await call(original, k, 'POST', `/v1/swedbank/payment-files/${fileId}/signatures`, { signedBy: 'Anna Admin', role: 'administrator', verification: 'totp' });
  const file = (await call(original, k, 'GET', `/v1/swedbank/payment-files/${fileId}`)).json as { payments: { paymentId: string; endToEndId: string }[] };
  await call(original, k, 'POST', `/v1/swedbank/payments/${file.payments.find((p) => p.endToEndId === 'CANCEL')?.paymentId}/cancellation-requests`, {});
  await call(original, k, 'PUT', `/sandboxes/${source.sandboxId}/faults`, { rules: [
    { match: { endToEndId: 'REFUSED' }, action: { type: 'reject', reasonCode: 'AC01' } },
    { match: { reportType: 'camt.053' }, action: { type: 'delay-report', bankDays: 2 } },
  ] });
  await call(original, k, 'POST', `/sandboxes/${source.sandboxId}/incoming-payments`, { amountOre: 12_500_00, reference: '1234574', payerName: 'Kund AB' });
  // Mid-way: one payment executed, one on its second insufficient-funds retry, statements held back.
  await call(original, k, 'POST', `/sandboxes/${source.sandboxId}/clock/advance`, { to: '2026-03-16T12:00' });
  const res = await call(original, k, 'GET', `/sandboxes/${source.sandboxId}/export`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="sbx_\w+-2026-03-16\.sandbank\.json"$/);
  exported = res.text;
});
afterAll(async () => {
  await original?.close();
  await copyServer?.close();
  await signedServer?.close();
});

describe('sandbox export and import', () => {
  it('the export is one versioned file with a digest and no secret', () => {
    const file = JSON.parse(exported) as Record<string, unknown>;
    expect(Object.keys(file)).toEqual(['format', 'version', 'exportedAt', 'source', 'digest', 'sandbox']);
    expect(file).toMatchObject({ format: 'sandbank.sandbox-export', version: 1, exportedAt: '2026-03-16T12:00:00', source: { sandboxId: source.sandboxId, bank: 'swedbank' } });
    expect(file['digest']).toMatch(/^sha256:[0-9a-f]{64}$/);
    const admin = source.internetBankUsers[0];
    for (const secret of [source.apiKey, admin?.password, admin?.totpSecret, 'whsec_original_secret_000000']) expect(exported).not.toContain(secret);
  });

  it('imports on another server under a new identity with the same state, and the clock then does the same to both', async () => {
    const imported = await call(copyServer, undefined, 'POST', '/sandboxes/import', undefined, exported);
    expect(imported.status).toBe(201);
    const copy = imported.json as unknown as Sandbox & { importedFrom: string };
    expect(copy.importedFrom).toBe(source.sandboxId);
    expect(copy.sandboxId).not.toBe(source.sandboxId);
    expect(copy.apiKey).not.toBe(source.apiKey);
    expect(copy.internetBankUsers.map((u) => u.userId)).not.toEqual(source.internetBankUsers.map((u) => u.userId));
    expect(copy.internetBankUsers[0]?.password).not.toBe(source.internetBankUsers[0]?.password);
    expect(copy.internetBankUsers[0]?.totpSecret).not.toBe(source.internetBankUsers[0]?.totpSecret);
    expect(copy.webhook?.url).toBe('http://127.0.0.1:9/hooks');
    expect(copy.webhook?.secret).not.toBe('whsec_original_secret_000000');
    expect(imported.headers.get('location')).toBe(`/sandboxes/${copy.sandboxId}`);

    const before = await observe(original, source);
    expect(await observe(copyServer, copy)).toEqual(before);
    const balances = (before as { balances: { bookedOre: number }[] }).balances;
    expect(balances[0]?.bookedOre).toBe(50_000_00 - 1_000_00 + 12_500_00);

    for (const [server, s] of [[original, source], [copyServer, copy]] as const) {
      expect((await call(server, s.apiKey, 'POST', `/sandboxes/${s.sandboxId}/clock/advance`, { to: '2026-03-24T12:00' })).status).toBe(200);
    }
    const after = await observe(original, source);
    expect(await observe(copyServer, copy)).toEqual(after);
    const statuses = ((after as { detail: { payments: { endToEndId: string; status: string; reasons: { code: string }[] }[] }[] }).detail[0]?.payments ?? []).map((p) => `${p.endToEndId} ${p.status} ${p.reasons.map((r) => r.code).join(',')}`);
    expect(statuses).toEqual(['PAID EXECUTED ', 'SHORT REJECTED AM04', 'CANCEL CANCELLED DS02', 'LATER EXECUTED ', 'REFUSED REJECTED AC01']);
  });

  it('refuses a truncated, a corrupt and a reshaped file, creating nothing', async () => {
    const count = () => copyServer.engine.sandboxIds().length;
    const n = count();
    const truncated = await call(copyServer, undefined, 'POST', '/sandboxes/import', undefined, exported.slice(0, Math.floor(exported.length / 2)));
    expect(truncated.status).toBe(422);
    expect(truncated.json).toMatchObject({ code: 'EXPORT_UNREADABLE' });
    expect(String(truncated.json['detail'])).toMatch(/truncated/);
    const changed = exported.replace('"amountOre": 8000000', '"amountOre": 800000');
    expect(changed).not.toBe(exported);
    const corrupt = await call(copyServer, undefined, 'POST', '/sandboxes/import', undefined, changed);
    expect(corrupt.status).toBe(422);
    expect(corrupt.json).toMatchObject({ code: 'EXPORT_DIGEST_MISMATCH' });
    // Whole and with a matching digest, but not a sandbox: the shape check refuses it.
    const file = JSON.parse(exported) as { digest: string; sandbox: { core: { accounts: unknown[] } } };
    file.sandbox.core.accounts = [];
    const { digest: _d, ...rest } = file;
    const { createHash } = await import('node:crypto');
    const reshaped = JSON.stringify({ ...rest, digest: `sha256:${createHash('sha256').update(canonicalJson(rest)).digest('hex')}` });
    const invalid = await call(copyServer, undefined, 'POST', '/sandboxes/import', undefined, reshaped);
    expect(invalid.status).toBe(422);
    expect(invalid.json).toMatchObject({ code: 'EXPORT_INVALID' });
    expect(JSON.stringify(invalid.json['issues'])).toContain('core.accounts');
    expect(count()).toBe(n);
  });

  it('an import is a creation: with an operator key it needs that key', async () => {
    const guarded = await startSimulator({ random: createRandom(304), operatorKey: 'op_transfer_test_0123456789' });
    try {
      const anonymous = await call(guarded, undefined, 'POST', '/sandboxes/import', undefined, exported);
      expect(anonymous.status).toBe(401);
      expect(anonymous.json).toMatchObject({ code: 'OPERATOR_KEY_REQUIRED' });
      expect(guarded.engine.sandboxIds()).toEqual([]);
      expect((await call(guarded, 'op_transfer_test_0123456789', 'POST', '/sandboxes/import', undefined, exported)).status).toBe(201);
    } finally {
      await guarded.close();
    }
  });

  it('with an export key: exports are signed, unsigned or tampered imports are refused', async () => {
    const unsigned = await call(signedServer, undefined, 'POST', '/sandboxes/import', undefined, exported);
    expect(unsigned.status).toBe(403);
    expect(unsigned.json).toMatchObject({ code: 'EXPORT_SIGNATURE_INVALID' });
    expect(signedServer.engine.sandboxIds()).toEqual([]);
    // A sandbox on the keyed server: its export is signed and imports there.
    const own = (await call(signedServer, undefined, 'POST', '/sandboxes', { bank: 'swedbank', start: '2026-03-12T08:00:00' })).json as unknown as Sandbox;
    const signedExport = (await call(signedServer, own.apiKey, 'GET', `/sandboxes/${own.sandboxId}/export`)).text;
    const signed = JSON.parse(signedExport) as { signature: string; digest: string; sandbox: { core: { now: string } } };
    expect(signed.signature).toMatch(/^hmac-sha256:[0-9a-f]{64}$/);
    const again = await call(signedServer, undefined, 'POST', '/sandboxes/import', undefined, signedExport);
    expect(again.status).toBe(201);
    expect(again.json['signatureVerified']).toBe(true);
    // Changed, then given a fresh digest: only the signature can tell, and it does.
    signed.sandbox.core.now = '2026-03-13T08:00:00';
    const { digest: _d, signature, ...rest } = signed;
    const { createHash } = await import('node:crypto');
    const forged = JSON.stringify({ ...rest, digest: `sha256:${createHash('sha256').update(canonicalJson(rest)).digest('hex')}`, signature });
    const tampered = await call(signedServer, undefined, 'POST', '/sandboxes/import', undefined, forged);
    expect(tampered.status).toBe(403);
    expect(tampered.json).toMatchObject({ code: 'EXPORT_SIGNATURE_INVALID' });
    expect(signedServer.engine.sandboxIds()).toHaveLength(2);
    // A server without a key still takes a signed file on its digest.
    expect((await call(copyServer, undefined, 'POST', '/sandboxes/import', undefined, signedExport)).status).toBe(201);
  });
});
