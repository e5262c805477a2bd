/** `npm run bench`: every benchmark, each printing its figures and ratios against a baseline measured in the same run. */
import { benchBankgirot, benchMemory, benchPain001 } from './formats.ts';
import { benchColdStart, benchGetStatus, benchIntake, benchRestart, benchScaling } from './simulator.ts';

const section = (title: string) => console.log(`\n== ${title}`);
section('formats: pain.001 parse+validate vs decode + raw saxes tokenize (median of 7 interleaved pairs)');
console.log(benchPain001([1_000, 10_000, 100_000], 7));
console.log(benchMemory());
section('formats: Bankgirot fixed-width parse+validate (median of 5)');
console.log(benchBankgirot(5));
section('simulator (a): GET payment-file status, sandbank start vs bare node:http and WireMock, same bytes');
console.log(await benchGetStatus());
section('simulator (b): pain.001 upload until a status read says validated (on disk), sandbank start (lowdb) vs decode + raw saxes of the same bytes');
const intake = await benchIntake();
console.log(intake.table);
section('simulator (c): restart of sandbank start with 100,000 stored payments vs an empty data directory');
console.log(await benchRestart(intake.keptDir));
section('simulator (d): 1,000-payment upload, sandbox holding 100,000 payments vs an empty one (sandbank start, lowdb)');
console.log(await benchScaling());
section('simulator (e): cold start');
console.log(await benchColdStart());
section('simulator (f): PostgreSQL (sandbank start --store): vs lowdb, two servers on one database vs one, 10k intake vs raw saxes');
{
  const { benchPostgresIntake, benchPostgresStatus, benchPostgresUploads, benchPostgresUrl } = await import('./postgres.ts');
  const url = benchPostgresUrl();
  if (url === undefined) console.log('skipped: no PostgreSQL (set SANDBANK_BENCH_PG_URL=postgres://… to measure it)');
  else {
    console.log(await benchPostgresStatus(url));
    console.log(await benchPostgresUploads(url));
    console.log(await benchPostgresIntake(url));
  }
}
section('scenarios: the whole catalogue in-process, both banks (target ≤ 15 s wall)');
{
  const { loadCatalog, runAll } = await import('../scenarios/runner.ts');
  const catalog = await loadCatalog();
  const times: number[] = [];
  let perScenario: number[] = [];
  for (let i = 0; i < 3; i++) {
    const { results, ms } = await runAll({ scenarios: catalog, banks: ['swedbank', 'sparbanken'], parallel: 4 });
    if (results.some((r) => !r.passed)) throw new Error('a scenario failed during the benchmark');
    times.push(ms);
    perScenario = results.map((r) => r.ms);
  }
  const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)] ?? 0;
  console.log(`${perScenario.length} scenario runs: ${(median(times) / 1000).toFixed(2)} s wall (median of 3; target ≤ 15 s ${median(times) <= 15_000 ? 'met' : 'MISSED'}), median ${median(perScenario).toFixed(0)} ms per scenario`);
}
section('bureau (a): sync 10,000 invoices into an empty bureau program (real HTTP, append-only logs)');
{
  const { benchIncremental, benchSyncEmpty } = await import('./bureau.ts');
  console.log(await benchSyncEmpty());
  section('bureau (b): incremental sync of 100 changes on top of 100,000 vs into an empty program (target ≤ 1.5×)');
  console.log(await benchIncremental());
}
section('bureau (c): BgMax intake, 10,000 payments matched and booked against 100,000 open invoices vs parsing alone');
console.log(await (await import('./bureau-bgmax.ts')).benchBgMaxIntake());
section('cli: start-up of the compiled CLI (dist/, as installed) vs bare node, interleaved (target < 0.5 s wall each)');
console.log(await (await import('./cli.ts')).benchCliStartup());
