/**
 * `sandbank scenarios run [glob] [--bank swedbank|sparbanken|all] [--tag t] [--parallel N]
 * [--seed S] [--target inprocess|http://host:port] [--junit out.xml] [--report out.md]`
 */
import { writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { unreachable } from '../cli/errors.ts';
import { httpUrl, positiveWholeNumber, seedNumber } from '../cli/option-values.ts';
import type { BankId } from '../simulator/banks/index.ts';
import { junitReport, loadCatalog, markdownReport, runAll, summaryTable } from './runner.ts';

interface RunCliOptions {
  bank: string;
  tag?: string[];
  parallel: number;
  seed?: number;
  target: string;
  invoicingTarget?: string;
  junit?: string;
  report?: string;
}

export async function runScenariosCli(pattern: string | undefined, options: RunCliOptions, out: (line: string) => void = console.log): Promise<number> {
  const banks: BankId[] = options.bank === 'all' ? ['swedbank', 'sparbanken'] : options.bank === 'swedbank' || options.bank === 'sparbanken' ? [options.bank] : [];
  if (banks.length === 0) {
    out(`unknown bank "${options.bank}": swedbank, sparbanken or all`);
    return 2;
  }
  const scenarios = await loadCatalog(pattern);
  if (scenarios.length === 0) {
    out(`no scenario matches ${pattern}`);
    return 2;
  }
  if (options.tag?.length && !scenarios.some((s) => options.tag?.some((t) => s.tags.includes(t)))) {
    const known = [...new Set((await loadCatalog()).flatMap((s) => s.tags))].sort();
    out(`no scenario${pattern === undefined ? '' : ` matching ${pattern}`} has the tag ${options.tag.join(' or ')} (known tags: ${known.join(', ')})`);
    return 2;
  }
  if (options.target !== 'inprocess') {
    try {
      await fetch(`${options.target.replace(/\/$/, '')}/health`);
    } catch (error) {
      throw unreachable(options.target, error);
    }
  }
  const seed = options.seed;
  out(`Running ${scenarios.length} scenario file(s) against ${options.target === 'inprocess' ? 'the in-process bank' : options.target}${seed === undefined ? '' : ` with seed ${seed}`}`);
  const { results, ms } = await runAll({
    scenarios, banks, parallel: options.parallel, target: options.target,
    ...(options.invoicingTarget ? { invoicingTarget: options.invoicingTarget } : {}),
    // A CI failure's sandbox travels with its JUnit report, to be opened in a local console.
    ...(options.junit ? { exportDir: dirname(resolve(options.junit)) } : {}),
    ...(options.tag?.length ? { tags: options.tag } : {}),
    ...(seed === undefined ? {} : { seed }),
    onResult: (r, done, total) => out(`[${String(done).padStart(String(total).length)}/${total}] ${r.passed ? '✔' : '✘'} ${r.bank.padEnd(10)} ${r.name} (${r.ms.toFixed(0)} ms)${r.passed ? '' : `\n      ${r.error}\n      seed ${r.seed}, sandbox ${r.sandboxId}${r.exportFile ? `\n      export ${r.exportFile}` : ''}`}`),
  });
  out('');
  out(summaryTable(results));
  const failed = results.filter((r) => !r.passed).length;
  const sorted = results.map((r) => r.ms).sort((a, b) => a - b);
  const median = sorted.length === 0 ? 0 : (sorted[Math.floor(sorted.length / 2)] ?? 0);
  out(`\n${results.length - failed} passed, ${failed} failed in ${(ms / 1000).toFixed(1)} s (median ${median.toFixed(0)} ms per scenario)`);
  // Repeated last: a CI log is often read from its tail, far below the progress lines.
  for (const r of results.filter((x) => !x.passed)) out(`✘ ${r.bank} ${r.name}\n      ${r.error}\n      seed ${r.seed}, sandbox ${r.sandboxId}${r.exportFile ? `, export ${r.exportFile}` : ''}`);
  if (options.junit) writeFileSync(options.junit, junitReport(results));
  if (options.report) writeFileSync(options.report, markdownReport(results, ms));
  return failed === 0 ? 0 : 1;
}

function targetValue(value: string): string {
  if (value === 'inprocess') return value;
  try {
    return httpUrl(value);
  } catch (error) {
    throw new InvalidArgumentError(`give inprocess or a server's base URL, like http://127.0.0.1:4010${error instanceof Error && error.message.startsWith('a ') ? ` (${error.message.replace(/;.*/, '')})` : ''}.`);
  }
}

export function registerScenarios(program: Command): void {
  const scenarios = program.command('scenarios').description('business scenarios against the simulated banks, for QA');
  scenarios.command('run').description('run scenario files from scenarios/catalog (each in its own sandbox)')
    .argument('[glob]', 'file name pattern, e.g. "1*" or "*cancellation*"')
    .addOption(new Option('--bank <bank>', 'swedbank, sparbanken or all').choices(['swedbank', 'sparbanken', 'all']).default('all'))
    .option('--tag <tag...>', 'only scenarios with one of these tags')
    .option('--parallel <n>', 'scenarios at a time', positiveWholeNumber(64), 4)
    .option('--seed <seed>', 'seed for every scenario, a whole number (default: each scenario\'s own)', seedNumber)
    .option('--target <target>', 'inprocess or the base URL of a running server', targetValue, 'inprocess')
    .option('--invoicing-target <url>', 'a running invoicing program for the bureau scenarios (default: one in-process)', httpUrl)
    .option('--junit <file>', 'write JUnit XML')
    .option('--report <file>', 'write a Markdown report with step timings')
    .action(async (pattern: string | undefined, options: RunCliOptions) => {
      process.exitCode = await runScenariosCli(pattern, options);
    });
}
