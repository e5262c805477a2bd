/**
 * `sandbank contracts verify` against a running `sandbank start` (another process, as from
 * another terminal), a deliberately broken provider that must fail, and `contracts publish`
 * to a (fake) Pact Broker.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRandom } from '../../formats/random.ts';
import { startSimulator } from '../../simulator/app.ts';
import { sandbankAsync } from '../support/cli.ts';

const BIN = fileURLToPath(new URL('../../bin/sandbank.mjs', import.meta.url));
let child: ChildProcess;
let providerUrl = '';
const servers: Server[] = [];

beforeAll(async () => {
  child = spawn(process.execPath, [BIN, 'start', '--port', '0', '--memory', '--provider-states'], { stdio: ['ignore', 'pipe', 'pipe'] });
  providerUrl = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /running at (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`sandbank start exited ${code}: ${out}`)));
  });
});
afterAll(() => {
  child?.kill();
  for (const s of servers) s.close();
});

async function listen(server: Server): Promise<string> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('sandbank contracts verify (the real CLI, Pact verifier)', () => {
  it.each(['swedbank', 'sparbanken'])('passes against a running `sandbank start --provider-states` as %s with no other flags, and writes JUnit', async (bank) => {
    const junit = join(mkdtempSync(join(tmpdir(), 'sandbank-junit-')), 'pact.xml');
    const run = await sandbankAsync(['contracts', 'verify', '--provider-base-url', providerUrl, '--bank', bank, '--junit', junit]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/✔ all \d+ interactions verified/);
    const report = readFileSync(junit, 'utf8');
    expect(report).toMatch(/<testsuite name="sandbank-\w+" tests="(1[7-9]|[2-9]\d)" failures="0">/);
    expect(report).toContain('an upload of a pain.001 payment file');
    // Pact colours its report; in a pipe none of it reaches the output.
    expect(run.stdout + run.stderr).not.toContain('\u001b[');
  }, 90_000);

  it.skipIf(!existsSync('/usr/bin/script'))('on a terminal the report keeps its colours, and NO_COLOR or FORCE_COLOR=0 takes them away', async () => {
    // script(1) gives the command a pseudo-terminal, as a person's shell would.
    const onTerminal = (env: Record<string, string>) => new Promise<string>((resolve) => {
      const child = spawn('/usr/bin/script', ['-qec', `${process.execPath} ${BIN} contracts verify --provider-base-url ${providerUrl}`, '/dev/null'], { env: { ...process.env, NO_COLOR: '', FORCE_COLOR: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
      child.once('close', () => resolve(out));
    });
    const [coloured, noColor, forceOff] = await Promise.all([onTerminal({}), onTerminal({ NO_COLOR: '1' }), onTerminal({ FORCE_COLOR: '0' })]);
    expect(coloured).toMatch(/✔ all \d+ interactions verified/);
    expect(coloured).toContain('\u001b[');
    for (const plain of [noColor, forceOff]) {
      expect(plain).toMatch(/✔ all \d+ interactions verified/);
      expect(plain).not.toContain('\u001b[');
    }
  }, 90_000);

  it('a sandbank server without --provider-states: one line saying how to start it, exit 2, its sandbox removed', async () => {
    const plain = await startSimulator({ random: createRandom(12), operatorKey: 'op_contracts_plain' });
    try {
      const run = await sandbankAsync(['contracts', 'verify', '--provider-base-url', plain.url, '--operator-key', 'op_contracts_plain']);
      expect(run.code).toBe(2);
      expect(run.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^error: http:\/\/127\.0\.0\.1:\d+ serves no provider states at .*: start it with `sandbank start --provider-states`/)]);
      const left = await fetch(`${plain.url}/sandboxes`, { headers: { authorization: 'Bearer op_contracts_plain' } });
      expect(((await left.json()) as { sandboxes: unknown[] }).sandboxes).toHaveLength(0);
    } finally {
      await plain.close();
    }
  }, 60_000);

  it('a --token the provider-state endpoint refuses is one line and exit 2, checked before Pact runs', async () => {
    const run = await sandbankAsync(['contracts', 'verify', '--provider-base-url', providerUrl, '--token', 'wrong']);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^error: http:\/\/127\.0\.0\.1:\d+\/sandboxes\/provider-states\?bank=swedbank refused --token \(HTTP 401\): give an API key the bank accepts/)]);
    expect(run.stdout).not.toContain('Invalid status code');
  }, 60_000);

  it('an unknown --provider or --bank, or a --provider-base-url that is not a URL: one line, exit 2', async () => {
    const runs = await Promise.all([
      sandbankAsync(['contracts', 'verify', '--provider-base-url', providerUrl, '--provider', 'nosuch']),
      sandbankAsync(['contracts', 'verify', '--provider-base-url', providerUrl, '--bank', 'nordea']),
      sandbankAsync(['contracts', 'verify', '--provider-base-url', 'notaurl']),
    ]);
    expect(runs.map((r) => r.code)).toEqual([2, 2, 2]);
    expect(runs.map((r) => r.stderr)).toEqual([
      "error: option '--provider <provider>' argument 'nosuch' is invalid. Allowed choices are bank, invoicing.\n",
      "error: option '--bank <bank>' argument 'nordea' is invalid. Allowed choices are swedbank, sparbanken.\n",
      "error: option '--provider-base-url <url>' argument 'notaurl' is invalid. not a URL: give one like http://127.0.0.1:4010.\n",
    ]);
    for (const run of runs) expect(run.stdout).toBe('');
  });

  it('fails against a deliberately broken provider, naming the interaction', async () => {
    // A provider that renamed a field: "status" of a payment file becomes "state".
    const broken = createServer((req, res) => {
      const upstream = httpRequest(`${providerUrl}${req.url}`, { method: req.method, headers: req.headers }, (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (c: Buffer) => chunks.push(c));
        answer.on('end', () => {
          let body = Buffer.concat(chunks).toString('utf8');
          if (/\/payment-files\/pf_\d+$/.test(req.url ?? '') && req.method === 'GET') body = body.replace('"status":', '"state":');
          const headers = { ...answer.headers };
          delete headers['content-length'];
          res.writeHead(answer.statusCode ?? 500, headers);
          res.end(body);
        });
      });
      req.pipe(upstream);
    });
    const brokenUrl = await listen(broken);
    const junit = join(mkdtempSync(join(tmpdir(), 'sandbank-junit-')), 'broken.xml');
    const run = await sandbankAsync(['contracts', 'verify', '--provider-base-url', brokenUrl, '--bank', 'swedbank', '--state-change-url', `${providerUrl}/sandboxes/provider-states?bank=swedbank`, '--junit', junit]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('✘');
    expect(run.stdout).toContain('the status of a payment file awaiting signature');
    expect(readFileSync(junit, 'utf8')).toMatch(/failures="[1-9]/);
  }, 90_000);
});

describe('sandbank contracts publish', () => {
  it("PUTs every pact to the broker under Pact's conventions, with the token", async () => {
    const received: { method: string; url: string; auth: string | undefined; body: string }[] = [];
    const broker = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push({ method: req.method ?? '', url: req.url ?? '', auth: req.headers.authorization, body });
        res.writeHead(201, { 'content-type': 'application/json' }).end('{}');
      });
    });
    const brokerUrl = await listen(broker);
    const run = await sandbankAsync(['contracts', 'publish', '--consumer-version', 'abc123', '--branch', 'main'], { env: { PACT_BROKER_BASE_URL: brokerUrl, PACT_BROKER_TOKEN: 'broker-token' } });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(received.map((r) => `${r.method} ${r.url}`)).toEqual([
      'PUT /pacticipants/sandbank-client/branches/main/versions/abc123',
      'PUT /pacts/provider/sandbank-sparbanken-webhooks/consumer/sandbank-client/version/abc123',
      'PUT /pacts/provider/sandbank-sparbanken/consumer/sandbank-client/version/abc123',
      'PUT /pacts/provider/sandbank-swedbank-webhooks/consumer/sandbank-client/version/abc123',
      'PUT /pacts/provider/sandbank-swedbank/consumer/sandbank-client/version/abc123',
    ]);
    expect(received.every((r) => r.auth === 'Bearer broker-token')).toBe(true);
    expect((JSON.parse(received[1]?.body ?? '{}') as { consumer: { name: string } }).consumer.name).toBe('sandbank-client');
  });
});
