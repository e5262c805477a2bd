/**
 * `sandbank contracts verify --provider invoicing`: the bureau's pact against any invoicing
 * program's base URL (e.g. `sandbank invoicing start --memory --contract-states`), with the
 * same report, JUnit file and exit code as the bank contracts.
 */
import { unreachable } from '../../cli/errors.ts';
import { loadVerifier } from '../load-verifier.ts';
import { reportVerification, runVerifier } from '../verification-report.ts';
import { BUREAU_CONSUMER, INVOICING_PROVIDER } from './fixtures.ts';

export async function runVerifyInvoicing(options: { providerBaseUrl: string; stateChangeUrl?: string; token?: string; junit?: string }, out: (line: string) => void = console.log): Promise<number> {
  const base = options.providerBaseUrl.replace(/\/$/, '');
  const stateChangeUrl = options.stateChangeUrl ?? `${base}/setup/provider-states`;
  out(`Verifying the bureau contract (${BUREAU_CONSUMER} → ${INVOICING_PROVIDER}) against ${base}`);
  out(`Provider states via ${stateChangeUrl}`);
  const { verifyInvoicingPact } = await loadVerifier(() => import('./verify.ts'));
  try {
    await fetch(`${base}/health`);
  } catch (error) {
    throw unreachable(base, error);
  }
  const run = await runVerifier(() => verifyInvoicingPact({ providerBaseUrl: base, stateChangeUrl, ...(options.token ? { token: options.token } : {}) }));
  return reportVerification(run, INVOICING_PROVIDER, options.junit, out);
}
