/**
 * The real server. The bank API and test-helper API go straight from node:http to the route
 * table (no framework on the hot path: see bench/simulator.ts); everything else (internet
 * bank pages, docs) is handed to an express app.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Express } from 'express';
import type { Engine } from '../engine/bank.ts';
import { openApiDocument, docsPage } from './openapi.ts';
import { internalError, problem, type HttpErrorCode } from './problem.ts';
import { handle, type Route, type RouteContext, type ServerPolicy } from './routes.ts';
import { BodyTooLarge, DEFAULT_BODY_LIMIT_BYTES, RequestAborted, type ApiRequest, type ApiResponse } from './types.ts';

export interface ServerOptions {
  engine: Engine;
  port?: number;
  host?: string;
  bodyLimitBytes?: number;
  /** Serves every path the API does not (internet bank, landing page). */
  pages?: Express;
  extraRoutes?: Route[];
  operatorKey?: string;
  exportKey?: string;
  onSettle?: (sandboxId: string) => void;
  policy?: ServerPolicy;
  /** Largest request head node accepts (bytes); larger answers 431. */
  maxHeaderBytes?: number;
  log?: (line: string) => void;
}

export interface RunningServer {
  url: string;
  server: Server;
  /** A lower body limit for one sandbox's requests (test-only provider states); undefined lifts it. */
  limitSandboxBody(sandboxId: string, bytes: number | undefined): void;
  close(): Promise<void>;
}

export const DEFAULT_MAX_HEADER_BYTES = 16 * 1024;

/**
 * node answers unparsable requests itself, before any handler runs, with an empty
 * `400 Bad Request`: here they get a problem document like every other error.
 */
function answerClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || !socket.writable) return;
  const [code, status, reason]: [HttpErrorCode, number, string] = error.code === 'HPE_HEADER_OVERFLOW'
    ? ['HEADERS_TOO_LARGE', 431, 'Request Header Fields Too Large']
    : ['MALFORMED_REQUEST', 400, 'Bad Request'];
  const detail = code === 'HEADERS_TOO_LARGE' ? 'the request headers are larger than this server accepts' : 'the request is not valid HTTP/1.1';
  const body = problem(code, detail).body as string;
  socket.end(`HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/problem+json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
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
    req.on('error', () => reject(new RequestAborted()));
  });
}

async function* streamBody(req: IncomingMessage, limit: number): AsyncGenerator<Uint8Array> {
  const declared = Number(req.headers['content-length'] ?? -1);
  if (declared > limit) throw new BodyTooLarge(limit);
  let size = 0;
  // Not destroyed when the reader stops early: the 413 must still reach the client.
  const pieces = req.iterator({ destroyOnReturn: false }) as AsyncIterator<Buffer>;
  for (;;) {
    let next: IteratorResult<Buffer>;
    try {
      next = await pieces.next();
    } catch {
      throw new RequestAborted();
    }
    // A body shorter than it said it would be was broken off, not finished.
    if (next.done) {
      if (declared >= 0 && size < declared) throw new RequestAborted();
      return;
    }
    size += next.value.length;
    if (size > limit) {
      req.resume();
      throw new BodyTooLarge(limit);
    }
    yield next.value;
  }
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
    stream: () => streamBody(req, limit),
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
  const limit = options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES;
  const engine = options.engine;
  const sandboxBodyLimits = new Map<string, number>();
  const ctx: RouteContext = {
    engine,
    sandboxBodyLimits,
    ...(options.policy ? { policy: options.policy } : {}),
    ...(options.log ? { log: options.log } : {}),
    schedule: (sandboxId) => setImmediate(() => {
      void engine.settle(sandboxId).then(() => options.onSettle?.(sandboxId));
    }),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    ...(options.extraRoutes ? { extraRoutes: options.extraRoutes } : {}),
    ...(options.operatorKey === undefined ? {} : { operatorKey: options.operatorKey }),
    ...(options.exportKey === undefined ? {} : { exportKey: options.exportKey }),
  };
  const openapi = JSON.stringify(openApiDocument());
  const server = createServer({ maxHeaderSize: options.maxHeaderBytes ?? DEFAULT_MAX_HEADER_BYTES }, (req, res) => {
    const url = req.url ?? '/';
    const path = url.split('?', 1)[0] ?? '/';
    if (isApiPath(path)) {
      const apiRequest = toApiRequest(req, limit);
      // One request: its version checks on a shared store share one read (decision 0014).
      engine.withinRequest(() => handle(apiRequest, ctx)).then(
        (response) => {
          if (response.status === 413) response.headers['connection'] = 'close';
          send(res, response);
        },
        (error: unknown) => send(res, internalError(error, options.log)),
      );
      return;
    }
    if (path === '/openapi.json') return send(res, { status: 200, headers: { 'content-type': 'application/json' }, body: openapi });
    if (path === '/docs') return send(res, { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body: docsPage() });
    if (path === '/health') return send(res, { status: 200, headers: { 'content-type': 'application/json' }, body: '{"status":"ok"}' });
    if (options.pages) return void engine.withinRequest(() => options.pages?.(req, res));
    send(res, problem('NOT_FOUND', 'no such page'));
  });
  server.on('clientError', answerClientError);
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${(options.host ?? '127.0.0.1').includes(':') ? `[${options.host}]` : (options.host ?? '127.0.0.1')}:${address.port}`,
    server,
    limitSandboxBody: (sandboxId, bytes) => void (bytes === undefined ? sandboxBodyLimits.delete(sandboxId) : sandboxBodyLimits.set(sandboxId, Math.min(bytes, limit))),
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
