/**
 * Wires a complete simulator (engine + webhooks + server) for `sandbank start`, tests and
 * benchmarks. Only main.ts passes the real clock and a crypto seed.
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import { createRandom, type Random } from '../formats/random.ts';
import { Engine } from './engine/bank.ts';
import type { LocalDateTime } from './engine/model.ts';
import type { StorePort } from './engine/store-port.ts';
import { startServer, type RunningServer } from './http/node-server.ts';
import { internalError, problem } from './http/problem.ts';
import { DEFAULT_MAX_SANDBOXES, type Route } from './http/routes.ts';
import { WebhookPolicy } from './http/webhook-policy.ts';
import { WebhookDispatcher, type DispatcherOptions } from './http/webhooks.ts';
import { MemoryStore } from './store/memory.ts';
import { mountInternetBank } from './internetbank/router.ts';
import { StoredAuthState } from './internetbank/auth-state.ts';
import type { AuthOptions } from './internetbank/auth.ts';
import { mountConsole, type ConsoleOptions } from './console/router.ts';

export interface SimulatorOptions {
  store?: StorePort;
  random?: Random;
  defaultStart?: () => LocalDateTime;
  port?: number;
  /** Address to listen on (default 127.0.0.1). */
  host?: string;
  bodyLimitBytes?: number;
  maxHeaderBytes?: number;
  maxSandboxes?: number;
  /** Sandboxes kept in memory whole; idle ones beyond are evicted (the engine's default otherwise). */
  maxLoadedSandboxes?: number;
  /** Hosts, addresses or CIDR ranges webhooks may reach besides public addresses. */
  webhookAllow?: string[];
  /** Trust X-Forwarded-Proto from a TLS-terminating proxy (cookies then get Secure). */
  trustProxy?: boolean;
  log?: (line: string) => void;
  webhooks?: DispatcherOptions;
  extraRoutes?: Route[];
  pages?: (app: express.Express, engine: Engine) => void;
  internetBank?: AuthOptions;
  /** `sandbank start --operator-key`: creating sandboxes needs it; it lists every sandbox (GET /sandboxes, the console). */
  operatorKey?: string;
  /** `sandbank start --export-key`: signs exports; only imports signed with it are accepted. */
  exportKey?: string;
  console?: ConsoleOptions;
}

export interface Simulator extends RunningServer {
  engine: Engine;
  webhooks: WebhookDispatcher;
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  let dispatcher: WebhookDispatcher | undefined;
  const store = options.store ?? new MemoryStore();
  const engine = new Engine({
    store,
    random: options.random ?? createRandom(1),
    defaultStart: options.defaultStart ?? (() => '2026-03-16T08:00:00'),
    onEvents: (sandboxId) => dispatcher?.kick(sandboxId),
    ...(options.maxLoadedSandboxes === undefined ? {} : { maxLoadedSandboxes: options.maxLoadedSandboxes }),
  });
  await engine.load();
  const host = options.host ?? '127.0.0.1';
  const webhookPolicy = new WebhookPolicy({ serverOnLoopback: isLoopbackHost(host), ...(options.webhookAllow ? { allow: options.webhookAllow } : {}) });
  dispatcher = new WebhookDispatcher(engine, { policy: webhookPolicy, ...options.webhooks });
  const pages = express();
  pages.disable('x-powered-by');
  if (options.trustProxy) pages.set('trust proxy', true);
  // Several servers on one store: the internet bank's sessions and lockouts live in it too.
  mountInternetBank(pages, engine, { ...(store.shared ? { state: new StoredAuthState(store) } : {}), ...options.internetBank });
  mountConsole(pages, engine, {
    ...options.console,
    // Several servers on one store: console sessions live in it too.
    store,
    ...(options.operatorKey === undefined ? {} : { operatorKey: options.operatorKey }),
    ...(options.exportKey === undefined ? {} : { exportKey: options.exportKey }),
  });
  options.pages?.(pages, engine);
  pages.get('/', (_req, res) => {
    res.type('html').send(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>sandbank</title></head><body>
<h1>sandbank</h1><p>Simulated Swedbank and Sparbanken.</p><ul><li><a href="/console/">Console</a> (log in with an API key)</li><li><a href="/docs">API reference</a> (<a href="/openapi.json">OpenAPI</a>)</li>
<li><a href="/internetbank/swedbank/">Swedbank internet bank</a></li><li><a href="/internetbank/sparbanken/">Sparbanken internet bank</a></li></ul></body></html>`);
  });
  // Express's own 404 and error pages (with stack traces outside production) never answer.
  pages.use((_req: Request, res: Response) => void sendApi(res, problem('NOT_FOUND', 'no such page')));
  pages.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => void sendApi(res, internalError(error, options.log)));
  const server = await startServer({
    engine,
    pages,
    host,
    policy: { maxSandboxes: options.maxSandboxes ?? DEFAULT_MAX_SANDBOXES, webhooks: webhookPolicy },
    ...(options.log ? { log: options.log } : {}),
    ...(options.maxHeaderBytes === undefined ? {} : { maxHeaderBytes: options.maxHeaderBytes }),
    ...(options.port === undefined ? {} : { port: options.port }),
    ...(options.bodyLimitBytes === undefined ? {} : { bodyLimitBytes: options.bodyLimitBytes }),
    ...(options.extraRoutes ? { extraRoutes: options.extraRoutes } : {}),
    ...(options.operatorKey === undefined ? {} : { operatorKey: options.operatorKey }),
    ...(options.exportKey === undefined ? {} : { exportKey: options.exportKey }),
  });
  const webhooks = dispatcher;
  for (const id of engine.sandboxIds()) webhooks.kick(id);
  return {
    ...server,
    engine,
    webhooks,
    close: async () => {
      webhooks.stop();
      await server.close();
    },
  };
}

function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || /^127\./.test(host) || host === '::1';
}

function sendApi(res: Response, response: { status: number; headers: Record<string, string>; body: string | Uint8Array }): void {
  if (res.headersSent) return void res.end();
  res.status(response.status).set(response.headers).send(response.body);
}
