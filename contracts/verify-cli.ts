/**
 * `sandbank contracts verify` — a partner bank (or the simulator) runs the committed pacts
 * against its own API with Pact's verifier and gets a readable report, optional JUnit XML,
 * and a non-zero exit on any mismatch. `sandbank contracts publish` publishes the pacts to a
 * Pact Broker following Pact's conventions.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { httpUrl } from '../cli/option-values.ts';
import { CONSUMER, CONTRACT_BANKS } from './fixtures.ts';
import { CliError, unreachable } from '../cli/errors.ts';
import { rerunWithoutColour } from '../cli/plain-child.ts';
import { PACT_DIR } from './pact-files.ts';
import { loadVerifier } from './load-verifier.ts';
import { reportVerification, runVerifier } from './verification-report.ts';

export interface VerifyCliOptions {
  providerBaseUrl: string;
  bank: string;
  stateChangeUrl?: string;
  token?: string;
  operatorKey?: string;
  junit?: string;
  publish?: boolean;
  brokerUrl?: string;
  brokerToken?: string;
  providerVersion?: string;
  providerBranch?: string;
}

export async function runVerify(options: VerifyCliOptions, out: (line: string) => void = console.log): Promise<number> {
  const bank = CONTRACT_BANKS.find((b) => b === options.bank);
  if (!bank) {
    out(`unknown bank "${options.bank}": ${CONTRACT_BANKS.join(' or ')}`);
    return 2;
  }
  const base = options.providerBaseUrl.replace(/\/$/, '');
  const stateChangeUrl = options.stateChangeUrl ?? `${base}/sandboxes/provider-states?bank=${bank}`;
  const brokerUrl = options.brokerUrl ?? process.env['PACT_BROKER_BASE_URL'];
  const brokerToken = options.brokerToken ?? process.env['PACT_BROKER_TOKEN'];
  out(`Verifying the ${bank} contract (${CONSUMER} → sandbank-${bank}) against ${base}`);
  out(`Provider states via ${stateChangeUrl}`);
  const { verifyHttpPacts } = await loadVerifier(() => import('./verify.ts'));
  try {
    await fetch(base, { method: 'HEAD' });
  } catch (error) {
    throw unreachable(base, error);
  }
  let token = options.token;
  let ownSandbox = false;
  if (token !== undefined) {
    // A refused token fails every interaction alike (20 × "Invalid status code: 401"): say so once.
    const refused = await providerStatesRefuse(stateChangeUrl, token);
    if (refused !== undefined) throw new CliError(`${stateChangeUrl} refused --token (HTTP ${refused}): give an API key the bank accepts (a sandbox's apiKey on a sandbank server), or leave --token out to use a fresh sandbox`, 2);
  }
  if (token === undefined) {
    // A sandbank server: this run's own sandbox, so runs against one server never collide.
    const created = await createContractSandbox(base, bank, options.operatorKey ?? process.env['SANDBANK_OPERATOR_KEY']);
    if (!created.ok) throw new CliError(created.message, 2);
    token = created.apiKey;
    ownSandbox = true;
    // Without the provider states every interaction fails its setup (405): say so once instead.
    if (!(await servesProviderStates(stateChangeUrl, token))) {
      await fetch(`${base}/sandboxes/${encodeURIComponent(created.sandboxId)}`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } }).catch(() => undefined);
      throw new CliError(`${base} serves no provider states at ${stateChangeUrl}: start it with \`sandbank start --provider-states\` (or SANDBANK_PROVIDER_STATES=1), or give the bank's own with --state-change-url`, 2);
    }
  }
  const run = await runVerifier(() => verifyHttpPacts({
    providerBaseUrl: base, bank, stateChangeUrl, token,
    ...(options.publish && brokerUrl && options.providerVersion ? { publish: { brokerUrl, providerVersion: options.providerVersion, ...(brokerToken ? { brokerToken } : {}), ...(options.providerBranch ? { providerBranch: options.providerBranch } : {}) } } : {}),
  }));
  if (ownSandbox) await deleteContractSandbox(base, stateChangeUrl, token);
  return reportVerification(run, `sandbank-${bank}`, options.junit, out);
}

/** The HTTP status when the provider-state endpoint refuses the token (401/403), else undefined. */
async function providerStatesRefuse(stateChangeUrl: string, token: string): Promise<number | undefined> {
  try {
    const res = await fetch(stateChangeUrl, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: '{}' });
    await res.arrayBuffer();
    return res.status === 401 || res.status === 403 ? res.status : undefined;
  } catch {
    return undefined;
  }
}

/** An empty state change is a 400 from a provider-state endpoint, and a 404/405 where there is none. */
async function servesProviderStates(stateChangeUrl: string, token: string): Promise<boolean> {
  try {
    const res = await fetch(stateChangeUrl, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: '{}' });
    await res.arrayBuffer();
    return res.status !== 404 && res.status !== 405;
  } catch {
    return true;
  }
}

async function createContractSandbox(base: string, bank: string, operatorKey: string | undefined): Promise<{ ok: true; apiKey: string; sandboxId: string } | { ok: false; message: string }> {
  const failed = (why: string) => ({ ok: false as const, message: `could not create a contract sandbox at ${base}/sandboxes (${why}): pass --operator-key for a sandbank server that requires one, or --token for a bank that is not sandbank` });
  try {
    const res = await fetch(`${base}/sandboxes`, { method: 'POST', headers: { 'content-type': 'application/json', ...(operatorKey ? { authorization: `Bearer ${operatorKey}` } : {}) }, body: JSON.stringify({ bank }) });
    if (res.status !== 201) return failed(`HTTP ${res.status}`);
    const body = (await res.json()) as { apiKey?: unknown; sandboxId?: unknown };
    return typeof body.apiKey === 'string' ? { ok: true, apiKey: body.apiKey, sandboxId: typeof body.sandboxId === 'string' ? body.sandboxId : '' } : failed('no apiKey in the answer');
  } catch (error) {
    return failed(error instanceof Error ? error.message : String(error));
  }
}

