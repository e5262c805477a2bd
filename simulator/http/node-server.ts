/**
 * The real server. The bank API and test-helper API go straight from node:http to the route
 * table (no framework on the hot path: see bench/simulator.ts); everything else (internet
 * bank pages, docs) is handed to an express app.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import type { Engine } from '../engine/bank.ts';
import { openApiDocument, docsPage } from './openapi.ts';
import { problem } from './problem.ts';
import { handle, type Route, type RouteContext } from './routes.ts';
import { BodyTooLarge, DEFAULT_BODY_LIMIT_BYTES, type ApiRequest, type ApiResponse } from './types.ts';

export interface ServerOptions {
  engine: Engine;
  port?: number;
  host?: string;
  bodyLimitBytes?: number;
  /** Serves every path the API does not (internet bank, landing page). */
  pages?: Express;
  extraRoutes?: Route[];
  operatorKey?: string;
  onSettle?: (sandboxId: string) => void;
}

export interface RunningServer {
  url: string;
  server: Server;
  /** Changes the request body limit (undefined: back to the configured one). */
  setBodyLimit(bytes: number | undefined): void;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage, limit: number): Promise<Uint8Array> {
  const declared = Number(req.headers['content-length'] ?? -1);
  if (declared > limit) return Promise.reject(new BodyTooLarge(limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        reject(new BodyTooLarge(limit));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function toApiRequest(req: IncomingMessage, limit: number): ApiRequest {
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
    body: () => (body ??= readBody(req, limit)),
  };
}

function send(res: ServerResponse, response: ApiResponse): void {
  res.writeHead(response.status, response.headers);
  res.end(response.body);
}

export function isApiPath(path: string): boolean {
  return path.startsWith('/v1/') || path === '/sandboxes' || path.startsWith('/sandboxes/');
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const configuredLimit = options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES;
  let limit = configuredLimit;
  const engine = options.engine;
  const ctx: RouteContext = {
    engine,
    bodyLimit: { set: (bytes) => void (limit = bytes ?? configuredLimit) },
    schedule: (sandboxId) => setImmediate(() => {
      void engine.settle(sandboxId).then(() => options.onSettle?.(sandboxId));
    }),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    ...(options.extraRoutes ? { extraRoutes: options.extraRoutes } : {}),
    ...(options.operatorKey === undefined ? {} : { operatorKey: options.operatorKey }),
  };
  const openapi = JSON.stringify(openApiDocument());
  const server = createServer((req, res) => {
    const url = req.url ?? '/';
    const path = url.split('?', 1)[0] ?? '/';
    if (isApiPath(path)) {
      const apiRequest = toApiRequest(req, limit);
      handle(apiRequest, ctx).then(
        (response) => {
          if (response.status === 413) response.headers['connection'] = 'close';
          send(res, response);
        },
        (error: unknown) => send(res, problem('INTERNAL_ERROR', error instanceof Error ? error.message : String(error))),
      );
      return;
    }
    if (path === '/openapi.json') return send(res, { status: 200, headers: { 'content-type': 'application/json' }, body: openapi });
    if (path === '/docs') return send(res, { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body: docsPage() });
    if (path === '/health') return send(res, { status: 200, headers: { 'content-type': 'application/json' }, body: '{"status":"ok"}' });
    if (options.pages) return void options.pages(req, res);
    send(res, problem('NOT_FOUND', `no page ${path}`));
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
    setBodyLimit: (bytes) => ctx.bodyLimit?.set(bytes),
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
