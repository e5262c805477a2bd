/**
 * Several `sandbank start --store postgres://…` operating-system processes on one database
 * (decision 0012): the whole end-to-end API suite with its requests spread round-robin over
 * two of them; 200 concurrent uploads and signatures over two with one killed -9 midway
 * (every 202 present once, no payment executed twice, balances reconcile with the events,
 * webhook attempts not duplicated); two racing the same clock advance run the cut-off once;
 * a change through one is in the other's very next read; a console login and a fail-webhook
 * fault's count hold across both.
 */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, testPostgres } from '../support/postgres.ts';
import { pain001For } from '../support/payment-files.ts';
import { roundRobin, type RoundRobin } from '../support/round-robin.ts';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';
import { apiSuite, call, createSandbox, sender } from './api-suite.ts';

const server = await testPostgres();
const SKIP = server.available ? '' : ` (skipped: ${server.reason})`;
/** A claim left by a killed server is taken over after this (the default is 11 s). */
const CLAIM_ENV = { SANDBANK_WEBHOOK_CLAIM_MS: '1500' };

describe.skipIf(!server.available)(`two sandbank servers on one PostgreSQL database${SKIP}`, () => {
  let database: { url: string; drop: () => Promise<void> };
  const servers: ServerProcess[] = [];
  let balancer: RoundRobin;
  const start = async () => {
    const started = await startServerProcess(['--store', database.url, '--body-limit', String(1024 * 1024)], CLAIM_ENV);
    servers.push(started);
    return started;
  };
  beforeAll(async () => {
    if (!server.available) return;
    database = await freshDatabase(server.serverUrl);
    // Started together on an empty database: one pair of default sandboxes between them.
    await Promise.all([start(), start()]);
    balancer = await roundRobin(() => servers.slice(0, 2).map((s) => s.url));
  });
  afterAll(async () => {
    await balancer?.close();
    await Promise.all(servers.map((s) => s.kill()));
    await database?.drop();
  });

  it('two servers started together make one default sandbox per bank', async () => {
    const banners = servers.slice(0, 2).map((s) => [...s.output().matchAll(/(Swedbank|Sparbanken) sandbox (sbx_\w+)/g)].map((m) => m[2]));
    expect(banners[0]).toHaveLength(2);
    expect(banners[1]).toEqual(banners[0]);
  });

  describe('the end-to-end API suite, round-robin over both', () => {
    apiSuite({ baseUrl: () => balancer.url });
    it('spread its requests over both servers', () => {
      expect(balancer.counts[0]).toBeGreaterThan(50);
      expect(balancer.counts[1]).toBeGreaterThan(50);
    });
  });

  it("a change through one server is in the other's very next read (its copy was warm and is now stale)", async () => {
    const [a, b] = servers as [ServerProcess, ServerProcess];
    const onA = { baseUrl: () => a.url };
    const onB = { baseUrl: () => b.url };
    const s = await createSandbox(onA, 'swedbank', { start: '2026-03-12T08:00:00' });
    const key = { key: s.apiKey };
    for (let i = 0; i < 8; i++) {
      // B reads first, so its copy is loaded at the version before A's change.
      const before = (await call(onB, 'GET', '/v1/swedbank/payment-files', key)).json.files as unknown[];
      expect(before).toHaveLength(i);
      const up = await call(onA, 'POST', '/v1/swedbank/payment-files', { ...key, body: pain001For(sender(s), [{ amountOre: 100 + i, date: '2026-03-13', endToEndId: `RYW-${i}` }], { messageId: `RYW-${i}` }), headers: { 'content-type': 'application/xml' } });
      expect(up.status).toBe(202);
      const fileId = String(up.json.fileId);
      const seen = await call(onB, 'GET', `/v1/swedbank/payment-files/${fileId}?payments=false`, key);
      expect(seen.status).toBe(200);
      expect(seen.json.status).toBe('AWAITING_SIGNATURE');
      const signed = await call(onA, 'POST', `/v1/swedbank/payment-files/${fileId}/signatures`, { ...key, json: { signedBy: 'A', role: 'administrator', verification: 'totp' } });
      expect(signed.status).toBe(201);
      expect((await call(onB, 'GET', `/v1/swedbank/payment-files/${fileId}?payments=false`, key)).json.status).toBe(signed.json.status);
    }
    // The sandbox's own settings: faults, clock, and the sandbox gone.
    const faults = await call(onA, 'PUT', `/sandboxes/${s.sandboxId}/faults`, { ...key, json: { rules: [{ match: { endpoint: '/v1/{bank}/reports' }, action: { type: 'latency', ms: 1 } }] } });
    expect(faults.status).toBe(200);
    expect((await call(onB, 'GET', `/sandboxes/${s.sandboxId}/faults`, key)).json.rules).toHaveLength(1);
    expect((await call(onA, 'POST', `/sandboxes/${s.sandboxId}/clock/advance`, { ...key, json: { to: '2026-03-12T15:00:00' } })).status).toBe(200);
    expect((await call(onB, 'GET', `/sandboxes/${s.sandboxId}`, key)).json.now).toBe('2026-03-12T15:00:00');
    expect((await call(onA, 'DELETE', `/sandboxes/${s.sandboxId}`, key)).status).toBe(204);
    expect((await call(onB, 'GET', '/v1/swedbank/payment-files', key)).status).toBe(401);
  });

  it('a console login through one server is valid on the other; language and log-out carry over', async () => {
    const [a, b] = servers as [ServerProcess, ServerProcess];
    const s = await createSandbox({ baseUrl: () => a.url }, 'swedbank');
    const jar = new Map<string, string>();
    const page = async (url: string, method: string, path: string, form?: Record<string, string>) => {
      const res = await fetch(`${url}${path}`, {
        method, redirect: 'manual',
        headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '), ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
        ...(form ? { body: new URLSearchParams(form).toString() } : {}),
      });
      for (const c of res.headers.getSetCookie()) {
        const [pair = ''] = c.split(';');
        jar.set(pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1));
      }
      return { status: res.status, location: res.headers.get('location'), text: await res.text() };
    };
    const login = await page(a.url, 'GET', '/console/');
    const loggedIn = await page(a.url, 'POST', '/console/login', { _csrf: /name="_csrf" value="([^"]+)"/.exec(login.text)?.[1] ?? '', key: s.apiKey });
    expect(loggedIn.status).toBe(303);
    // The sandbox page through the other server, in English from then on.
    const onB = await page(b.url, 'GET', `/console/sandboxes/${s.sandboxId}?lang=en`);
    expect(onB.status).toBe(200);
    expect(onB.text).toContain(s.sandboxId);
    const onA = await page(a.url, 'GET', `/console/sandboxes/${s.sandboxId}`);
    expect(onA.status).toBe(200);
    expect(onA.text).toContain('<html lang="en"');
    // A form posted through B with the CSRF token of A's page, then log-out through B ends it on A.
    const csrf = /name="_csrf" value="([^"]+)"/.exec(onA.text)?.[1] ?? '';
    const moved = await page(b.url, 'POST', `/console/sandboxes/${s.sandboxId}/clock`, { _csrf: csrf, to: 'next-cutoff' });
    expect(moved.status).toBe(303);
    expect((await page(b.url, 'POST', '/console/logout', { _csrf: csrf })).status).toBe(303);
    const after = await page(a.url, 'GET', `/console/sandboxes/${s.sandboxId}`);
    expect(after.status).toBe(303);
    expect(after.location).toBe('/console/');
  });

  it('a fail-webhook fault with times fires that often in all, whichever server sends the attempts', async () => {
    const [a, b] = servers as [ServerProcess, ServerProcess];
    const received: string[] = [];
    const receiver: Server = createServer((req, res) => {
      received.push(String(req.headers['sandbank-event-id'] ?? ''));
      req.resume();
      req.on('end', () => res.writeHead(200).end());
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const address = receiver.address();
    try {
      const s = await createSandbox({ baseUrl: () => a.url }, 'swedbank', { start: '2026-03-12T08:00:00', webhook: { url: `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}/hook` } });
      const key = { key: s.apiKey };
      const faults = await call({ baseUrl: () => b.url }, 'PUT', `/sandboxes/${s.sandboxId}/faults`, { ...key, json: { rules: [{ action: { type: 'fail-webhook', status: 503, times: 3 } }] } });
      expect(faults.status).toBe(200);
      // Uploads through both servers: each sends the attempts of the events it made.
      for (let i = 0; i < 8; i++) {
        const target = { baseUrl: () => (i % 2 === 0 ? a.url : b.url) };
        const up = await call(target, 'POST', '/v1/swedbank/payment-files', { ...key, body: pain001For(sender(s), [{ amountOre: 100 + i, date: '2026-03-13', endToEndId: `FW-${i}` }], { messageId: `FW-${i}` }), headers: { 'content-type': 'application/xml' } });
        expect(up.status).toBe(202);
      }
      type Delivery = { state: string; attempts: { status: number | string; error?: string }[] };
      const deliveries = async () => (await call({ baseUrl: () => a.url }, 'GET', `/sandboxes/${s.sandboxId}/webhook/deliveries`, key)).json.deliveries as Delivery[];
      await expect.poll(async () => (await deliveries()).filter((d) => d.state !== 'delivered').length, { timeout: 30_000, interval: 300 }).toBe(0);
      const all = await deliveries();
      expect(all.length).toBeGreaterThanOrEqual(8);
      const injected = all.flatMap((d) => d.attempts).filter((attempt) => attempt.error === 'injected fault');
      expect(injected.map((attempt) => attempt.status)).toEqual([503, 503, 503]);
      expect((await call({ baseUrl: () => a.url }, 'GET', `/sandboxes/${s.sandboxId}/faults`, key)).json.rules[0].hits).toBe(3);
    } finally {
      receiver.closeAllConnections();
      await new Promise((resolve) => receiver.close(resolve));
    }
  });

  it('two servers racing the same clock advance run the cut-off once', async () => {
    const [a, b] = servers as [ServerProcess, ServerProcess];
    const s = await createSandbox({ baseUrl: () => a.url }, 'swedbank', { start: '2026-03-12T08:00:00' });
    const payments = Array.from({ length: 20 }, (_, i) => ({ amountOre: 1000 + i, date: '2026-03-12', endToEndId: `RACE-${i}` }));
    const up = await call({ baseUrl: () => b.url }, 'POST', '/v1/swedbank/payment-files', { key: s.apiKey, body: pain001For(sender(s), payments, { messageId: 'RACE-1' }), headers: { 'content-type': 'application/xml' } });
    expect(up.status).toBe(202);
    const signed = await call({ baseUrl: () => a.url }, 'POST', `/v1/swedbank/payment-files/${up.json.fileId}/signatures`, { key: s.apiKey, json: { signedBy: 'A', role: 'administrator', verification: 'totp' } });
    expect(signed.status).toBe(201);
    const advance = (url: string) => call({ baseUrl: () => url }, 'POST', `/sandboxes/${s.sandboxId}/clock/advance`, { key: s.apiKey, json: { to: '2026-03-13T08:00:00' } });
    const answers = await Promise.all([advance(a.url), advance(b.url), advance(a.url), advance(b.url)]);
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    const target = { baseUrl: () => b.url };
    const listed = (await call(target, 'GET', '/v1/swedbank/payments', { key: s.apiKey })).json.payments as { paymentId: string; status: string }[];
    expect(listed.map((p) => p.status)).toEqual(Array.from({ length: 20 }, () => 'EXECUTED'));
    const entries = (await call(target, 'GET', `/v1/swedbank/accounts/${s.accounts[0]?.accountId}/entries`, { key: s.apiKey })).json.entries as { paymentId?: string }[];
    expect(entries.filter((e) => e.paymentId !== undefined)).toHaveLength(20);
    const events = (await call({ baseUrl: () => a.url }, 'GET', `/sandboxes/${s.sandboxId}/events`, { key: s.apiKey })).json.events as { type: string; data: { status?: string } }[];
    expect(events.filter((e) => e.type === 'payment.status_changed' && e.data.status === 'EXECUTED')).toHaveLength(20);
    const reports = (await call(target, 'GET', '/v1/swedbank/reports?limit=1000', { key: s.apiKey })).json.reports as { type: string }[];
    // One end of day: one camt.053 per account.
    expect(reports.filter((r) => r.type === 'camt.053')).toHaveLength(s.accounts.length);
  });

  it('200 concurrent uploads and signatures over two servers, one killed -9 midway: nothing lost, doubled or sent twice', async () => {
    const received: { eventId: string; body: string }[] = [];
    const receiver: Server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push({ eventId: String(req.headers['sandbank-event-id'] ?? ''), body });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const address = receiver.address();
    const receiverUrl = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}/hook`;
    try {
      const victim = await start();
      const survivor = servers[1] as ServerProcess;
      const s = await createSandbox({ baseUrl: () => survivor.url }, 'sparbanken', { start: '2026-03-12T08:00:00', openingBalancesOre: [100_000_000], webhook: { url: receiverUrl } });
      const COUNT = 200;
      let killed = false;
      let answered = 0;
      /** Each request goes to the victim or the survivor in turn; a request the killed one drops is sent again to the survivor, as a client retries. */
      const send = async (i: number, method: string, path: string, options: Parameters<typeof call>[3]) => {
        const first = i % 2 === 0 && !killed ? victim.url : survivor.url;
        let answer: Awaited<ReturnType<typeof call>>;
        try {
          answer = await call({ baseUrl: () => first }, method, path, options);
          if (answer.status >= 500 && first === victim.url) throw new Error('victim failed');
        } catch {
          answer = await call({ baseUrl: () => survivor.url }, method, path, options);
        }
        if (++answered === COUNT / 2 && !killed) {
          killed = true;
          await victim.kill();
        }
        return answer;
      };
      const uploads = await Promise.all(Array.from({ length: COUNT }, (_, i) => send(i, 'POST', '/v1/sparbanken/payment-files', {
        key: s.apiKey,
        body: pain001For(sender(s), [{ amountOre: 100 + i, date: '2026-03-12', endToEndId: `KILL-${i}` }], { messageId: `KILL-MSG-${i}` }),
        headers: { 'content-type': 'application/xml', 'idempotency-key': `kill-${i}` },
      })));
      expect(killed).toBe(true);
      expect(uploads.every((u) => u.status === 202 || u.status === 200)).toBe(true);
      const fileIds = uploads.map((u) => String(u.json.fileId));
      // Every acknowledged file is there once: one file per idempotency key.
      expect(new Set(fileIds).size).toBe(COUNT);
      const files = (await call({ baseUrl: () => survivor.url }, 'GET', '/v1/sparbanken/payment-files', { key: s.apiKey })).json.files as { fileId: string }[];
      expect(files.map((f) => f.fileId).sort()).toEqual([...fileIds].sort());

      const survivorTarget = { baseUrl: () => survivor.url };
      const signatures = await Promise.all(fileIds.map((fileId) => call(survivorTarget, 'POST', `/v1/sparbanken/payment-files/${fileId}/signatures`, { key: s.apiKey, json: { signedBy: 'A', role: 'administrator', verification: 'totp' } })));
      expect(signatures.map((r) => r.status).filter((status) => status !== 201)).toEqual([]);
      const advanced = await call(survivorTarget, 'POST', `/sandboxes/${s.sandboxId}/clock/advance`, { key: s.apiKey, json: { to: '2026-03-13T08:00:00' } });
      expect(advanced.status).toBe(200);

      const payments = (await call(survivorTarget, 'GET', '/v1/sparbanken/payments', { key: s.apiKey })).json.payments as { paymentId: string; status: string; amountOre: number }[];
      expect(payments).toHaveLength(COUNT);
      expect(payments.filter((p) => p.status !== 'EXECUTED')).toEqual([]);
      const entries = (await call(survivorTarget, 'GET', `/v1/sparbanken/accounts/${s.accounts[0]?.accountId}/entries`, { key: s.apiKey })).json.entries as { paymentId?: string; amountOre: number }[];
      const booked = entries.filter((e) => e.paymentId !== undefined);
      expect(new Set(booked.map((e) => e.paymentId)).size).toBe(booked.length);
      expect(booked).toHaveLength(COUNT);
      const events = (await call(survivorTarget, 'GET', `/sandboxes/${s.sandboxId}/events`, { key: s.apiKey })).json.events as { id: string; type: string; data: { paymentId?: string; status?: string } }[];
      const executedEvents = events.filter((e) => e.type === 'payment.status_changed' && e.data.status === 'EXECUTED');
      expect(new Set(executedEvents.map((e) => e.data.paymentId)).size).toBe(COUNT);
      expect(executedEvents).toHaveLength(COUNT);
      const balances = (await call(survivorTarget, 'GET', `/v1/sparbanken/accounts/${s.accounts[0]?.accountId}/balances`, { key: s.apiKey })).json;
      const paidOre = payments.reduce((sum, p) => sum + p.amountOre, 0);
      expect(balances.bookedOre).toBe(100_000_000 - paidOre);

      // Webhooks: every event delivered; none sent more often than its attempts recorded.
      await expect.poll(async () => {
        const deliveries = (await call(survivorTarget, 'GET', `/sandboxes/${s.sandboxId}/webhook/deliveries`, { key: s.apiKey })).json.deliveries as { state: string }[];
        const open = deliveries.filter((d) => d.state !== 'delivered');
        return open.length;
      }, { timeout: 60_000, interval: 500 }).toBe(0);
      const deliveries = (await call(survivorTarget, 'GET', `/sandboxes/${s.sandboxId}/webhook/deliveries`, { key: s.apiKey })).json.deliveries as { eventId: string; attempts: unknown[] }[];
      expect(deliveries).toHaveLength(events.length);
      const sent = new Map<string, number>();
      for (const r of received) sent.set(r.eventId, (sent.get(r.eventId) ?? 0) + 1);
      const oversent = deliveries.filter((d) => (sent.get(d.eventId) ?? 0) > d.attempts.length || (sent.get(d.eventId) ?? 0) === 0);
      expect(oversent).toEqual([]);
    } finally {
      receiver.closeAllConnections();
      await new Promise((resolve) => receiver.close(resolve));
    }
  }, 180_000);
});
