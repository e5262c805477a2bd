/**
 * The reliability suite: the hostile corpus against a real server on a port. Every request
 * gets a clear answer (a 4xx problem document with a stable code, the internet bank's own
 * page, or a payment file rejected RJCT with ISO reason codes), the server answers /health
 * after each, and no answer carries a stack trace or a file path.
 */
import { request } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRandom } from '../../formats/random.ts';
import { startSimulator, type Simulator } from '../../simulator/app.ts';
import { PROBLEMS } from '../../simulator/http/problem.ts';
import { sender } from '../simulator/api-suite.ts';
import { apiCorpus, consoleCorpus, fileCorpus, pageCorpus, protocolCorpus, type HostileCase, type Tenant } from './hostile-corpus.ts';

/** Traces ("at fn (file:line)"), absolute paths, module folders, source file positions. */
const LEAK = /\bat [\w$.<>\[\] ]+ \(|\bat (?:file|node):|\/work\/|\/home\/|\/tmp\/|\/usr\/|node_modules|file:\/\/|\.(?:ts|js|mjs):\d+|[A-Z]:\\/;
const ISO_REASON = /^[A-Z0-9]{4}$/;

let simulator: Simulator;
let port = 0;
const log: string[] = [];

interface Answer {
  status: number;
  contentType: string;
  body: string;
  location?: string;
}

function send(c: HostileCase): Promise<Answer> {
  if (c.method === 'RAW') return sendRaw(c.raw ?? '');
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: c.method, path: c.path, headers: c.headers ?? {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), body: Buffer.concat(chunks).toString('utf8'), ...(res.headers.location ? { location: res.headers.location } : {}) });
        if (c.raw === 'declared-too-large') req.destroy();
      });
    });
    req.on('error', (error) => (c.raw === 'declared-too-large' ? undefined : reject(error)));
    if (c.raw === 'declared-too-large') {
      req.flushHeaders();
      return;
    }
    req.end(c.body);
  });
}

function sendRaw(text: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('utf8')));
    socket.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' || error.code === 'EPIPE' ? undefined : reject(error)));
    socket.on('close', () => {
      const [head = '', body = ''] = received.split('\r\n\r\n');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0);
      const contentType = /content-type: ([^\r\n]+)/i.exec(head)?.[1] ?? '';
      resolve({ status, contentType, body });
    });
    socket.end(text);
  });
}

async function health(): Promise<number> {
  return (await send({ name: 'health', method: 'GET', path: '/health', expect: { kind: 'problem' } })).status;
}

async function tenant(bank: 'swedbank' | 'sparbanken', seed: number): Promise<Tenant> {
  const res = await fetch(`${simulator.url}/sandboxes`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ bank, seed, start: '2026-03-12T08:00:00' }) });
  const s = (await res.json()) as Parameters<typeof sender>[0];
  return { bank, sandboxId: s.sandboxId, apiKey: s.apiKey, sender: sender(s), accountId: s.accounts[0]?.accountId ?? 'acc_1' };
}

beforeAll(async () => {
  simulator = await startSimulator({ random: createRandom(909), bodyLimitBytes: 4 * 1024 * 1024, log: (line) => log.push(line) });
  port = Number(new URL(simulator.url).port);
});
afterAll(async () => simulator.close());

