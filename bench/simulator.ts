/**
 * simulator/ benchmarks, each against a baseline measured in the same run:
 * (a) 10,000-payment pain.001 over HTTP until validated and persisted, vs decode + saxes;
 * (b) GET payment-file status req/s (autocannon, 50 connections) vs bare node:http;
 * (c) a 1,000-payment upload into a sandbox holding 100,000 payments vs an empty one (lowdb);
 * (d) cold start of `sandbank start`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { SaxesParser } from 'saxes';
import type { SandboxCore } from '../simulator/engine/model.ts';
import { bulkPain001For } from '../test/support/payment-files.ts';
import { fmt, median, table } from './lib.ts';

interface ChildInfo { url: string; key: string; sandboxId: string; fileId: string; sandbox: SandboxCore }

async function spawnServer(script: string, args: string[] = []): Promise<{ child: ChildProcess; info: ChildInfo }> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL(script, import.meta.url)), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const info = await new Promise<ChildInfo>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line && out.includes('\n')) resolve(JSON.parse(line) as ChildInfo);
    });
    child.once('exit', (code) => reject(new Error(`server exited ${code}`)));
  });
  return { child, info };
}

async function uploadUntilValidated(info: Pick<ChildInfo, 'url' | 'key'>, body: string): Promise<{ receivedMs: number; validatedMs: number }> {
  const start = performance.now();
  const res = await fetch(`${info.url}/v1/swedbank/payment-files`, { method: 'POST', headers: { authorization: `Bearer ${info.key}`, 'content-type': 'application/xml' }, body });
  const { fileId } = (await res.json()) as { fileId: string };
  const receivedMs = performance.now() - start;
  // The status read settles validation; it answers once validated and persisted.
  const status = await fetch(`${info.url}/v1/swedbank/payment-files/${fileId}?payments=false`, { headers: { authorization: `Bearer ${info.key}` } });
  const file = (await status.json()) as { status: string };
  if (file.status !== 'AWAITING_SIGNATURE') throw new Error(`unexpected status ${file.status}`);
  return { receivedMs, validatedMs: performance.now() - start };
}

function saxesMs(body: string, runs: number): number {
  const bytes = Buffer.from(body);
  const times: number[] = [];
  for (let i = 0; i < runs + 1; i++) {
    const t = performance.now();
    const parser = new SaxesParser();
    let n = 0;
    parser.on('opentag', () => void n++);
    parser.on('text', () => void n++);
    parser.on('closetag', () => void n++);
    parser.write(new TextDecoder().decode(bytes)).close();
    if (i > 0) times.push(performance.now() - t);
  }
  return median(times);
}

export async function benchUpload(runs = 5): Promise<string> {
  const { child, info } = await spawnServer('./servers/sandbank.ts', ['--lowdb']);
  try {
    const rows: (string | number)[][] = [['run', 'received (202)', 'validated + persisted', 'decode+saxes', 'ratio', 'target ≤ 2.5×']];
    const results: { receivedMs: number; validatedMs: number }[] = [];
    let body = '';
    for (let i = 0; i < runs; i++) {
      body = bulkPain001For(info.sandbox, 10_000, '2026-03-16', 100 + i, `BENCH-A-${i}`);
      results.push(await uploadUntilValidated(info, body));
    }
    const sax = saxesMs(body, runs);
    const validated = median(results.map((r) => r.validatedMs));
    rows.push([`median of ${runs}`, fmt(median(results.map((r) => r.receivedMs))), fmt(validated), fmt(sax), `${(validated / sax).toFixed(2)}×`, validated / sax <= 2.5 ? 'met' : 'MISSED']);
    return table(rows);
  } finally {
    child.kill();
  }
}

async function cannon(url: string, headers: Record<string, string>): Promise<number> {
  const result = await autocannon({ url, connections: 50, duration: 5, headers });
  return result.requests.average;
}

export async function benchGetStatus(): Promise<string> {
  const bank = await spawnServer('./servers/sandbank.ts');
  const url = `${bank.info.url}/v1/swedbank/payment-files/${bank.info.fileId}`;
  const check = await fetch(url, { headers: { authorization: `Bearer ${bank.info.key}` } });
  if (check.status !== 200) throw new Error(`status ${check.status}`);
  const payload = Buffer.from(await check.arrayBuffer());
  const dir = mkdtempSync(join(tmpdir(), 'sandbank-bare-'));
  const payloadFile = join(dir, 'body.json');
  writeFileSync(payloadFile, payload);
  const tiny = await spawnServer('./servers/bare.ts');
  const same = await spawnServer('./servers/bare.ts', [payloadFile]);
  try {
    await cannon(tiny.info.url, {});
    const tinyRps = await cannon(tiny.info.url, {});
    const sameRps = await cannon(same.info.url, {});
    const bankRps = await cannon(url, { authorization: `Bearer ${bank.info.key}` });
    return table([
      ['server (one autocannon process, 50 connections, 5 s each)', 'req/s', 'sandbank ÷ this', 'target ≥ 0.6×'],
      ['bare node:http, fixed 80-byte JSON', tinyRps.toFixed(0), `${(bankRps / tinyRps).toFixed(2)}×`, bankRps / tinyRps >= 0.6 ? 'met' : 'MISSED'],
      [`bare node:http, the same ${payload.length}-byte JSON`, sameRps.toFixed(0), `${(bankRps / sameRps).toFixed(2)}×`, bankRps / sameRps >= 0.6 ? 'met' : 'MISSED'],
      ['sandbank GET /v1/{bank}/payment-files/{id} (auth, routing, status of a 3-payment file)', bankRps.toFixed(0), '', ''],
    ]);
  } finally {
    for (const c of [tiny.child, same.child, bank.child]) c.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchScaling(): Promise<string> {
  const empty = await spawnServer('./servers/sandbank.ts', ['--lowdb']);
  const full = await spawnServer('./servers/sandbank.ts', ['--lowdb']);
  try {
    for (let i = 0; i < 10; i++) await uploadUntilValidated(full.info, bulkPain001For(full.info.sandbox, 10_000, '2026-03-16', 500 + i, `FILL-${i}`));
    const emptyTimes: number[] = [];
    const fullTimes: number[] = [];
    for (let i = 0; i < 5; i++) {
      emptyTimes.push((await uploadUntilValidated(empty.info, bulkPain001For(empty.info.sandbox, 1000, '2026-03-16', 900 + i, `S-E-${i}`))).validatedMs);
      fullTimes.push((await uploadUntilValidated(full.info, bulkPain001For(full.info.sandbox, 1000, '2026-03-16', 900 + i, `S-F-${i}`))).validatedMs);
    }
    const e = median(emptyTimes);
    const f = median(fullTimes);
    return table([
      ['sandbox', '1,000-payment upload until validated (median of 5)', 'ratio', 'target ≤ 1.5×'],
      ['empty', fmt(e), '1.00×', ''],
      ['holding 100,000 payments', fmt(f), `${(f / e).toFixed(2)}×`, f / e <= 1.5 ? 'met' : 'MISSED'],
    ]);
  } finally {
    empty.child.kill();
    full.child.kill();
  }
}

export async function benchColdStart(runs = 3): Promise<string> {
  const bin = fileURLToPath(new URL('../bin/sandbank.mjs', import.meta.url));
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const dir = mkdtempSync(join(tmpdir(), 'sandbank-cold-'));
    const start = performance.now();
    const child = spawn(process.execPath, [bin, 'start', '--port', '0', '--data', dir], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => {
      let out = '';
      child.stdout?.on('data', (c: Buffer) => {
        out += c.toString();
        if (out.includes('Press Ctrl+C')) resolve();
      });
    });
    times.push(performance.now() - start);
    child.kill();
    rmSync(dir, { recursive: true, force: true });
  }
  const nodeStart = performance.now();
  await new Promise((resolve) => spawn(process.execPath, ['-e', '0']).once('exit', resolve));
  const bare = performance.now() - nodeStart;
  return table([['what', 'median'], ['sandbank start (fresh data dir) until it prints its credentials', fmt(median(times))], ['bare `node -e 0` (baseline)', fmt(bare)]]);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(await benchUpload());
  console.log(await benchGetStatus());
  console.log(await benchScaling());
  console.log(await benchColdStart());
}
