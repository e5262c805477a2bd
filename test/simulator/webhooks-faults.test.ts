import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRandom } from '../../formats/random.ts';
import { startSimulator, type Simulator } from '../../simulator/app.ts';
import { verifySignature } from '../../simulator/http/webhooks.ts';
import { pain001For } from '../support/payment-files.ts';
import { call, createSandbox, sender } from './api-suite.ts';

let simulator: Simulator;
let receiver: Server;
let receiverUrl = '';
const received: { headers: Record<string, string | string[] | undefined>; body: string }[] = [];
let failFirst = 0;

beforeAll(async () => {
  simulator = await startSimulator({ random: createRandom(21), webhooks: { baseDelayMs: 20, maxAttempts: 4 } });
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      if (failFirst > 0) {
        failFirst--;
        res.writeHead(500).end();
      } else res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
});
afterAll(async () => {
  await simulator.close();
  receiver.close();
});

const target = { baseUrl: () => simulator.url };
const until = async (check: () => boolean | Promise<boolean>, ms = 5000) => {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('webhooks', () => {
  it('POSTs every status change, HMAC-SHA256 signed, retried with backoff after failures, deliveries listable', async () => {
    const s = await createSandbox(target, 'swedbank', { webhook: { url: receiverUrl, secret: 'whsec_0123456789abcdef' } });
    failFirst = 2;
    const up = await call(target, 'POST', '/v1/swedbank/payment-files', { key: s.apiKey, body: pain001For(sender(s), [{ amountOre: 100, date: '2026-03-16' }]), headers: { 'content-type': 'application/xml' } });
    await call(target, 'GET', `/v1/swedbank/payment-files/${up.json.fileId}`, { key: s.apiKey });
    await until(async () => {
      const d = await call(target, 'GET', `/sandboxes/${s.sandboxId}/webhook/deliveries`, { key: s.apiKey });
      return d.json.deliveries.length > 0 && d.json.deliveries.every((x: { state: string }) => x.state === 'delivered');
    });
    const deliveries = (await call(target, 'GET', `/sandboxes/${s.sandboxId}/webhook/deliveries`, { key: s.apiKey })).json.deliveries;
    // The receiver failed its first two requests, whichever deliveries they were (one retried
    // twice, or two once each, as the timing falls): each failure was retried, each delivery ended delivered.
    const attempts = deliveries.map((d: { attempts: { status: number }[] }) => d.attempts.map((a) => a.status));
    expect(attempts.flat().filter((status: number) => status === 500)).toHaveLength(2);
    expect(attempts.flat()).toHaveLength(deliveries.length + 2);
    for (const statuses of attempts) expect(statuses.at(-1)).toBe(204);
    const events = received.filter((r) => r.body.includes(s.sandboxId)).map((r) => JSON.parse(r.body) as { id: string; type: string; data: { status?: string } });
    expect(events.map((e) => e.type)).toContain('payment_file.status_changed');
    expect(events.map((e) => e.data.status)).toEqual(expect.arrayContaining(['RECEIVED', 'AWAITING_SIGNATURE']));
    for (const r of received.filter((x) => x.body.includes(s.sandboxId))) {
      expect(r.headers['sandbank-event-id']).toBe((JSON.parse(r.body) as { id: string }).id);
      expect(verifySignature('whsec_0123456789abcdef', String(r.headers['sandbank-signature']), r.body, Math.floor(Date.now() / 1000))).toBe(true);
      expect(verifySignature('whsec_wrong_secret_000', String(r.headers['sandbank-signature']), r.body, Math.floor(Date.now() / 1000))).toBe(false);
    }
  });

  it('a fail-webhook fault makes deliveries fail until retries are exhausted', async () => {
    const s = await createSandbox(target, 'sparbanken', { webhook: { url: receiverUrl } });
    await call(target, 'PUT', `/sandboxes/${s.sandboxId}/faults`, { key: s.apiKey, json: { rules: [{ match: {}, action: { type: 'fail-webhook', status: 502 } }] } });
    await call(target, 'POST', `/sandboxes/${s.sandboxId}/incoming-payments`, { key: s.apiKey, json: { amountOre: 500, reference: '1234574' } });
    await until(async () => {
      const d = await call(target, 'GET', `/sandboxes/${s.sandboxId}/webhook/deliveries`, { key: s.apiKey });
      return d.json.deliveries.length > 0 && d.json.deliveries.every((x: { state: string }) => x.state === 'failed');
    });
    const d = await call(target, 'GET', `/sandboxes/${s.sandboxId}/webhook/deliveries`, { key: s.apiKey });
    expect(d.json.deliveries[0].attempts).toHaveLength(4);
    expect(d.json.deliveries[0].attempts[0].status).toBe(502);
  });
});

describe('fault injection', () => {
  async function signedFile(bank: 'swedbank' | 'sparbanken', rules: unknown[]) {
    const s = await createSandbox(target, bank);
    await call(target, 'PUT', `/sandboxes/${s.sandboxId}/faults`, { key: s.apiKey, json: { rules } });
    const up = await call(target, 'POST', `/v1/${bank}/payment-files`, { key: s.apiKey, body: pain001For(sender(s), [{ amountOre: 100, date: '2026-03-12' }, { amountOre: 200, date: '2026-03-12', bankgiro: '9912346' }]), headers: { 'content-type': 'application/xml' } });
    await call(target, 'POST', `/v1/${bank}/payment-files/${up.json.fileId}/signatures`, { key: s.apiKey, json: { signedBy: 'A', role: 'administrator', verification: 'totp' } });
    return { s, fileId: up.json.fileId as string };
  }

  it('reject: a closed creditor account (AC04) at execution, first match wins', async () => {
    const { s, fileId } = await signedFile('swedbank', [
      { match: { creditorAccount: '991-2346' }, action: { type: 'reject', reasonCode: 'AC04' } },
      { match: { creditorAccount: '991-2346' }, action: { type: 'reject', reasonCode: 'AC01' } },
    ]);
    await call(target, 'POST', `/sandboxes/${s.sandboxId}/clock/advance`, { key: s.apiKey, json: { days: 1 } });
    const file = (await call(target, 'GET', `/v1/swedbank/payment-files/${fileId}`, { key: s.apiKey })).json;
    expect(file.payments.map((p: { status: string }) => p.status)).toEqual(['EXECUTED', 'REJECTED']);
    expect(file.payments[1].reasons[0].code).toBe('AC04');
  });

  it('drop-report hides pain.002s; duplicate-report delivers them twice; delay-report holds them N bank days', async () => {
    const dropped = await signedFile('swedbank', [{ match: { reportType: 'pain.002' }, action: { type: 'drop-report' } }]);
    const listD = (await call(target, 'GET', '/v1/swedbank/reports', { key: dropped.s.apiKey })).json.reports;
    expect(listD.filter((r: { type: string }) => r.type === 'pain.002')).toEqual([]);

    const duplicated = await signedFile('swedbank', [{ match: { reportType: 'pain.002' }, action: { type: 'duplicate-report' } }]);
    const listT = (await call(target, 'GET', '/v1/swedbank/reports', { key: duplicated.s.apiKey })).json.reports;
    expect(listT.filter((r: { type: string }) => r.type === 'pain.002')).toHaveLength(4);

    const delayed = await signedFile('sparbanken', [{ match: { reportType: 'pain.002' }, action: { type: 'delay-report', bankDays: 1 } }]);
    const before = (await call(target, 'GET', '/v1/sparbanken/reports?type=pain.002', { key: delayed.s.apiKey })).json.reports;
    expect(before).toEqual([]);
    await call(target, 'POST', `/sandboxes/${delayed.s.sandboxId}/clock/advance`, { key: delayed.s.apiKey, json: { to: '2026-03-13T07:00:00' } });
    const after = (await call(target, 'GET', '/v1/sparbanken/reports?type=pain.002', { key: delayed.s.apiKey })).json.reports;
    expect(after.length).toBeGreaterThanOrEqual(2);
  });

  it('latency delays the answer', async () => {
    const s = await createSandbox(target, 'swedbank');
    await call(target, 'PUT', `/sandboxes/${s.sandboxId}/faults`, { key: s.apiKey, json: { rules: [{ match: { endpoint: '/v1/{bank}/accounts', method: 'GET' }, action: { type: 'latency', ms: 150 } }] } });
    const start = performance.now();
    expect((await call(target, 'GET', '/v1/swedbank/accounts', { key: s.apiKey })).status).toBe(200);
    expect(performance.now() - start).toBeGreaterThanOrEqual(140);
  });

  it('camt.055 cancellation document is answered with camt.029', async () => {
    const s = await createSandbox(target, 'swedbank');
    const up = await call(target, 'POST', '/v1/swedbank/payment-files', { key: s.apiKey, body: pain001For(sender(s), [{ amountOre: 100, date: '2026-03-20', endToEndId: 'CX-1' }], { messageId: 'CX-MSG' }), headers: { 'content-type': 'application/xml' } });
    await call(target, 'POST', `/v1/swedbank/payment-files/${up.json.fileId}/signatures`, { key: s.apiKey, json: { signedBy: 'A', role: 'administrator', verification: 'totp' } });
    const { writeCancellationRequest } = await import('../../formats/camt/cancellation.ts');
    const camt055 = writeCancellationRequest({ assignmentId: 'CXL-1', assignerName: s.company.name, assigneeBic: 'SWEDSESS', creationDateTime: '2026-03-12T09:00:00', paymentInformation: [{ originalPaymentInformationId: 'CX-MSG-1', originalMessageId: 'CX-MSG', originalMessageNameId: 'pain.001.001.03', transactions: [{ originalEndToEndId: 'CX-1', reasonCode: 'CUST' }] }] });
    const res = await call(target, 'POST', '/v1/swedbank/cancellation-requests', { key: s.apiKey, body: camt055, headers: { 'content-type': 'application/xml' } });
    expect(res.status).toBe(202);
    const reports = (await call(target, 'GET', '/v1/swedbank/reports?type=camt.029', { key: s.apiKey })).json.reports;
    const { parseResolution } = await import('../../formats/camt/cancellation.ts');
    const resolution = parseResolution((await call(target, 'GET', `/v1/swedbank/reports/${reports[0].reportId}`, { key: s.apiKey })).text);
    expect(resolution.value).toMatchObject({ confirmation: 'CNCL', resolvedCaseId: 'CXL-1' });
    expect(resolution.value?.paymentInformation[0]?.transactions[0]).toMatchObject({ originalEndToEndId: 'CX-1', status: 'ACCR' });
  });
});
