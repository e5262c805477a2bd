/**
 * Baseline for the GET benchmark: bare node:http answering a fixed JSON. With a file argument
 * it answers that file's bytes (the same payload the simulator sends), so both sides move the
 * same number of bytes per request.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const file = process.argv[2];
const body = file ? readFileSync(file) : Buffer.from(JSON.stringify({ fileId: 'pf_000001', status: 'AWAITING_SIGNATURE', numberOfTransactions: 3 }));
const server = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(body);
});
server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })));
process.on('SIGTERM', () => process.exit(0));
