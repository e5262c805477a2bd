/**
 * `sandbank contracts verify --provider invoicing`: the bureau's pact against any invoicing
 * program's base URL (e.g. `sandbank invoicing start --memory --contract-states`), with the
 * same report, JUnit file and exit code as the bank contracts.
 */
import { writeFileSync } from 'node:fs';
import { unreachable } from '../../cli/errors.ts';
import { junitXml } from '../verify-cli.ts';
import { BUREAU_CONSUMER, INVOICING_PROVIDER } from './fixtures.ts';

interface Report {
  errors: { interaction: string; mismatch?: { mismatches?: { mismatch?: string; type?: string }[] } | string }[];
  interactionResults?: { description: string; duration?: string; result: string }[];
}

export async function runVerifyInvoicing(options: { providerBaseUrl: string; stateChangeUrl?: string; token?: string; junit?: string }, out: (line: string) => void = console.log): Promise<number> {
  const base = options.providerBaseUrl.replace(/\/$/, '');
  const stateChangeUrl = options.stateChangeUrl ?? `${base}/setup/provider-states`;
  out(`Verifying the bureau contract (${BUREAU_CONSUMER} → ${INVOICING_PROVIDER}) against ${base}`);
  out(`Provider states via ${stateChangeUrl}`);
  const { verifyInvoicingPact } = await import('./verify.ts');
  try {
    await fetch(`${base}/health`);
  } catch (error) {
    throw unreachable(base, error);
  }
  let text: string;
  let ok = true;
  try {
    text = await verifyInvoicingPact({ providerBaseUrl: base, stateChangeUrl, ...(options.token ? { token: options.token } : {}) });
  } catch (error) {
    ok = false;
    text = error instanceof Error ? error.message : String(error);
  }
  let report: Report;
  try {
    report = JSON.parse(text) as Report;
    if (!Array.isArray(report.errors)) throw new Error('not a report');
  } catch {
    report = { errors: ok ? [] : [{ interaction: '(verification)', mismatch: text }] };
  }
  const results = report.interactionResults ?? [];
  out('');
  out(ok && report.errors.length === 0 ? `✔ all ${results.length} interactions verified` : `✘ ${report.errors.length} interaction(s) failed:`);
  for (const error of report.errors) {
    out(`  - ${error.interaction}`);
    const mismatches = typeof error.mismatch === 'string' ? [error.mismatch] : (error.mismatch?.mismatches ?? []).map((m) => m.mismatch ?? m.type ?? '');
    for (const m of mismatches) out(`      ${m}`);
  }
  if (options.junit) {
    writeFileSync(options.junit, junitXml(INVOICING_PROVIDER, report));
    out(`JUnit report written to ${options.junit}`);
  }
  return ok && report.errors.length === 0 ? 0 : 1;
}
