/**
 * simulator/ benchmarks, measured on the server as users run it (`sandbank start`: its own
 * process, lowdb store on disk, default routes and body limit), each figure interleaved with
 * its baseline in the same run:
 * (a) GET payment-file status req/s vs bare node:http answering the same bytes, vs WireMock
 *     answering the same body, and without the test-only routes mounted;
 * (b) 10,000- and 100,000-payment pain.001 from upload until a status read says validated
 *     (which means on disk), vs decode + raw saxes of the same bytes; peak RSS, bytes written;
 * (c) restart with 100,000 stored payments vs an empty data directory: time to ready, RSS;
 * (d) a 1,000-payment upload into a sandbox holding 100,000 payments vs an empty one;
 * (e) cold start of `sandbank start` on a fresh data directory.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { bulkPain001For, pain001For } from '../test/support/payment-files.ts';
import { rawSaxes } from './formats.ts';
import { median, perSecond, ratio, spread, table } from './lib.ts';
import { cpuMs, createSandbox, memoryMb, resetPeak, startShipped, uploadUntilValidated, writtenBytes, type SandboxHandle, type ShippedServer } from './shipped.ts';
import { startWireMock, wireMockUnavailable } from './wiremock.ts';

const met = (ok: boolean) => (ok ? 'met' : 'MISSED');
const tempDir = (name: string) => mkdtempSync(join(tmpdir(), `sandbank-bench-${name}-`));

async function spawnJsonServer(script: string, args: string[] = []): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL(script, import.meta.url)), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line && out.includes('\n')) resolve((JSON.parse(line) as { url: string }).url);
    });
    child.once('exit', (code) => reject(new Error(`${script} exited ${code}`)));
  });
  return { child, url };
}

function timeBaseline(bytes: Uint8Array): { ms: number; cpuMs: number } {
  const cpu = process.cpuUsage();
  const start = performance.now();
  rawSaxes(bytes);
  const ms = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { ms, cpuMs: (used.user + used.system) / 1000 };
}

// ── (a) status reads ───────────────────────────────────────────────────────────────────────

async function cannon(url: string, headers: Record<string, string>, seconds: number): Promise<number> {
  const result = await autocannon({ url, connections: 50, duration: seconds, headers });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return result.requests.average;
}

/** A sandbox with one validated 3-payment file; returns the status URL. */
async function threePaymentFile(url: string): Promise<{ sandbox: SandboxHandle; statusUrl: string }> {
  const sandbox = await createSandbox(url);
  const upload = await uploadUntilValidated(sandbox, pain001For(sandbox.sender, [{ amountOre: 100, date: '2026-03-16' }, { amountOre: 200, date: '2026-03-16' }, { amountOre: 300, date: '2026-03-16' }]));
  if (upload.fileId === undefined) throw new Error(`3-payment upload: ${upload.status}`);
  return { sandbox, statusUrl: `${url}/v1/swedbank/payment-files/${upload.fileId}` };
}

