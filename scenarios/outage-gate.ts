/**
 * A link between the bureau's program and the invoicing service that a scenario can cut: an
 * outage of the invoicing service as the bureau sees it (every connection reset), without
 * stopping a service other scenarios share (`--invoicing-target` in CI). Up, it forwards each
 * request as it came and the answer as it went.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface OutageGate {
  url: string;
  up: boolean;
}

/** Hop-by-hop headers are the link's own (RFC 9110 §7.6.1); fetch sets content-length itself. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'te', 'trailer', 'proxy-connection', 'host', 'content-length']);

export async function openOutageGate(target: string): Promise<OutageGate> {
  const gate: OutageGate = { url: '', up: true };
  const forward = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers = Object.entries(req.headers).flatMap(([k, v]) => (HOP_BY_HOP.has(k) || v === undefined ? [] : [[k, Array.isArray(v) ? v.join(', ') : v] as [string, string]]));
    const answer = await fetch(`${target}${req.url ?? '/'}`, { method: req.method ?? 'GET', headers, ...(chunks.length > 0 ? { body: Buffer.concat(chunks) } : {}) });
    const body = Buffer.from(await answer.arrayBuffer());
    const out: Record<string, string> = { connection: 'close' };
    answer.headers.forEach((value, key) => {
      if (!HOP_BY_HOP.has(key) && key !== 'content-encoding') out[key] = value;
    });
    res.writeHead(answer.status, out).end(body);
  };
  const server = createServer((req, res) => {
    if (!gate.up) {
      req.socket.destroy();
      return;
    }
    forward(req, res).catch(() => req.socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  // Scenarios have no teardown: the gate must not keep a finished run alive.
  server.unref();
  gate.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return gate;
}