describe('reliability: a hostile corpus against a real server', () => {
  it('answers every hostile request clearly, stays up, and never leaks a trace or a path', async () => {
    const a = await tenant('swedbank', 31);
    const b = await tenant('sparbanken', 32);
    const cases = [...apiCorpus(a, b), ...apiCorpus(b, a).filter((c) => c.path.startsWith('/v1/')), ...fileCorpus(a), ...fileCorpus(b), ...pageCorpus('swedbank'), ...pageCorpus('sparbanken'), ...consoleCorpus(a.sandboxId), ...protocolCorpus()];
    console.log(`reliability corpus: ${cases.length} hostile requests`);
    expect(cases.length).toBeGreaterThanOrEqual(300);
    const failures: string[] = [];
    const uploads: { c: HostileCase; tenant: Tenant; fileId: string }[] = [];
    const codes = new Set(Object.keys(PROBLEMS));
    for (const c of cases) {
      const answer = await send(c);
      const where = `${c.name} (${c.method} ${c.path.slice(0, 60)}) → ${answer.status} ${answer.body.slice(0, 160)}`;
      if (LEAK.test(answer.body)) failures.push(`leaks a trace or path: ${where}`);
      const isProblem = answer.status >= 400 && answer.status < 500 && answer.contentType.startsWith('application/problem+json');
      let problemCode: string | undefined;
      if (isProblem) {
        let doc: { code?: unknown; status?: unknown } = {};
        try {
          doc = JSON.parse(answer.body) as typeof doc;
        } catch {
          failures.push(`problem body is not JSON: ${where}`);
        }
        problemCode = typeof doc.code === 'string' && codes.has(doc.code) && doc.status === answer.status ? doc.code : undefined;
      }
      if (c.expect.kind === 'problem') {
        if (!isProblem || problemCode === undefined) failures.push(`not a 4xx problem with a stable code: ${where}`);
        else if (c.expect.code !== undefined && problemCode !== c.expect.code) failures.push(`code ${problemCode}, expected ${c.expect.code}: ${where}`);
      } else if (c.expect.kind === 'page') {
        const page = answer.status >= 400 && answer.status < 500 && answer.contentType.startsWith('text/html');
        const toLogin = answer.status === 303 && /^\/(?:internetbank\/\w+|console)\/$/.test(answer.location ?? '');
        if (!page && !toLogin) failures.push(`not an internet-bank 4xx page: ${where}`);
      } else if (answer.status === 202) {
        const fileId = (JSON.parse(answer.body) as { fileId: string }).fileId;
        uploads.push({ c, tenant: c.path.includes(a.bank) ? a : b, fileId });
      } else if (!(isProblem && problemCode !== undefined)) failures.push(`upload neither 202 nor a problem: ${where}`);
      const alive = await health();
      if (alive !== 200) {
        failures.push(`/health answered ${alive} after ${c.name}`);
        break;
      }
    }
    // Every hostile file the bank took in ends RJCT, with ISO reason codes, in its pain.002.
    for (const { c, tenant: t, fileId } of uploads) {
      const auth = { authorization: `Bearer ${t.apiKey}` };
      const file = (await (await fetch(`${simulator.url}/v1/${t.bank}/payment-files/${fileId}`, { headers: auth })).json()) as { status: string; reasons: { code: string }[]; payments: { status: string; reasons: { code: string }[] }[] };
      const reasons = [...file.reasons, ...file.payments.filter((p) => p.status === 'REJECTED').flatMap((p) => p.reasons)];
      const rejected = file.status === 'REJECTED' || file.payments.some((p) => p.status === 'REJECTED');
      if (!rejected || reasons.length === 0 || !reasons.every((r) => ISO_REASON.test(r.code))) failures.push(`${c.name}: ${file.status}, reasons ${JSON.stringify(reasons)}`);
      const reports = (await (await fetch(`${simulator.url}/v1/${t.bank}/reports?type=pain.002&limit=1000`, { headers: auth })).json()) as { reports: { reportId: string; fileId: string }[] };
      const report = reports.reports.find((r) => r.fileId === fileId);
      const body = report ? await (await fetch(`${simulator.url}/v1/${t.bank}/reports/${report.reportId}`, { headers: auth })).text() : '';
      if (!/<(?:\w+:)?(?:GrpSts|TxSts)>RJCT</.test(body)) failures.push(`${c.name}: no pain.002 with RJCT`);
    }
    console.log(`reliability corpus: ${uploads.length} hostile files taken in and rejected; ${log.length} internal errors logged`);
    expect(failures).toEqual([]);
    expect(log).toEqual([]);
  }, 120_000);
});
