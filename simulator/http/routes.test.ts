import { describe, expect, it } from 'vitest';
import { Engine } from '../engine/bank.ts';
import { createRandom } from '../../formats/random.ts';
import { MemoryStore } from '../store/memory.ts';
import { compiledTable, handle, routes, type Route, type RouteContext } from './routes.ts';
import type { ApiRequest } from './types.ts';

const request = (method: string, path: string): ApiRequest => ({ method, path, query: new URLSearchParams(), header: () => undefined, body: async () => new Uint8Array() });

describe('route table', () => {
  const extra: Route[] = [{ method: 'POST', pattern: '/sandboxes/_test/ping', auth: 'none', handler: async () => ({ status: 200, headers: {}, body: 'pong' }) }];

  it('compiles a table once per set of mounted routes, with or without extra routes', () => {
    expect(compiledTable(extra)).toBe(compiledTable(extra));
    expect(compiledTable(undefined)).toBe(compiledTable(undefined));
    expect(compiledTable(extra)).toHaveLength(routes.length + 1);
    expect(compiledTable(undefined)).toHaveLength(routes.length);
  });

  it('dispatches to extra routes and still reports methods and unknown paths', async () => {
    const engine = new Engine({ store: new MemoryStore(), random: createRandom(1), defaultStart: () => '2026-03-16T08:00:00' });
    const ctx: RouteContext = { engine, schedule: () => undefined, sleep: async () => undefined, extraRoutes: extra };
    expect((await handle(request('POST', '/sandboxes/_test/ping'), ctx)).body).toBe('pong');
    const wrongMethod = await handle(request('GET', '/sandboxes/_test/ping'), ctx);
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers['allow']).toBe('POST');
    expect((await handle(request('GET', '/v1/swedbank/nothing-here'), ctx)).status).toBe(404);
  });
});
