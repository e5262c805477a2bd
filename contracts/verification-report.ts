/**
 * What Pact's verifier reports, as `sandbank contracts verify` prints it (a line per failed
 * interaction and its mismatches), as JUnit XML, and as an exit code — the same for the bank
 * contracts and the bureau's contract with an invoicing program.
 */
import { writeFileSync } from 'node:fs';

export interface VerificationReport {
  errors: { interaction: string; mismatch?: { mismatches?: { mismatch?: string; type?: string }[] } | string }[];
  interactionResults?: { description: string; duration?: string; result: string }[];
}

/** Pact's JSON report, or undefined when the verifier printed something else (a crash, a log). */
export function parseReport(text: string): VerificationReport | undefined {
  try {
    const parsed = JSON.parse(text) as VerificationReport;
    return Array.isArray(parsed.errors) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

const xml = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);

const mismatchesOf = (error: VerificationReport['errors'][number], fallback: string) =>
  typeof error.mismatch === 'string' ? [error.mismatch] : (error.mismatch?.mismatches ?? []).map((m) => m.mismatch ?? m.type ?? fallback);

export function junitXml(provider: string, report: VerificationReport): string {
  const failures = new Map<string, string[]>();
  for (const error of report.errors) failures.set(error.interaction, [...(failures.get(error.interaction) ?? []), ...mismatchesOf(error, 'mismatch')]);
  const cases = (report.interactionResults ?? []).map((r) => ({ name: r.description, seconds: Number.parseFloat(r.duration ?? '0') / 1000 || 0, failed: r.result !== 'OK' }));
  for (const name of failures.keys()) if (!cases.some((c) => name.endsWith(c.name))) cases.push({ name, seconds: 0, failed: true });
  const body = cases.map((c) => {
    const messages = [...failures.entries()].filter(([k]) => k.endsWith(c.name)).flatMap(([, v]) => v);
    return `    <testcase classname="${xml(provider)}" name="${xml(c.name)}" time="${c.seconds.toFixed(3)}">${c.failed ? `\n      <failure message="${xml(messages[0] ?? 'verification failed')}">${xml(messages.join('\n'))}</failure>\n    ` : ''}</testcase>`;
  }).join('\n');
  const failed = cases.filter((c) => c.failed).length;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites tests="${cases.length}" failures="${failed}">\n  <testsuite name="${xml(provider)}" tests="${cases.length}" failures="${failed}">\n${body}\n  </testsuite>\n</testsuites>\n`;
}

/**
 * Prints the outcome of one verification run and writes its JUnit file; 0 when every
 * interaction passed. `ok` is false when the verifier threw, `text` is its report or message.
 */
export function reportVerification(run: { ok: boolean; text: string }, provider: string, junit: string | undefined, out: (line: string) => void): number {
  const report = parseReport(run.text) ?? { errors: run.ok ? [] : [{ interaction: '(verification)', mismatch: run.text }] };
  const passed = run.ok && report.errors.length === 0;
  out('');
  out(passed ? `✔ all ${(report.interactionResults ?? []).length} interactions verified` : `✘ ${report.errors.length} interaction(s) failed:`);
  for (const error of report.errors) {
    out(`  - ${error.interaction}`);
    for (const m of mismatchesOf(error, '')) out(`      ${m}`);
  }
  if (junit) {
    writeFileSync(junit, junitXml(provider, report));
    out(`JUnit report written to ${junit}`);
  }
  return passed ? 0 : 1;
}

/** Runs a verifier, keeping what it threw as the run's text (Pact throws on any mismatch). */
export async function runVerifier(verify: () => Promise<string>): Promise<{ ok: boolean; text: string }> {
  try {
    return { ok: true, text: await verify() };
  } catch (error) {
    return { ok: false, text: error instanceof Error ? error.message : String(error) };
  }
}
