/**
 * Start-up of the compiled CLI as an installed package runs it (`dist/cli/main.js`, built
 * here first): `sandbank --help` and `sandbank client status` of a company connected to a
 * running server, each interleaved with a bare `node -e 0` in the same run (target: under
 * 0.5 s wall each). Run alone: `npx tsx bench/cli.ts`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fmt, median, spread, table } from './lib.ts';
import { createSandbox, startShipped } from './shipped.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MAIN = join(ROOT, 'dist', 'cli', 'main.js');

function timed(args: string[]): number {
  const start = performance.now();
  const run = spawnSync(process.execPath, args, { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  const ms = performance.now() - start;
  if (run.status !== 0) throw new Error(`node ${args.join(' ')} exited ${run.status}: ${run.stderr.trim()}`);
  return ms;
}

export async function benchCliStartup(runs = 9): Promise<string> {
  const build = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`build failed: ${build.stderr}`);
  const dir = mkdtempSync(join(tmpdir(), 'sandbank-bench-cli-'));
  const server = await startShipped(join(dir, 'server'), ['--memory']);
  try {
    const sandbox = await createSandbox(server.url);
    const data = join(dir, 'company.json');
    const init = spawnSync(process.execPath, [MAIN, 'client', '--data', data, 'init', '--base-url', server.url, '--bank', 'swedbank', '--api-key', sandbox.key, '--company', 'Bench AB', '--org', '5566778899'], { encoding: 'utf8' });
    if (init.status !== 0) throw new Error(`client init: ${init.stderr.trim()}`);
    const subjects: [string, string[]][] = [
      ['sandbank --help', [MAIN, '--help']],
      ['sandbank client status', [MAIN, 'client', '--data', data, 'status']],
    ];
    const baseline: number[] = [];
    const times = subjects.map(() => [] as number[]);
    for (let i = 0; i <= runs; i++) {
      const bare = timed(['-e', '0']);
      const each = subjects.map(([, args]) => timed(args));
      if (i === 0) continue; // warm-up: the file cache
      baseline.push(bare);
      each.forEach((ms, k) => times[k]?.push(ms));
    }
    const rows: (string | number)[][] = [['command', 'wall, median (min–max)', 'bare node -e 0', 'over bare node', 'target < 0.5 s']];
    subjects.forEach(([name], k) => {
      const t = times[k] ?? [];
      rows.push([name, spread(t), fmt(median(baseline)), `+${fmt(median(t) - median(baseline))}`, median(t) < 500 ? 'met' : 'MISSED']);
    });
    return table(rows);
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) console.log(await benchCliStartup());
