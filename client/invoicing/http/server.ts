/**
 * The invoicing program's HTTP server: node:http straight into the route table (as the
 * simulator does), the OpenAPI document and its docs page beside it. Framing errors (body
 * too large, a handler that throws) end as problem+json; nothing internal leaves the process.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { InvoicingService } from '../service.ts';
import { docsPage, openApiDocument } from './openapi.ts';
import { problem, type ApiResponse } from './problem.ts';
import { RateLimiter, type RateLimit } from './rate-limit.ts';
import { handle, type ApiRequest, type Route, type RouteContext } from './routes.ts';

/** Scanned documents travel base64 in JSON: 15 MB of request is a ~11 MB image. */
export const BODY_LIMIT_BYTES = 15 * 1024 * 1024;

export interface InvoicingServerOptions {
  service: InvoicingService;
  port?: number;
  host?: string;
  rateLimit?: RateLimit | undefined;
  /** Milliseconds for the rate limiter's windows (the real clock unless a test moves its own). */
  nowMs?: () => number;
  extraRoutes?: Route[];
  guard?: RouteContext['guard'];
}

export interface RunningInvoicingServer {
  url: string;
  server: Server;
  rateLimiter: RateLimiter;
  close(): Promise<void>;
}

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage): Promise<Uint8Array> {
  if (Number(req.headers['content-length'] ?? -1) > BODY_LIMIT_BYTES) return Promise.reject(new BodyTooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > BODY_LIMIT_BYTES) {
        req.removeAllListeners('data');
        req.resume();
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function toApiRequest(req: IncomingMessage): ApiRequest {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  let body: Promise<Uint8Array> | undefined;
  return {
    method: req.method ?? 'GET',
    path: q === -1 ? url : url.slice(0, q),
    query: new URLSearchParams(q === -1 ? '' : url.slice(q + 1)),
    header: (name) => {
      const value = req.headers[name];
      return Array.isArray(value) ? value.join(', ') : value;
    },
    body: () => (body ??= readBody(req)),
  };
}

function send(res: ServerResponse, response: ApiResponse): void {
  if (res.headersSent) return void res.end();
  res.writeHead(response.status, response.headers);
  res.end(response.body);
}

export async function startInvoicingServer(options: InvoicingServerOptions): Promise<RunningInvoicingServer> {
  const rateLimiter = new RateLimiter(options.rateLimit, options.nowMs ?? (() => performance.now()));
  const ctx = { service: options.service, rateLimiter, ...(options.extraRoutes ? { extraRoutes: options.extraRoutes } : {}), ...(options.guard ? { guard: options.guard } : {}) };
  const openapi = JSON.stringify(openApiDocument(options.extraRoutes ?? []));
  const docs = docsPage(options.extraRoutes ?? []);
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?', 1)[0] ?? '/';
    if (path === '/openapi.json') return send(res, { status: 200, headers: { 'content-type': 'application/json' }, body: openapi });
    if (path === '/docs') return send(res, { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body: docs });
    if (path === '/health') return send(res, { status: 200, headers: { 'content-type': 'application/json' }, body: '{"status":"ok"}' });
    handle(toApiRequest(req), ctx).then(
      (response) => send(res, response),
      (error: unknown) => {
        if (error instanceof BodyTooLarge) return send(res, { ...problem('PAYLOAD_TOO_LARGE', `request bodies are limited to ${BODY_LIMIT_BYTES} bytes`), headers: { 'content-type': 'application/problem+json', connection: 'close' } });
        // The cause stays in this process's log; the client gets the code only.
        console.error('invoicing: internal error', error);
        send(res, problem('INTERNAL_ERROR', 'the invoicing program failed to answer; try again'));
      },
    );
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${address.port}`,
    server,
    rateLimiter,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
