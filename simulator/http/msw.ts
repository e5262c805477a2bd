/**
 * The same route table as msw handlers: a developer's unit tests run the real simulated bank
 * in-process, no port. `createSandbankHandlers()` gives handlers for `setupServer` and the
 * engine behind them (in-memory store unless one is passed).
 *
 *   const bank = createSandbankHandlers({ baseUrl: 'http://bank.test' });
 *   const server = setupServer(...bank.handlers);
 */
import { http, type HttpHandler } from 'msw';
import { webcrypto } from 'node:crypto';
import { createRandom } from '../../formats/random.ts';
import { Engine } from '../engine/bank.ts';
import { MemoryStore } from '../store/memory.ts';
import { handle, type Route, type RouteContext } from './routes.ts';
import { BodyTooLarge, DEFAULT_BODY_LIMIT_BYTES, type ApiRequest } from './types.ts';

export interface SandbankHandlersOptions {
  baseUrl?: string;
  engine?: Engine;
  /** Seed for sandbox ids and keys (default: random, printed nowhere: pass one for repeatable runs). */
  seed?: number;
  /** Default start of new sandboxes (`YYYY-MM-DDTHH:MM:SS`). */
  start?: string;
  bodyLimitBytes?: number;
  extraRoutes?: Route[];
}

function toApiRequest(request: Request, limit: number): ApiRequest {
  const url = new URL(request.url);
  let body: Promise<Uint8Array> | undefined;
  return {
    method: request.method,
    path: url.pathname,
    query: url.searchParams,
    header: (name) => request.headers.get(name) ?? undefined,
    body: () => (body ??= request.arrayBuffer().then((buffer) => {
      if (buffer.byteLength > limit) throw new BodyTooLarge(limit);
      return new Uint8Array(buffer);
    })),
  };
}

export function createSandbankHandlers(options: SandbankHandlersOptions = {}): { handlers: HttpHandler[]; engine: Engine; baseUrl: string } {
  const baseUrl = (options.baseUrl ?? 'http://sandbank.test').replace(/\/$/, '');
  const engine = options.engine ?? new Engine({
    store: new MemoryStore(),
    random: createRandom(options.seed ?? webcrypto.getRandomValues(new Uint32Array(1))[0] ?? 1),
    defaultStart: () => options.start ?? '2026-03-16T08:00:00',
  });
  const limit = options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES;
  const ctx: RouteContext = {
    engine,
    sandboxBodyLimits: new Map(),
    schedule: (sandboxId) => queueMicrotask(() => void engine.settle(sandboxId)),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    ...(options.extraRoutes ? { extraRoutes: options.extraRoutes } : {}),
  };
  const handler = http.all(`${baseUrl}/*`, async ({ request }) => {
    const response = await handle(toApiRequest(request, limit), ctx);
    return new Response(response.status === 204 ? null : response.body, { status: response.status, headers: response.headers });
  });
  return { handlers: [handler], engine, baseUrl };
}
