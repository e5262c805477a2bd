import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../simulator/app.ts';
import { createRandom } from '../../formats/random.ts';
import { apiSuite, call, createSandbox } from './api-suite.ts';

let simulator: Simulator;
beforeAll(async () => {
  simulator = await startSimulator({ random: createRandom(99), bodyLimitBytes: 1024 * 1024 });
});
afterAll(async () => simulator.close());

describe('bank API over a real port (127.0.0.1)', () => {
  apiSuite({ baseUrl: () => simulator.url });

  it('bodies over the configured limit get 413 and nothing is stored', async () => {
    const s = await createSandbox({ baseUrl: () => simulator.url }, 'swedbank');
    const big = `<Document>${'x'.repeat(1024 * 1024 + 10)}</Document>`;
    const res = await call({ baseUrl: () => simulator.url }, 'POST', '/v1/swedbank/payment-files', { key: s.apiKey, body: big, headers: { 'content-type': 'application/xml' } });
    expect(res.status).toBe(413);
    expect(res.json.code).toBe('PAYLOAD_TOO_LARGE');
    const files = await call({ baseUrl: () => simulator.url }, 'GET', '/v1/swedbank/payment-files', { key: s.apiKey });
    expect(files.json.files).toEqual([]);
  });

  it('serves the OpenAPI document and the docs page', async () => {
    const doc = await call({ baseUrl: () => simulator.url }, 'GET', '/openapi.json');
    expect(doc.json.openapi).toBe('3.1.0');
    expect(Object.keys(doc.json.paths)).toContain('/v1/{bank}/payment-files/{fileId}/signatures');
    const page = await fetch(`${simulator.url}/docs`);
    expect(await page.text()).toContain('problem-CLOCK_BACKWARDS');
  });
});
