/**
 * Verifies the committed HTTP pacts against a bank's endpoint with Pact's own verifier.
 * Used by the provider tests (with in-process state handlers that seed the engine) and by
 * `sandbank contracts verify` (with a provider-state URL, for any bank).
 */
import { Verifier } from '@pact-foundation/pact';
import { CONTRACT_API_KEY, providerName, type ContractBank } from './fixtures.ts';
import { pactFile } from './pact-files.ts';

export { PACT_DIR, pactFile } from './pact-files.ts';

export interface VerifyOptions {
  providerBaseUrl: string;
  bank: ContractBank;
  /** Pact's state-change URL (POST { state, params, action }). */
  stateChangeUrl?: string;
  /** In-process state handlers (provider tests). */
  stateHandlers?: NonNullable<ConstructorParameters<typeof Verifier>[0]>['stateHandlers'];
  /**
   * Sent to the state-change URL, and instead of the contract's example key in every replayed
   * request (a partner bank's credentials, or the key of the sandbox `contracts verify` made).
   */
  token?: string;
  logLevel?: 'error' | 'warn' | 'info' | 'debug';
  pactUrls?: string[];
  publish?: { brokerUrl: string; brokerToken?: string; providerVersion: string; providerBranch?: string };
}

export async function verifyHttpPacts(options: VerifyOptions): Promise<string> {
  const verifier = new Verifier({
    provider: providerName(options.bank),
    providerBaseUrl: options.providerBaseUrl,
    pactUrls: options.pactUrls ?? [pactFile(options.bank)],
    logLevel: options.logLevel ?? 'error',
    ...(options.stateChangeUrl ? { providerStatesSetupUrl: options.stateChangeUrl, providerStatesSetupTeardown: true, providerStatesSetupBody: true } : {}),
    ...(options.stateHandlers ? { stateHandlers: options.stateHandlers } : {}),
    ...(options.token ? {
      customProviderHeaders: { Authorization: `Bearer ${options.token}` },
      // Pact's custom headers do not replace a header the interaction already has: the filter does.
      requestFilter: (req, _res, next) => {
        if (req.headers.authorization === `Bearer ${CONTRACT_API_KEY}`) req.headers.authorization = `Bearer ${options.token}`;
        next();
      },
    } satisfies Partial<ConstructorParameters<typeof Verifier>[0]> : {}),
    ...(options.publish ? {
      publishVerificationResult: true,
      pactBrokerUrl: options.publish.brokerUrl,
      providerVersion: options.publish.providerVersion,
      ...(options.publish.brokerToken ? { pactBrokerToken: options.publish.brokerToken } : {}),
      ...(options.publish.providerBranch ? { providerVersionBranch: options.publish.providerBranch } : {}),
    } : {}),
  });
  return verifier.verifyProvider();
}
