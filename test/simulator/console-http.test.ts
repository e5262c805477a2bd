/**
 * The console and the operator key over real HTTP (no browser): log-in, cookies, CSRF,
 * scopes, the error page, and GET /sandboxes for the operator.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRandom } from '../../formats/random.ts';
import { startSimulator, type Simulator } from '../../simulator/app.ts';
import type { SandboxCore } from '../../simulator/engine/model.ts';

const OPERATOR_KEY = 'op_http_test_0123456789abcdef';
let simulator: Simulator;
let a: SandboxCore;
let b: SandboxCore;

beforeAll(async () => {
  simulator = await startSimulator({ random: createRandom(12), operatorKey: OPERATOR_KEY });
  const one = await simulator.engine.createSandbox({ bank: 'swedbank', start: '2026-03-12T08:00:00' });
  const two = await simulator.engine.createSandbox({ bank: 'sparbanken', start: '2026-03-12T08:00:00' });
  if (!one.ok || !two.ok) throw new Error('no sandbox');
  a = one.value;
  b = two.value;
});
afterAll(async () => simulator.close());

/** A tiny cookie-keeping browser stand-in. */
class Agent {
  private readonly jar = new Map<string, string>();
  async request(method: string, path: string, form?: Record<string, string>): Promise<{ status: number; location: string | null; text: string; cookies: string[] }> {
    const res = await fetch(`${simulator.url}${path}`, {
      method, redirect: 'manual',
      headers: { cookie: [...this.jar].map(([k, v]) => `${k}=${v}`).join('; '), ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      ...(form ? { body: new URLSearchParams(form).toString() } : {}),
    });
    const cookies = res.headers.getSetCookie();
    for (const c of cookies) {
      const [pair = ''] = c.split(';');
      const eq = pair.indexOf('=');
      this.jar.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
    return { status: res.status, location: res.headers.get('location'), text: await res.text(), cookies };
  }
  async logIn(key: string): Promise<string> {
    const page = await this.request('GET', '/console/?lang=en');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
    const res = await this.request('POST', '/console/login', { _csrf: csrf, key });
    expect(res.status).toBe(303);
    const next = await this.request('GET', res.location ?? '/console/');
    return /name="_csrf" value="([^"]+)"/.exec(next.text)?.[1] ?? '';
  }
}

