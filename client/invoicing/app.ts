/** Wires an invoicing service to its HTTP server (used by main.ts, tests, scenarios, contracts). */
import { InvoicingService, type InvoicingClock } from './service.ts';
import { startInvoicingServer, type RunningInvoicingServer } from './http/server.ts';
import type { RateLimit } from './http/rate-limit.ts';
import type { Route, RouteContext } from './http/routes.ts';
import type { InvoicingStore } from './store.ts';

export interface InvoicingAppOptions {
  store: InvoicingStore;
  clock: InvoicingClock;
  newKey(): string;
  port?: number;
  rateLimit?: RateLimit | undefined;
  retainChanges?: number;
  nowMs?: () => number;
  extraRoutes?: Route[];
  guard?: RouteContext['guard'];
}

export interface InvoicingApp extends RunningInvoicingServer {
  service: InvoicingService;
}

export async function startInvoicing(options: InvoicingAppOptions): Promise<InvoicingApp> {
  const service = await InvoicingService.open({ store: options.store, clock: options.clock, newKey: options.newKey, ...(options.retainChanges !== undefined ? { retainChanges: options.retainChanges } : {}) });
  const server = await startInvoicingServer({
    service, rateLimit: options.rateLimit, ...(options.port !== undefined ? { port: options.port } : {}),
    ...(options.nowMs ? { nowMs: options.nowMs } : {}), ...(options.extraRoutes ? { extraRoutes: options.extraRoutes } : {}), ...(options.guard ? { guard: options.guard } : {}),
  });
  return {
    ...server,
    service,
    close: async () => {
      await server.close();
      await service.close();
    },
  };
}

/** A seeded key generator for tests and scenarios (never for a real start). */
export function seededKeys(seed: number): () => string {
  let state = seed >>> 0;
  return () => {
    let out = '';
    for (let i = 0; i < 4; i++) {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      out += state.toString(16).padStart(8, '0');
    }
    return out;
  };
}

/** A clock for tests: a fixed date-time that moves only when told. */
export function fixedClock(start: string): InvoicingClock & { set(now: string): void } {
  let now = start;
  return { now: () => now, set: (next) => void (now = next) };
}
