/**
 * End-to-end behaviour of the bank API, written once and run against the real server on a
 * port (http.test.ts) and against the msw handlers in-process (msw.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { parsePain002 } from '../../formats/pain002/parse.ts';
import { parseAccountReport } from '../../formats/camt/report-parse.ts';
import { parseBgMax } from '../../formats/bankgirot/bgmax.ts';
import { pain001For, type FileSender } from '../support/payment-files.ts';

export interface Target {
  baseUrl: () => string;
}

interface SandboxJson {
  sandboxId: string;
  apiKey: string;
  bank: string;
  now: string;
  company: { bankgiro: string; agreementId: string; name: string };
  accounts: { accountId: string; iban: string; primary: boolean }[];
  internetBankUsers: { userId: string; totpSecret: string; role: string }[];
}

export async function call(target: Target, method: string, path: string, options: { key?: string; json?: unknown; body?: string | Uint8Array; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { ...options.headers };
  if (options.key) headers['authorization'] = `Bearer ${options.key}`;
  let body: string | Uint8Array | undefined = options.body;
  if (options.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.json);
  }
  const response = await fetch(`${target.baseUrl()}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: response.status, headers: response.headers, text, json: parsed as Record<string, unknown> & { [k: string]: any } };
}

export function sender(s: SandboxJson): FileSender {
  return { id: s.sandboxId, now: s.now, company: s.company, accounts: s.accounts };
}

export async function createSandbox(target: Target, bank: 'swedbank' | 'sparbanken', extra: Record<string, unknown> = {}): Promise<SandboxJson> {
  const res = await call(target, 'POST', '/sandboxes', { json: { bank, seed: 4242, start: '2026-03-12T08:00:00', ...extra } });
  expect(res.status).toBe(201);
  return res.json as unknown as SandboxJson;
}

export function apiSuite(target: Target): void {
  describe.each(['swedbank', 'sparbanken'] as const)('%s', (bank) => {
    it('creates a sandbox with credentials, accounts and TOTP users', async () => {
      const sandbox = await createSandbox(target, bank);
      expect(sandbox).toMatchObject({ bank, now: '2026-03-12T08:00:00' });
      expect(sandbox.apiKey).toMatch(/^sk_test_/);
      expect(sandbox.accounts[0]?.iban).toMatch(/^SE\d{22}$/);
      expect(sandbox.internetBankUsers[0]?.totpSecret).toMatch(/^[A-Z2-7]{32}$/);
      expect(sandbox.company.agreementId).toMatch(/^06\d{10}B001$/);
    });

    it('upload → Received by bank → sign → advance → executed, balance debited, reports in the mailbox', async () => {
      const sandbox = await createSandbox(target, bank);
      const key = sandbox.apiKey;
      const xml = pain001For(sender(sandbox), [{ amountOre: 1_250_00, date: '2026-03-16' }, { amountOre: 489_50, date: '2026-03-16' }]);
      const upload = await call(target, 'POST', `/v1/${bank}/payment-files`, { key, body: xml, headers: { 'content-type': 'application/xml', 'idempotency-key': 'upload-1' } });
      expect(upload.status).toBe(202);
      expect(upload.json).toMatchObject({ status: 'RECEIVED' });
      expect(upload.headers.get('location')).toBe(`/v1/${bank}/payment-files/${upload.json.fileId}`);
      const fileId = upload.json.fileId as string;

      const again = await call(target, 'POST', `/v1/${bank}/payment-files`, { key, body: xml, headers: { 'content-type': 'application/xml', 'idempotency-key': 'upload-1' } });
      expect(again.json.fileId).toBe(fileId);
      expect(again.headers.get('idempotency-hit')).toBe('true');

      const status = await call(target, 'GET', `/v1/${bank}/payment-files/${fileId}`, { key });
      expect(status.json).toMatchObject({ status: 'AWAITING_SIGNATURE', numberOfTransactions: 2, controlSumOre: 1_739_50 });
      expect(status.json.payments).toHaveLength(2);
      const summary = await call(target, 'GET', `/v1/${bank}/payment-files/${fileId}?payments=false`, { key });
      expect(summary.json).toMatchObject({ status: 'AWAITING_SIGNATURE', numberOfTransactions: 2 });
      expect(summary.json.payments).toBeUndefined();

      const sign = await call(target, 'POST', `/v1/${bank}/payment-files/${fileId}/signatures`, { key, json: { signedBy: 'Anna Admin', role: 'administrator', verification: 'totp' } });
      expect(sign.status).toBe(201);
      expect(sign.json).toMatchObject({ status: 'SIGNED' });

      const account = sandbox.accounts[0]?.accountId;
      const before = await call(target, 'GET', `/v1/${bank}/accounts/${account}/balances`, { key });
      expect(before.json).toMatchObject({ reservedOre: 1_739_50 });
      const scheduled = await call(target, 'GET', `/v1/${bank}/payments?status=scheduled`, { key });
      expect(scheduled.json.payments).toHaveLength(2);

      const advance = await call(target, 'POST', `/sandboxes/${sandbox.sandboxId}/clock/advance`, { key, json: { to: '2026-03-16T23:00:00' } });
      expect(advance.json).toMatchObject({ now: '2026-03-16T23:00:00' });
      const after = await call(target, 'GET', `/v1/${bank}/accounts/${account}/balances`, { key });
      expect(after.json.bookedOre).toBe((before.json.bookedOre as number) - 1_739_50);
      expect(after.json.reservedOre).toBe(0);
      const executed = await call(target, 'GET', `/v1/${bank}/payment-files/${fileId}`, { key });
      expect(executed.json.payments.map((p: { status: string }) => p.status)).toEqual(['EXECUTED', 'EXECUTED']);

      const reports = await call(target, 'GET', `/v1/${bank}/reports`, { key });
      const types = reports.json.reports.map((r: { type: string }) => r.type);
      expect(types).toEqual(expect.arrayContaining(['pain.002', 'camt.054', 'camt.053']));
      const last = reports.json.reports.filter((r: { type: string }) => r.type === 'pain.002').at(-1);
      const raw = await call(target, 'GET', `/v1/${bank}/reports/${last.reportId}`, { key });
      expect(raw.headers.get('content-type')).toContain('xml');
      const pain002 = parsePain002(raw.text);
      expect(pain002.ok).toBe(true);
      expect(pain002.value?.version).toBe(bank === 'swedbank' ? 'pain.002.001.03' : 'pain.002.001.10');
      expect(pain002.value?.paymentInformation[0]?.transactions.map((t) => t.status)).toEqual(['ACSC', 'ACSC']);

      const cursor = await call(target, 'GET', `/v1/${bank}/reports?after=${reports.json.nextCursor}`, { key });
      expect(cursor.json.reports).toEqual([]);
    });

    it('incoming payment with OCR → camt.054 credit now, BgMax at end of day', async () => {
      const sandbox = await createSandbox(target, bank);
      const key = sandbox.apiKey;
      const paid = await call(target, 'POST', `/sandboxes/${sandbox.sandboxId}/incoming-payments`, { key, json: { amountOre: 15_250, reference: '1234574', payerName: 'Kund AB' } });
      expect(paid.status).toBe(201);
      await call(target, 'POST', `/sandboxes/${sandbox.sandboxId}/clock/advance`, { key, json: { days: 1 } });
      const reports = await call(target, 'GET', `/v1/${bank}/reports`, { key });
      const bgmax = reports.json.reports.find((r: { type: string }) => r.type === 'bgmax');
      const raw = await fetch(`${target.baseUrl()}/v1/${bank}/reports/${bgmax.reportId}`, { headers: { authorization: `Bearer ${key}` } });
      const file = parseBgMax(new Uint8Array(await raw.arrayBuffer()));
      expect(file.ok).toBe(true);
      expect(file.value?.sections[0]?.payments[0]).toMatchObject({ reference: '1234574', referenceCode: '2', amountOre: 15_250 });
      expect(file.value?.sections[0]?.payeeBankgiro.replace(/^0+/, '')).toBe(sandbox.company.bankgiro);
      const credit = reports.json.reports.find((r: { type: string }) => r.type === 'camt.054');
      const camt = parseAccountReport((await call(target, 'GET', `/v1/${bank}/reports/${credit.reportId}`, { key })).text);
      expect(camt.value?.reports[0]?.entries[0]).toMatchObject({ creditDebit: 'CRDT', amountOre: 15_250 });
    });
  });

  describe('bad and hostile input (problem+json with a stable code)', () => {
    it('401 without a key, 401 with a wrong key', async () => {
      const none = await call(target, 'GET', '/v1/swedbank/accounts');
      expect(none.status).toBe(401);
      expect(none.headers.get('content-type')).toBe('application/problem+json');
      expect(none.json).toMatchObject({ code: 'UNAUTHORIZED', status: 401 });
      expect((await call(target, 'GET', '/v1/swedbank/accounts', { key: 'sk_test_nope' })).json.code).toBe('UNAUTHORIZED');
    });

    it("another tenant's sandbox is 404, never its data; unknown bank 404", async () => {
      const a = await createSandbox(target, 'swedbank');
      const b = await createSandbox(target, 'swedbank');
      const res = await call(target, 'POST', `/sandboxes/${b.sandboxId}/clock/advance`, { key: a.apiKey, json: { days: 1 } });
      expect(res.status).toBe(404);
      expect(res.json.code).toBe('SANDBOX_NOT_FOUND');
      expect((await call(target, 'GET', '/v1/sparbanken/accounts', { key: a.apiKey })).json.code).toBe('BANK_MISMATCH');
      expect((await call(target, 'GET', '/v1/nordea/accounts', { key: a.apiKey })).json.code).toBe('UNKNOWN_BANK');
    });

    it('malformed XML, wrong namespace and a DOCTYPE are received, then rejected FF01 in pain.002', async () => {
      const s = await createSandbox(target, 'swedbank');
      for (const body of ['<Document><oops', '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.02"><CstmrCdtTrfInitn/></Document>',
        '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.03">&x;</Document>']) {
        const up = await call(target, 'POST', '/v1/swedbank/payment-files', { key: s.apiKey, body, headers: { 'content-type': 'application/xml' } });
        expect(up.status).toBe(202);
        const file = await call(target, 'GET', `/v1/swedbank/payment-files/${up.json.fileId}`, { key: s.apiKey });
        expect(file.json.status).toBe('REJECTED');
        expect(file.json.reasons[0].code).toBe('FF01');
      }
      const reports = await call(target, 'GET', '/v1/swedbank/reports?type=pain.002', { key: s.apiKey });
      const raw = await call(target, 'GET', `/v1/swedbank/reports/${reports.json.reports[2].reportId}`, { key: s.apiKey });
      expect(parsePain002(raw.text).value?.original).toMatchObject({ groupStatus: 'RJCT', reasons: [{ code: 'FF01' }] });
    });

    it('duplicate-file control: the same MsgId with other bytes, or identical bytes under a new Idempotency-Key, is rejected DUPL; the same key with the same bytes answers the original', async () => {
      const s = await createSandbox(target, 'swedbank');
      const core = sender(s);
      const first = pain001For(core, [{ amountOre: 100, date: '2026-03-16' }], { messageId: 'DUP-1' });
      const second = pain001For(core, [{ amountOre: 200, date: '2026-03-16' }], { messageId: 'DUP-1' });
      const upload = (body: string, key?: string) => call(target, 'POST', '/v1/swedbank/payment-files', { key: s.apiKey, body, headers: { 'content-type': 'application/xml', ...(key === undefined ? {} : { 'idempotency-key': key }) } });
      const fileOf = async (fileId: string) => (await call(target, 'GET', `/v1/swedbank/payment-files/${fileId}`, { key: s.apiKey })).json;
      const a = await upload(first, 'k1');
      expect((await fileOf(a.json.fileId)).status).toBe('AWAITING_SIGNATURE');
      // The key is what makes a retry a retry: same key, same bytes → the original answer.
      const retry = await upload(first, 'k1');
      expect(retry.json.fileId).toBe(a.json.fileId);
      expect(retry.headers.get('idempotency-hit')).toBe('true');
      // Identical bytes under a new key, or with none, are a second file: the bank rejects it DUPL.
      for (const key of ['k2', undefined]) {
        const again = await upload(first, key);
        expect(again.status).toBe(202);
        expect(again.json.fileId).not.toBe(a.json.fileId);
        expect(again.headers.get('idempotency-hit')).toBeNull();
        expect(await fileOf(again.json.fileId)).toMatchObject({ status: 'REJECTED', reasons: [{ code: 'DUPL' }] });
      }
      const b = await upload(second);
      expect(await fileOf(b.json.fileId)).toMatchObject({ status: 'REJECTED', reasons: [{ code: 'DUPL' }] });
      const reports = await call(target, 'GET', '/v1/swedbank/reports?type=pain.002', { key: s.apiKey });
      const last = reports.json.reports.at(-1);
      expect(parsePain002((await call(target, 'GET', `/v1/swedbank/reports/${last.reportId}`, { key: s.apiKey })).text).value?.original).toMatchObject({ groupStatus: 'RJCT', reasons: [{ code: 'DUPL' }] });
      const conflict = await upload(second, 'k1');
      expect(conflict.status).toBe(422);
      expect(conflict.json.code).toBe('IDEMPOTENCY_KEY_REUSED');
    });

    it('one MsgId rule: a file rejected as a whole, or every payment of which was rejected, reserves nothing; a corrected file may reuse its MsgId', async () => {
      const s = await createSandbox(target, 'swedbank');
      const core = sender(s);
      const upload = (body: string) => call(target, 'POST', '/v1/swedbank/payment-files', { key: s.apiKey, body, headers: { 'content-type': 'application/xml' } });
      const fileOf = async (fileId: string) => (await call(target, 'GET', `/v1/swedbank/payment-files/${fileId}`, { key: s.apiKey })).json;
      // Every payment rejected (wrong bankgiro check digit): the file is REJECTED, its MsgId free.
      const allRejected = await upload(pain001For(core, [{ amountOre: 100, date: '2026-03-16', bankgiro: '50501056' }], { messageId: 'RULE-1' }));
      expect((await fileOf(allRejected.json.fileId)).status).toBe('REJECTED');
      const corrected = await upload(pain001For(core, [{ amountOre: 100, date: '2026-03-16' }], { messageId: 'RULE-1' }));
      expect((await fileOf(corrected.json.fileId)).status).toBe('AWAITING_SIGNATURE');
      // Rejected as a whole (not XML at all after the header): likewise free.
      const broken = await upload(pain001For(core, [{ amountOre: 300, date: '2026-03-16' }], { messageId: 'RULE-2' }).replace('</Document>', ''));
      expect((await fileOf(broken.json.fileId)).reasons[0].code).toBe('FF01');
      const fixed = await upload(pain001For(core, [{ amountOre: 300, date: '2026-03-16' }], { messageId: 'RULE-2' }));
      expect((await fileOf(fixed.json.fileId)).status).toBe('AWAITING_SIGNATURE');
      // Once accepted, the MsgId is taken.
      const reuse = await upload(pain001For(core, [{ amountOre: 400, date: '2026-03-16' }], { messageId: 'RULE-1' }));
      expect((await fileOf(reuse.json.fileId)).reasons[0].code).toBe('DUPL');
    });

    it('signing twice is 409; signing a rejected file is 409; clock backwards is 409', async () => {
      const s = await createSandbox(target, 'swedbank');
      const core = sender(s);
      const up = await call(target, 'POST', '/v1/swedbank/payment-files', { key: s.apiKey, body: pain001For(core, [{ amountOre: 100, date: '2026-03-16' }]), headers: { 'content-type': 'application/xml' } });
      const sig = { signedBy: 'A', role: 'administrator', verification: 'totp' };
      expect((await call(target, 'POST', `/v1/swedbank/payment-files/${up.json.fileId}/signatures`, { key: s.apiKey, json: sig })).status).toBe(201);
      const twice = await call(target, 'POST', `/v1/swedbank/payment-files/${up.json.fileId}/signatures`, { key: s.apiKey, json: sig });
      expect(twice.status).toBe(409);
      expect(twice.json.code).toBe('FILE_NOT_AWAITING_SIGNATURE');
      const bad = await call(target, 'POST', '/v1/swedbank/payment-files', { key: s.apiKey, body: '<x/>', headers: { 'content-type': 'application/xml' } });
      expect((await call(target, 'POST', `/v1/swedbank/payment-files/${bad.json.fileId}/signatures`, { key: s.apiKey, json: sig })).json.code).toBe('FILE_NOT_AWAITING_SIGNATURE');
      const back = await call(target, 'POST', `/sandboxes/${s.sandboxId}/clock/advance`, { key: s.apiKey, json: { to: '2026-01-01' } });
      expect(back.status).toBe(409);
      expect(back.json.code).toBe('CLOCK_BACKWARDS');
      const user = await call(target, 'POST', `/v1/swedbank/payment-files/${up.json.fileId}/signatures`, { key: s.apiKey, json: { ...sig, role: 'user' } });
      expect(user.status).toBe(409);
    });

    it('a non-administrator cannot sign in-app (403); request bodies are validated (400 with errors)', async () => {
      const s = await createSandbox(target, 'swedbank');
      const core = sender(s);
      const up = await call(target, 'POST', '/v1/swedbank/payment-files', { key: s.apiKey, body: pain001For(core, [{ amountOre: 100, date: '2026-03-16' }]), headers: { 'content-type': 'application/xml' } });
      const user = await call(target, 'POST', `/v1/swedbank/payment-files/${up.json.fileId}/signatures`, { key: s.apiKey, json: { signedBy: 'U', role: 'user', verification: 'totp' } });
      expect(user.status).toBe(403);
      expect(user.json.code).toBe('SIGNING_NOT_ALLOWED');
      const invalid = await call(target, 'POST', '/sandboxes', { json: { bank: 'nordea' } });
      expect(invalid.status).toBe(400);
      expect(invalid.json.code).toBe('INVALID_REQUEST');
      expect(invalid.json.errors[0].path).toBe('bank');
      const notJson = await call(target, 'POST', '/sandboxes', { body: '{nope', headers: { 'content-type': 'application/json' } });
      expect(notJson.json.code).toBe('INVALID_JSON');
    });

    it('unknown filters are 400 INVALID_REQUEST, not silently empty lists', async () => {
      const s = await createSandbox(target, 'swedbank');
      expect((await call(target, 'GET', '/v1/swedbank/reports?type=camt.999', { key: s.apiKey })).json).toMatchObject({ status: 400, code: 'INVALID_REQUEST' });
      expect((await call(target, 'GET', '/v1/swedbank/payments?status=paid-maybe', { key: s.apiKey })).json).toMatchObject({ status: 400, code: 'INVALID_REQUEST' });
    });

    it('unknown endpoint 404, wrong method 405 with Allow', async () => {
      expect((await call(target, 'GET', '/v1/swedbank/nothing-here')).json.code).toBe('NOT_FOUND');
      const wrong = await call(target, 'DELETE', '/sandboxes');
      expect(wrong.status).toBe(405);
      expect(wrong.headers.get('allow')).toBe('POST, GET');
    });

    it('GET /sandboxes lists the sandbox of the API key, without its secrets; no key is 401', async () => {
      const s = await createSandbox(target, 'sparbanken');
      await createSandbox(target, 'sparbanken');
      const list = await call(target, 'GET', '/sandboxes', { key: s.apiKey });
      expect(list.status).toBe(200);
      expect(list.json.sandboxes.map((x: { sandboxId: string }) => x.sandboxId)).toEqual([s.sandboxId]);
      expect(JSON.stringify(list.json)).not.toContain(s.apiKey);
      expect(list.json.sandboxes[0].internetBankUsers[0]).not.toHaveProperty('password');
      expect((await call(target, 'GET', '/sandboxes')).json).toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
      expect((await call(target, 'GET', '/sandboxes', { key: 'sk_test_nobody' })).json).toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
    });

    it('an injected 503 is answered, then the retry with the same Idempotency-Key lands once', async () => {
      const s = await createSandbox(target, 'swedbank');
      const core = sender(s);
      await call(target, 'PUT', `/sandboxes/${s.sandboxId}/faults`, { key: s.apiKey, json: { rules: [{ match: { endpoint: '/v1/{bank}/payment-files', method: 'POST' }, action: { type: 'http-error', status: 503, times: 1 } }] } });
      const body = pain001For(core, [{ amountOre: 100, date: '2026-03-16' }]);
      const first = await call(target, 'POST', '/v1/swedbank/payment-files', { key: s.apiKey, body, headers: { 'content-type': 'application/xml', 'idempotency-key': 'retry-1' } });
      expect(first.status).toBe(503);
      expect(first.headers.get('retry-after')).toBe('1');
      const retry = await call(target, 'POST', '/v1/swedbank/payment-files', { key: s.apiKey, body, headers: { 'content-type': 'application/xml', 'idempotency-key': 'retry-1' } });
      expect(retry.status).toBe(202);
      const files = await call(target, 'GET', '/v1/swedbank/payment-files', { key: s.apiKey });
      expect(files.json.files).toHaveLength(1);
    });
  });
}
