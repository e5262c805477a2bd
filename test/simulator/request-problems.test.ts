/**
 * Over real HTTP: a refused request body names the field and what is expected (never zod's
 * "(body): Invalid input"), and a bank nobody serves gets sandbank's own 404 page, not one
 * dressed as Swedbank.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRandom } from '../../formats/random.ts';
import { startSimulator, type Simulator } from '../../simulator/app.ts';
import { call, createSandbox } from './api-suite.ts';

let simulator: Simulator;
const target = { baseUrl: () => simulator.url };
beforeAll(async () => {
  simulator = await startSimulator({ random: createRandom(77) });
});
afterAll(async () => simulator.close());

describe('request-body problems say what is expected', () => {
  it.each([
    [{ days: 1.5 }, /^days: expected a whole number, got 1\.5 \(give days \(a whole number 0–\d+\) or to \(YYYY-MM-DD or YYYY-MM-DDThh:mm\[:ss\]\)\)$/],
    [{ days: '2' }, /^days: expected a number, got the string "2"/],
    [{}, /^body: give days \(a whole number 0–\d+\) or to \(YYYY-MM-DD or YYYY-MM-DDThh:mm\[:ss\]\)$/],
    [{ days: 1, to: '2026-04-01' }, /^body: give days \(a whole number 0–\d+\) or to/],
  ])('POST /sandboxes/{id}/clock/advance %j', async (json, detail) => {
    const sandbox = await createSandbox(target, 'swedbank');
    const res = await call(target, 'POST', `/sandboxes/${sandbox.sandboxId}/clock/advance`, { key: sandbox.apiKey, json });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const body = res.json as { code: string; detail: string; errors: { path: string; message: string }[] };
    expect(body.code).toBe('INVALID_REQUEST');
    expect(body.detail).toMatch(detail);
    expect(body.detail).not.toMatch(/Invalid input|\(body\)/);
  });

  it('POST /sandboxes with a wrong bank and an unknown field', async () => {
    const res = await call(target, 'POST', '/sandboxes', { json: { bank: 'nordea', colour: 'red' } });
    expect(res.status).toBe(400);
    expect((res.json as { detail: string }).detail).toBe('bank: expected one of "swedbank", "sparbanken", got the string "nordea"; body: unknown field colour: leave it out');
  });
});

describe('the internet bank of a bank nobody serves', () => {
  it('is a neutral sandbank 404 page linking to the real internet banks', async () => {
    for (const path of ['/internetbank/nordea/', '/internetbank/nordea/files']) {
      const res = await fetch(`${simulator.url}${path}?lang=en`);
      expect(res.status).toBe(404);
      const html = await res.text();
      expect(html).toMatch(/<title>404 — sandbank<\/title>/);
      expect(html).not.toMatch(/Swedbank \(sandbox\)|Sparbanken \(sandbox\)/);
      expect(html).toContain('href="/internetbank/swedbank/"');
      expect(html).toContain('href="/internetbank/sparbanken/"');
    }
    const known = await (await fetch(`${simulator.url}/internetbank/swedbank/nosuchpage`)).text();
    expect(known).toMatch(/<title>404 — Swedbank<\/title>/);
  });
});
