/**
 * `sandbank start --store postgres://…` (issue 19), each figure with its baseline in the same
 * run, on real `sandbank start` processes:
 * (a) GET payment-file status req/s: lowdb vs PostgreSQL, one server vs two on one database
 *     (both loaded at once, on the same sandbox);
 * (b) 1,000 one-payment uploads (16 at a time) until the last is answered: lowdb vs PostgreSQL,
 *     one server vs two (requests alternating on one sandbox, and one sandbox per server);
 * (c) a 10,000-payment pain.001 from upload until a status read says validated, on
 *     PostgreSQL, vs decode + raw saxes of the same bytes.
 * Needs a PostgreSQL server: SANDBANK_BENCH_PG_URL or SANDBANK_TEST_PG_URL (a database is
 * created per figure and dropped after).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { bulkPain001For, pain001For } from '../test/support/payment-files.ts';
import { freshDatabase } from '../test/support/postgres.ts';
import { rawSaxes } from './formats.ts';
import { median, spread, table } from './lib.ts';
import { createSandbox, startShipped, uploadUntilValidated, type SandboxHandle, type ShippedServer } from './shipped.ts';

export function benchPostgresUrl(): string | undefined {
  return process.env['SANDBANK_BENCH_PG_URL'] ?? process.env['SANDBANK_TEST_PG_URL'];
}

type Setup = 'lowdb, one server' | 'PostgreSQL, one server' | 'PostgreSQL, two servers';

/** Servers for a setup, on a fresh data directory or database; `stop` removes it. */
async function servers(setup: Setup, pgUrl: string): Promise<{ list: ShippedServer[]; stop: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'sandbank-bench-pg-'));
  if (setup === 'lowdb, one server') {
    const server = await startShipped(dir);
    return { list: [server], stop: async () => { await server.stop(); rmSync(dir, { recursive: true, force: true }); } };
  }
  const database = await freshDatabase(pgUrl, 'bench');
  const count = setup === 'PostgreSQL, two servers' ? 2 : 1;
  const list: ShippedServer[] = [];
  for (let i = 0; i < count; i++) list.push(await startShipped(join(dir, String(i)), ['--store', database.url]));
  return {
    list,
    stop: async () => {
      await Promise.all(list.map((s) => s.stop()));
      await database.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function threePaymentFile(sandbox: SandboxHandle): Promise<string> {
  const upload = await uploadUntilValidated(sandbox, pain001For(sandbox.sender, [{ amountOre: 100, date: '2026-03-16' }, { amountOre: 200, date: '2026-03-16' }, { amountOre: 300, date: '2026-03-16' }]));
  if (upload.fileId === undefined) throw new Error(`3-payment upload: ${upload.status}`);
  return `/v1/swedbank/payment-files/${upload.fileId}`;
}

async function cannon(url: string, key: string, seconds: number): Promise<number> {
  const result = await autocannon({ url, connections: 25, duration: seconds, headers: { authorization: `Bearer ${key}` } });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return result.requests.total / seconds;
}

const SETUPS: Setup[] = ['lowdb, one server', 'PostgreSQL, one server', 'PostgreSQL, two servers'];
const rate = (v: number) => `${v.toFixed(0)}/s`;
const times = (v: number) => `${v.toFixed(2)}×`;

/** (a) status reads, interleaved rounds of every setup. */
export async function benchPostgresStatus(pgUrl: string, rounds = 3, seconds = 3): Promise<string> {
  const figures = new Map<Setup, number[]>(SETUPS.map((s) => [s, []]));
  for (let round = 0; round < rounds; round++) {
    for (const setup of SETUPS) {
      const running = await servers(setup, pgUrl);
      try {
        const first = running.list[0] as ShippedServer;
        const sandbox = await createSandbox(first.url);
        const path = await threePaymentFile(sandbox);
        const all = await Promise.all(running.list.map((s) => cannon(`${s.url}${path}`, sandbox.key, seconds)));
        figures.get(setup)?.push(all.reduce((a, b) => a + b, 0));
      } finally {
        await running.stop();
      }
    }
  }
  const lowdb = median(figures.get('lowdb, one server') ?? []);
  const one = median(figures.get('PostgreSQL, one server') ?? []);
  const rows = SETUPS.map((setup) => {
    const values = figures.get(setup) ?? [];
    return [setup, spread(values, rate), setup === 'lowdb, one server' ? '1.00×' : times(median(values) / lowdb), setup === 'PostgreSQL, two servers' ? times(median(values) / one) : ''];
  });
  return table([[`GET payment-file status (25 connections per server, ${seconds} s, median (min–max) of ${rounds})`, 'req/s (all servers)', 'vs lowdb', 'two ÷ one server'], ...rows]);
}

/** Sends `count` one-payment uploads, `concurrency` at a time, to the targets in turn; resolves with the wall time. */
async function uploads(targets: SandboxHandle[], count: number, concurrency: number, tag: string): Promise<number> {
  let next = 0;
  const start = performance.now();
  const worker = async () => {
    for (let i = next++; i < count; i = next++) {
      const target = targets[i % targets.length] as SandboxHandle;
      const res = await fetch(`${target.url}/v1/swedbank/payment-files`, {
        method: 'POST',
        headers: { authorization: `Bearer ${target.key}`, 'content-type': 'application/xml', 'idempotency-key': `${tag}-${i}` },
        body: pain001For(target.sender, [{ amountOre: 100 + i, date: '2026-03-16', endToEndId: `B-${i}` }], { messageId: `${tag}-${i}` }),
      });
      await res.arrayBuffer();
      if (res.status !== 202) throw new Error(`upload ${i}: HTTP ${res.status}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return performance.now() - start;
}

type UploadSetup = Setup | 'PostgreSQL, two servers, a sandbox each';

/** (b) 1,000 uploads per setup, interleaved rounds. */
export async function benchPostgresUploads(pgUrl: string, rounds = 3, count = 1000): Promise<string> {
  const setups: UploadSetup[] = [...SETUPS, 'PostgreSQL, two servers, a sandbox each'];
  const figures = new Map<UploadSetup, number[]>(setups.map((s) => [s, []]));
  for (let round = 0; round < rounds; round++) {
    for (const setup of setups) {
      const running = await servers(setup === 'PostgreSQL, two servers, a sandbox each' ? 'PostgreSQL, two servers' : setup, pgUrl);
      try {
        const first = running.list[0] as ShippedServer;
        let targets: SandboxHandle[];
        if (setup === 'PostgreSQL, two servers, a sandbox each') {
          targets = await Promise.all(running.list.map((s) => createSandbox(s.url)));
        } else {
          const sandbox = await createSandbox(first.url);
          targets = running.list.map((s) => ({ ...sandbox, url: s.url }));
        }
        figures.get(setup)?.push(await uploads(targets, count, 16, `r${round}`));
      } finally {
        await running.stop();
      }
    }
  }
  const perSecond = (ms: number) => (count / ms) * 1000;
  const lowdb = perSecond(median(figures.get('lowdb, one server') ?? []));
  const one = perSecond(median(figures.get('PostgreSQL, one server') ?? []));
  const rows = setups.map((setup) => {
    const values = figures.get(setup) ?? [];
    const uploadsPerSecond = perSecond(median(values));
    return [setup, spread(values.map(perSecond), rate), setup === 'lowdb, one server' ? '1.00×' : times(uploadsPerSecond / lowdb), setup.startsWith('PostgreSQL, two') ? times(uploadsPerSecond / one) : ''];
  });
  return table([[`${count.toLocaleString('en')} one-payment uploads, 16 at a time, until the last 202 (median (min–max) of ${rounds})`, 'uploads/s', 'vs lowdb', 'two ÷ one server'], ...rows]);
}

/** (c) a 10,000-payment pain.001 on PostgreSQL until validated, vs decode + raw saxes. */
export async function benchPostgresIntake(pgUrl: string, runs = 3): Promise<string> {
  const running = await servers('PostgreSQL, one server', pgUrl);
  const validated: number[] = [];
  const received: number[] = [];
  const baseline: number[] = [];
  let size = 0;
  try {
    const sandbox = await createSandbox((running.list[0] as ShippedServer).url);
    for (let i = 0; i < runs; i++) {
      const bytes = Buffer.from(bulkPain001For(sandbox.sender, 10_000, '2026-03-16', 100 + i, `PG-BENCH-${i}`));
      size = bytes.length;
      const start = performance.now();
      rawSaxes(bytes);
      baseline.push(performance.now() - start);
      const result = await uploadUntilValidated(sandbox, bytes);
      if (result.fileStatus !== 'AWAITING_SIGNATURE') throw new Error(`10k upload: ${result.status} ${result.fileStatus ?? ''}`);
      validated.push(result.validatedMs);
      received.push(result.receivedMs);
    }
  } finally {
    await running.stop();
  }
  return table([
    [`10,000 payments, ${(size / 1e6).toFixed(1)} MB (median (min–max) of ${runs})`, '202 received', 'validated (committed)', 'decode+saxes', 'ratio'],
    ['sandbank start --store postgres://…', spread(received), spread(validated), spread(baseline), times(median(validated) / median(baseline))],
  ]);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const url = benchPostgresUrl();
  if (url === undefined) {
    console.log('no PostgreSQL: set SANDBANK_BENCH_PG_URL (or SANDBANK_TEST_PG_URL) to run the PostgreSQL figures');
  } else {
    console.log(await benchPostgresStatus(url));
    console.log(await benchPostgresUploads(url));
    console.log(await benchPostgresIntake(url));
  }
}
