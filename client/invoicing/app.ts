/**
 * Wires an invoicing service to its HTTP server (used by main.ts, tests, scenarios, contracts),
 * always with the collaboration lifecycle: its routes, and the guard that keeps a bureau out of
 * a collaboration before its activation and after its termination (decision 0015).
 */
import { activateOnCreation, lifecycleGuard, lifecycleRoutes } from '../collaboration/http.ts';
import { LifecycleStore } from '../collaboration/store.ts';
import { InvoicingService, type InvoicingClock, type InvoicingOptions } from './service.ts';
import { startInvoicingServer, type RunningInvoicingServer } from './http/server.ts';
import type { RateLimit } from './http/rate-limit.ts';
import type { Route } from './http/routes.ts';
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
  /** The collaborations' lifecycles (default: in memory). */
  lifecycles?: LifecycleStore;
}

export interface InvoicingApp extends RunningInvoicingServer {
  service: InvoicingService;
  lifecycles: LifecycleStore;
}

export async function startInvoicing(options: InvoicingAppOptions): Promise<InvoicingApp> {
  const lifecycles = options.lifecycles ?? (await LifecycleStore.open());
  const service = await InvoicingService.open({ store: options.store, clock: options.clock, newKey: options.newKey, activate: activationHook(lifecycles, options.clock), ...(options.retainChanges !== undefined ? { retainChanges: options.retainChanges } : {}) });
  const server = await startInvoicingServer({
    service, rateLimit: options.rateLimit, ...(options.port !== undefined ? { port: options.port } : {}),
    ...(options.nowMs ? { nowMs: options.nowMs } : {}),
    extraRoutes: [...lifecycleRoutes({ store: lifecycles, clock: options.clock }), ...(options.extraRoutes ?? [])],
    guard: lifecycleGuard(lifecycles),
  });
  return {
    ...server,
    service,
    lifecycles,
    close: async () => {
      await server.close();
      await service.close();
    },
  };
}

/** The service's hook for a collaboration created with its terms: the lifecycle's own activation. */
export function activationHook(lifecycles: LifecycleStore, clock: InvoicingClock): NonNullable<InvoicingOptions['activate']> {
  const activate = activateOnCreation(lifecycles, clock);
  return async (collaborationId, terms, who) => {
    const result = await activate(collaborationId, terms, who);
    return result.ok ? { ok: true } : { ok: false, message: result.message };
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