export async function benchGetStatus(rounds = 5, seconds = 3): Promise<string> {
  const dataDir = tempDir('status');
  const shipped = await startShipped(dataDir);
  const withStatesDir = tempDir('status-states');
  const withStates = await startShipped(withStatesDir, ['--provider-states']);
  const plain = { url: withStates.url };
  const stopping: (() => Promise<void>)[] = [() => shipped.stop(), () => withStates.stop(), async () => rmSync(withStatesDir, { recursive: true, force: true })];
  try {
    const a = await threePaymentFile(shipped.url);
    const b = await threePaymentFile(plain.url);
    const auth = (s: SandboxHandle) => ({ authorization: `Bearer ${s.key}` });
    const check = await fetch(a.statusUrl, { headers: auth(a.sandbox) });
    const payload = Buffer.from(await check.arrayBuffer());
    const contentType = check.headers.get('content-type') ?? 'application/json';
    const payloadFile = join(dataDir, 'body.json');
    writeFileSync(payloadFile, payload);
    const bare = await spawnJsonServer('./servers/bare.ts', [payloadFile]);
    stopping.push(async () => void bare.child.kill());
    const targets: { name: string; run: () => Promise<number> }[] = [
      { name: 'bare', run: () => cannon(bare.url, {}, seconds) },
      { name: 'shipped', run: () => cannon(a.statusUrl, auth(a.sandbox), seconds) },
      { name: 'plain', run: () => cannon(b.statusUrl, auth(b.sandbox), seconds) },
    ];
    const noWireMock = wireMockUnavailable();
    let wireMockVersion = '';
    if (noWireMock === undefined) {
      const wm = await startWireMock(new URL(a.statusUrl).pathname, payload, contentType);
      wireMockVersion = wm.version;
      stopping.push(() => wm.stop());
      const wmUrl = `${wm.url}${new URL(a.statusUrl).pathname}`;
      // The JVM needs longer than node to reach its steady state: warm it for 10 s.
      await cannon(wmUrl, {}, 10);
      targets.push({ name: 'wiremock', run: () => cannon(wmUrl, {}, seconds) });
    }
    for (const t of targets) await t.run();
    const results = new Map<string, number[]>(targets.map((t) => [t.name, []]));
    for (let round = 0; round < rounds; round++) {
      // Rotate the order each round so no target always runs first (or right after the JVM).
      for (let i = 0; i < targets.length; i++) {
        const t = targets[(i + round) % targets.length] as (typeof targets)[number];
        results.get(t.name)?.push(await t.run());
      }
    }
    const get = (name: string) => results.get(name) ?? [];
    const ratios = (x: string, y: string) => get(x).map((v, i) => v / (get(y)[i] ?? Number.NaN));
    const shippedVsBare = median(ratios('shipped', 'bare'));
    const plainVsBare = median(ratios('plain', 'bare'));
    const rows: (string | number)[][] = [
      [`server (50 connections, ${rounds} interleaved rounds of ${seconds} s; load average ${loadavg()[0]?.toFixed(1)})`, 'req/s median (min–max)', 'ratio (median of rounds)', 'target'],
      [`bare node:http, the same ${payload.length} bytes`, spread(get('bare'), perSecond), '1.00×', ''],
      ['sandbank start (lowdb, default routes): GET status of a 3-payment file', spread(get('shipped'), perSecond), `${ratio(shippedVsBare)} of bare`, `≥ 0.6× ${met(shippedVsBare >= 0.6)}`],
      ['sandbank start --provider-states (test-only routes mounted)', spread(get('plain'), perSecond), `${ratio(plainVsBare)} of bare`, `≥ 0.6× ${met(plainVsBare >= 0.6)}`],
    ];
    if (noWireMock === undefined) {
      const vsWm = median(ratios('shipped', 'wiremock'));
      rows.push([`WireMock ${wireMockVersion} (journal and logging off), the same body`, spread(get('wiremock'), perSecond), `sandbank ${ratio(vsWm)} of it`, `> 1× ${met(vsWm > 1)}`]);
    } else rows.push(['WireMock', 'skipped', noWireMock, '']);
    return table(rows);
  } finally {
    for (const stop of stopping.reverse()) await stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

// ── (b) intake ─────────────────────────────────────────────────────────────────────────────

interface IntakeFigures {
  table: string;
  /** A data directory holding one sandbox with `payments` stored payments (for the restart figures). */
  keptDir?: string;
}

async function intakeRuns(payments: number, runs: number, freshServerPerRun: boolean, keepFirstDir: boolean): Promise<{ rows: (string | number)[][]; keptDir?: string }> {
  const validated: number[] = [];
  const received: number[] = [];
  const baseline: number[] = [];
  const ratios: number[] = [];
  const peaks: number[] = [];
  const amplification: number[] = [];
  const cpuRatios: number[] = [];
  let size = 0;
  let refused = '';
  let keptDir: string | undefined;
  let server: ShippedServer | undefined;
  let dir = '';
  let sandbox: SandboxHandle | undefined;
  try {
    for (let i = 0; i < runs; i++) {
      if (!server || freshServerPerRun) {
        if (server) {
          await server.stop();
          if (dir !== keptDir) rmSync(dir, { recursive: true, force: true });
        }
        dir = tempDir(`intake-${payments}`);
        server = await startShipped(dir);
        sandbox = await createSandbox(server.url);
      }
      const target = sandbox as SandboxHandle;
      const bytes = Buffer.from(bulkPain001For(target.sender, payments, '2026-03-16', 100 + i, `BENCH-${payments}-${i}`));
      size = bytes.length;
      const { ms: base, cpuMs: baseCpu } = timeBaseline(bytes);
      resetPeak(server.pid);
      const before = writtenBytes(server.pid);
      const cpuBefore = cpuMs(server.pid);
      const result = await uploadUntilValidated(target, bytes);
      const after = writtenBytes(server.pid);
      const cpuAfter = cpuMs(server.pid);
      if (result.status !== 202) {
        refused = `refused: HTTP ${result.status} ${result.fileStatus ?? ''}`;
        break;
      }
      if (result.fileStatus !== 'AWAITING_SIGNATURE') throw new Error(`unexpected status ${result.fileStatus}`);
      baseline.push(base);
      validated.push(result.validatedMs);
      received.push(result.receivedMs);
      ratios.push(result.validatedMs / base);
      const mem = memoryMb(server.pid);
      if (mem) peaks.push(mem.peakMb);
      if (before !== undefined && after !== undefined) amplification.push((after - before) / size);
      if (cpuBefore !== undefined && cpuAfter !== undefined) cpuRatios.push((cpuAfter - cpuBefore) / baseCpu);
      if (keepFirstDir && i === 0) keptDir = dir;
    }
  } finally {
    await server?.stop();
    if (dir !== '' && dir !== keptDir) rmSync(dir, { recursive: true, force: true });
  }
  const label = `${payments.toLocaleString('en')} payments, ${(size / 1e6).toFixed(1)} MB`;
  if (refused !== '') return { rows: [[label, refused, '', '', '', '', '', '']], ...(keptDir ? { keptDir } : {}) };
  const r = median(ratios);
  return {
    rows: [[label, spread(received), spread(validated), spread(baseline), `${ratio(r)} ${met(r <= 2.5)}`, peaks.length ? `${spread(peaks, (v) => v.toFixed(0))} MB` : 'n/a', amplification.length ? `${ratio(median(amplification))}` : 'n/a', cpuRatios.length ? ratio(median(cpuRatios)) : 'n/a']],
    ...(keptDir ? { keptDir } : {}),
  };
}

export async function benchIntake(): Promise<IntakeFigures> {
  const header = ['file (median (min–max) of interleaved runs)', '202 received', 'validated (on disk)', 'decode+saxes', 'ratio, target ≤ 2.5×', 'peak RSS (≤ 512 MB)', 'written ÷ size (≤ 1.2×)', 'server CPU ÷ baseline CPU'];
  const small = await intakeRuns(10_000, 5, false, false);
  const large = await intakeRuns(100_000, 3, true, true);
  return {
    table: `${table([header, ...small.rows, ...large.rows])}\n(peak RSS: the server process's VmHWM, reset before each upload; written: bytes the server passed to write(2) during the upload and validation, sockets included; server CPU: every thread of the server, from the upload's first byte until validated, against the CPU time of the baseline: steadier than wall time on a loaded machine)`,
    ...(large.keptDir ? { keptDir: large.keptDir } : {}),
  };
}

// ── (c) restart, (d) scaling ───────────────────────────────────────────────────────────────

/** Fills a fresh data directory with 10 files of 10,000 payments when the 100k upload was refused. */
async function fillDir(): Promise<string> {
  const dir = tempDir('full');
  const server = await startShipped(dir);
  try {
    const sandbox = await createSandbox(server.url);
    for (let i = 0; i < 10; i++) {
      const r = await uploadUntilValidated(sandbox, bulkPain001For(sandbox.sender, 10_000, '2026-03-16', 500 + i, `FILL-${i}`));
      if (r.status !== 202) throw new Error(`fill upload: ${r.status}`);
    }
  } finally {
    await server.stop();
  }
  return dir;
}

export async function benchRestart(fullDir: string | undefined, runs = 5): Promise<string> {
  const full = fullDir ?? (await fillDir());
  const empty = tempDir('empty');
  await (await startShipped(empty)).stop();
  const ready = { empty: [] as number[], full: [] as number[] };
  const rss = { empty: [] as number[], full: [] as number[] };
  try {
    for (let i = 0; i < runs; i++) {
      for (const [name, dir] of [['empty', empty], ['full', full]] as const) {
        const server = await startShipped(dir);
        ready[name].push(server.readyMs);
        await new Promise((resolve) => setTimeout(resolve, 1000));
        const mem = memoryMb(server.pid);
        if (mem) rss[name].push(mem.rssMb);
        await server.stop();
      }
    }
  } finally {
    rmSync(empty, { recursive: true, force: true });
    rmSync(full, { recursive: true, force: true });
  }
  const readyRatio = median(ready.full.map((v, i) => v / (ready.empty[i] ?? Number.NaN)));
  const rssRatio = median(rss.full.map((v, i) => v / (rss.empty[i] ?? Number.NaN)));
  return table([
    [`data directory (${runs} interleaved restarts)`, 'start until ready', 'RSS 1 s after ready'],
    ['empty (the two default sandboxes)', spread(ready.empty), `${spread(rss.empty, (v) => v.toFixed(0))} MB`],
    ['holding 100,000 payments', spread(ready.full), `${spread(rss.full, (v) => v.toFixed(0))} MB`],
    ['ratio full ÷ empty', `${ratio(readyRatio)} (target ≤ 1.1× ${met(readyRatio <= 1.1)})`, `${ratio(rssRatio)} (target ≤ 1.2× ${met(rssRatio <= 1.2)})`],
  ]);
}

export async function benchScaling(runs = 5): Promise<string> {
  const emptyDir = tempDir('scale-empty');
  const fullDir = tempDir('scale-full');
  const empty = await startShipped(emptyDir);
  const full = await startShipped(fullDir);
  try {
    const e = await createSandbox(empty.url);
    const f = await createSandbox(full.url);
    for (let i = 0; i < 10; i++) {
      const r = await uploadUntilValidated(f, bulkPain001For(f.sender, 10_000, '2026-03-16', 500 + i, `FILL-${i}`));
      if (r.status !== 202) throw new Error(`fill upload: ${r.status}`);
    }
    const emptyTimes: number[] = [];
    const fullTimes: number[] = [];
    for (let i = 0; i < runs; i++) {
      emptyTimes.push((await uploadUntilValidated(e, bulkPain001For(e.sender, 1000, '2026-03-16', 900 + i, `S-E-${i}`))).validatedMs);
      fullTimes.push((await uploadUntilValidated(f, bulkPain001For(f.sender, 1000, '2026-03-16', 900 + i, `S-F-${i}`))).validatedMs);
    }
    const r = median(fullTimes.map((v, i) => v / (emptyTimes[i] ?? Number.NaN)));
    return table([
      ['sandbox (sandbank start, lowdb)', `1,000-payment upload until validated (${runs} interleaved)`, 'ratio', 'target ≤ 1.5×'],
      ['empty', spread(emptyTimes), '1.00×', ''],
      ['holding 100,000 payments', spread(fullTimes), ratio(r), met(r <= 1.5)],
    ]);
  } finally {
    await empty.stop();
    await full.stop();
    rmSync(emptyDir, { recursive: true, force: true });
    rmSync(fullDir, { recursive: true, force: true });
  }
}

// ── (e) cold start ─────────────────────────────────────────────────────────────────────────

export async function benchColdStart(runs = 3): Promise<string> {
  const times: number[] = [];
  const bare: number[] = [];
  for (let i = 0; i < runs; i++) {
    const dir = tempDir('cold');
    const server = await startShipped(dir);
    times.push(server.readyMs);
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
    const nodeStart = performance.now();
    await new Promise((resolve) => spawn(process.execPath, ['-e', '0']).once('exit', resolve));
    bare.push(performance.now() - nodeStart);
  }
  return table([['what', `median (min–max) of ${runs}`], ['sandbank start (fresh data dir) until it prints its credentials', spread(times)], ['bare `node -e 0` (baseline)', spread(bare)]]);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(await benchGetStatus());
  const intake = await benchIntake();
  console.log(intake.table);
  console.log(await benchRestart(intake.keptDir));
  console.log(await benchScaling());
  console.log(await benchColdStart());
}