/** The states replaced the sandbox under the same key: ask for it once more to learn its id, then delete it. */
async function deleteContractSandbox(base: string, stateChangeUrl: string, apiKey: string): Promise<void> {
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` };
  try {
    const state = await fetch(stateChangeUrl, { method: 'POST', headers, body: JSON.stringify({ state: 'a sandbox', action: 'setup' }) });
    const { sandboxId } = (await state.json()) as { sandboxId?: string };
    if (typeof sandboxId === 'string') await fetch(`${base}/sandboxes/${encodeURIComponent(sandboxId)}`, { method: 'DELETE', headers });
  } catch {
    // Best effort: the sandbox is left for the operator's housekeeping.
  }
}

/** Publishes the committed pacts to a Pact Broker (PUT /pacts/provider/…/consumer/…/version/…). */
export async function runPublish(options: { brokerUrl?: string; token?: string; consumerVersion: string; branch?: string }, out: (line: string) => void = console.log): Promise<number> {
  const broker = (options.brokerUrl ?? process.env['PACT_BROKER_BASE_URL'] ?? '').replace(/\/$/, '');
  const token = options.token ?? process.env['PACT_BROKER_TOKEN'];
  if (!broker) {
    out('set --broker-url or PACT_BROKER_BASE_URL');
    return 2;
  }
  const headers: Record<string, string> = { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) };
  let failed = 0;
  if (options.branch) {
    const res = await fetch(`${broker}/pacticipants/${encodeURIComponent(CONSUMER)}/branches/${encodeURIComponent(options.branch)}/versions/${encodeURIComponent(options.consumerVersion)}`, { method: 'PUT', headers, body: '{}' });
    if (!res.ok) {
      out(`branch ${options.branch}: HTTP ${res.status}`);
      failed++;
    }
  }
  for (const file of readdirSync(PACT_DIR).filter((f) => f.endsWith('.json')).sort()) {
    const pact = JSON.parse(readFileSync(`${PACT_DIR}${file}`, 'utf8')) as { consumer: { name: string }; provider: { name: string } };
    const url = `${broker}/pacts/provider/${encodeURIComponent(pact.provider.name)}/consumer/${encodeURIComponent(pact.consumer.name)}/version/${encodeURIComponent(options.consumerVersion)}`;
    const res = await fetch(url, { method: 'PUT', headers, body: JSON.stringify(pact) });
    out(`${res.ok ? '✔' : '✘'} ${pact.consumer.name} → ${pact.provider.name} (${options.consumerVersion}): HTTP ${res.status}`);
    if (!res.ok) failed++;
  }
  return failed === 0 ? 0 : 1;
}

export function registerContracts(program: Command): void {
  const contracts = program.command('contracts').description('Pact contracts between the reference client and the banks');
  contracts.command('verify').description("run the committed pacts against a bank's API (Pact's verifier)")
    .requiredOption('--provider-base-url <url>', 'the bank API base URL', httpUrl)
    .addOption(new Option('--bank <bank>', 'swedbank or sparbanken').choices(CONTRACT_BANKS).default('swedbank'))
    .addOption(new Option('--provider <provider>', 'bank, or invoicing (the bureau\'s contract with an invoicing program)').choices(['bank', 'invoicing']).default('bank'))
    .option('--state-change-url <url>', 'provider-state endpoint (default: the simulator\'s /sandboxes/provider-states)', httpUrl)
    .option('--token <token>', "bearer token sent instead of the contract API key (default: a fresh sandbox's key on a sandbank server)")
    .option('--operator-key <key>', 'operator key of a sandbank server started with --operator-key (default: SANDBANK_OPERATOR_KEY)')
    .option('--junit <file>', 'write a JUnit XML report')
    .option('--publish', 'publish verification results to a Pact Broker')
    .option('--broker-url <url>', 'Pact Broker (default: PACT_BROKER_BASE_URL)', httpUrl)
    .option('--broker-token <token>', 'Pact Broker token (default: PACT_BROKER_TOKEN)')
    .option('--provider-version <version>', 'provider version for published results')
    .option('--provider-branch <branch>')
    .action(async (options: VerifyCliOptions & { provider?: string }) => {
      // Pact colours its report whatever the output is: in a pipe the run goes through a stripping child.
      const plain = await rerunWithoutColour();
      if (plain !== undefined) {
        process.exitCode = plain;
        return;
      }
      process.exitCode = options.provider === 'invoicing' ? await (await import('./bureau/verify-cli.ts')).runVerifyInvoicing(options) : await runVerify(options);
    });
  contracts.command('publish').description('publish the pacts to a Pact Broker (PACT_BROKER_BASE_URL, PACT_BROKER_TOKEN)')
    .requiredOption('--consumer-version <version>', 'e.g. the git commit')
    .option('--branch <branch>', 'consumer branch')
    .option('--broker-url <url>', 'Pact Broker (default: PACT_BROKER_BASE_URL)', httpUrl)
    .option('--token <token>')
    .action(async (options: { consumerVersion: string; branch?: string; brokerUrl?: string; token?: string }) => {
      process.exitCode = await runPublish(options);
    });
}