describe('console over HTTP', () => {
  it('GET /sandboxes with the operator key lists every sandbox without secrets', async () => {
    const res = await fetch(`${simulator.url}/sandboxes`, { headers: { authorization: `Bearer ${OPERATOR_KEY}` } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { sandboxes: { sandboxId: string }[] };
    expect(body.sandboxes.map((s) => s.sandboxId).sort()).toEqual([a.id, b.id].sort());
    expect(JSON.stringify(body)).not.toContain(a.apiKey);
    expect(JSON.stringify(body)).not.toContain('totpSecret');
    const wrong = await fetch(`${simulator.url}/sandboxes`, { headers: { authorization: `Bearer ${OPERATOR_KEY}x` } });
    expect(wrong.status).toBe(401);
  });

  it('the session cookie is HttpOnly and SameSite=Strict, and holds no key', async () => {
    const agent = new Agent();
    const page = await agent.request('GET', '/console/');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
    const res = await agent.request('POST', '/console/login', { _csrf: csrf, key: a.apiKey });
    const session = res.cookies.find((c) => c.startsWith('sbc_session='));
    expect(session).toMatch(/HttpOnly/);
    expect(session).toMatch(/SameSite=Strict/);
    expect(session).toMatch(/Path=\/console/);
    expect(session).not.toContain(a.apiKey);
    expect(res.location).toBe(`/console/sandboxes/${a.id}`);
  });

  it('refuses a log-in without the CSRF token, and a wrong key', async () => {
    const agent = new Agent();
    await agent.request('GET', '/console/');
    const forged = await agent.request('POST', '/console/login', { key: a.apiKey });
    expect(forged.status).toBe(403);
    expect(forged.text).toContain('CSRF');
    const page = await agent.request('GET', '/console/?lang=en');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
    const wrong = await agent.request('POST', '/console/login', { _csrf: csrf, key: 'sk_test_nobody' });
    expect(wrong.status).toBe(401);
    expect(wrong.text).toContain('Unknown key.');
  });

  it('a control without the CSRF token is 403 and changes nothing; another sandbox is 404', async () => {
    const agent = new Agent();
    const csrf = await agent.logIn(a.apiKey);
    const before = simulator.engine.sandbox(a.id)?.now;
    const forged = await agent.request('POST', `/console/sandboxes/${a.id}/clock`, { to: 'next-cutoff' });
    expect(forged.status).toBe(403);
    expect(simulator.engine.sandbox(a.id)?.now).toBe(before);
    const foreign = await agent.request('POST', `/console/sandboxes/${b.id}/clock`, { _csrf: csrf, to: 'next-cutoff' });
    expect(foreign.status).toBe(404);
    expect(simulator.engine.sandbox(b.id)?.now).toBe('2026-03-12T08:00:00');
    const moved = await agent.request('POST', `/console/sandboxes/${a.id}/clock`, { _csrf: csrf, to: 'next-cutoff' });
    expect(moved.status).toBe(303);
    expect(simulator.engine.sandbox(a.id)?.now).toBe('2026-03-12T10:00:00');
  });

  it('unknown pages and bad input get the console\'s own error page, never a stack trace', async () => {
    const agent = new Agent();
    const csrf = await agent.logIn(OPERATOR_KEY);
    const missing = await agent.request('GET', '/console/sandboxes/sbx_nothing/files/pf_1');
    expect(missing.status).toBe(404);
    expect(missing.text).toContain('data-testid="error"');
    const nowhere = await agent.request('GET', '/console/no/such/page');
    expect(nowhere.status).toBe(404);
    const huge = await agent.request('POST', `/console/sandboxes/${a.id}/faults`, { _csrf: csrf, rules: 'x'.repeat(100_000) });
    expect(huge.status).toBe(413);
    for (const text of [missing.text, nowhere.text, huge.text]) {
      expect(text).toContain('<!doctype html>');
      expect(text).not.toMatch(/at \w+ \(|node_modules|\/work\/|\.ts:\d+/);
    }
  });

  it('downloads the sandbox export from the console; it imports on the same server', async () => {
    const agent = new Agent();
    await agent.logIn(a.apiKey);
    const page = await agent.request('GET', `/console/sandboxes/${a.id}`);
    expect(page.text).toContain(`href="/console/sandboxes/${a.id}/export"`);
    const file = await agent.request('GET', `/console/sandboxes/${a.id}/export`);
    expect(file.status).toBe(200);
    expect(JSON.parse(file.text)).toMatchObject({ format: 'sandbank.sandbox-export', version: 1, source: { sandboxId: a.id } });
    expect(file.text).not.toContain(a.apiKey);
    const imported = await fetch(`${simulator.url}/sandboxes/import`, { method: 'POST', headers: { authorization: `Bearer ${OPERATOR_KEY}`, 'content-type': 'application/json' }, body: file.text });
    expect(imported.status).toBe(201);
    expect((await agent.request('GET', `/console/sandboxes/${b.id}/export`)).status).toBe(404);
  });

  it('logging out ends the session', async () => {
    const agent = new Agent();
    const csrf = await agent.logIn(a.apiKey);
    expect((await agent.request('GET', `/console/sandboxes/${a.id}`)).status).toBe(200);
    expect((await agent.request('POST', '/console/logout', { _csrf: csrf })).status).toBe(303);
    const after = await agent.request('GET', `/console/sandboxes/${a.id}`);
    expect(after.status).toBe(303);
    expect(after.location).toBe('/console/');
  });
});
