/**
 * The smallest HTTP load balancer: each request goes to the next upstream in turn, body and
 * answer streamed through unchanged. Tests put it in front of several `sandbank start`
 * processes on one database, as any load balancer would be.
 */
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export interface RoundRobin {
  url: string;
  /** Requests sent to each upstream so far (same order as the upstreams). */
  counts: number[];
  close: () => Promise<void>;
}

export async function roundRobin(upstreams: () => readonly string[], port = 0): Promise<RoundRobin> {
  let next = 0;
  const counts: number[] = [];
  const forward = (req: IncomingMessage, res: ServerResponse) => {
    const targets = upstreams();
    const index = next++ % targets.length;
    counts[index] = (counts[index] ?? 0) + 1;
    const target = new URL(req.url ?? '/', targets[index]);
    const upstream = request(target, { method: req.method, headers: { ...req.headers, host: target.host } }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end('upstream unreachable');
    });
    req.pipe(upstream);
  };
  const server: Server = createServer(forward);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.address();
  const bound = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `http://127.0.0.1:${bound}`,
    counts,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
