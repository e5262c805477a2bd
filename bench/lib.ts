/** Tiny benchmark helpers: medians of repeated runs, ratios against a baseline from the same run. */
import { performance } from 'node:perf_hooks';

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** Runs `fn` `runs` times after one warm-up and returns the median in milliseconds. */
export function timeMedian(runs: number, fn: () => unknown): number {
  fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  return median(times);
}

export async function timeMedianAsync(runs: number, fn: () => Promise<unknown>): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  return median(times);
}

export function fmt(ms: number): string {
  return ms >= 100 ? `${ms.toFixed(0)} ms` : `${ms.toFixed(1)} ms`;
}

export function table(rows: (string | number)[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => String(r[i] ?? '').length))) ?? [];
  return rows.map((r) => r.map((c, i) => String(c).padEnd(widths[i] ?? 0)).join('  ')).join('\n');
}

/**
 * Times a baseline and a subject alternately `runs` times (after a warm-up of each) and returns
 * their medians and the median of the per-pair ratios baseline/subject (higher is better for
 * the subject). Alternating keeps a noisy machine from favouring whichever ran first.
 */
export function timePairs(runs: number, baseline: () => unknown, subject: () => unknown): { baselineMs: number; subjectMs: number; ratio: number } {
  baseline();
  subject();
  const a: number[] = [];
  const b: number[] = [];
  const ratios: number[] = [];
  for (let i = 0; i < runs; i++) {
    let start = performance.now();
    baseline();
    const x = performance.now() - start;
    start = performance.now();
    subject();
    const y = performance.now() - start;
    a.push(x);
    b.push(y);
    ratios.push(x / y);
  }
  return { baselineMs: median(a), subjectMs: median(b), ratio: median(ratios) };
}

/** `median (min–max)` of a sample, in ms. */
export function spread(values: readonly number[], format: (v: number) => string = fmt): string {
  if (values.length === 0) return 'n/a';
  return `${format(median(values))} (${format(Math.min(...values))}–${format(Math.max(...values))})`;
}

export const perSecond = (v: number): string => v.toFixed(0);
export const ratio = (v: number): string => `${v.toFixed(2)}×`;
