/**
 * Provider verification of the simulator against the committed pacts, for both banks, over
 * a real port. State handlers seed the engine directly; the webhook message pacts are
 * verified from real engine events.
 */
import { MessageProviderPact } from '@pact-foundation/pact';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRandom } from '../../formats/random.ts';
import { startSimulator, type Simulator } from '../../simulator/app.ts';
import { CONTRACT_API_KEY, CONTRACT_BANKS, STATES, messageProviderName, type ContractBank } from '../fixtures.ts';
import { PACT_DIR, verifyHttpPacts } from '../verify.ts';
import { fileStatusWebhook } from './messages.ts';
import { applyProviderState } from './states.ts';

let simulator: Simulator;
beforeAll(async () => {
  simulator = await startSimulator({ random: createRandom(61) });
});
afterAll(async () => simulator.close());

function handlers(bank: ContractBank) {
  const ctx = {
    engine: simulator.engine,
    bank,
    // The fixed contract key: handed out only here, to in-process test-only states.
    apiKey: CONTRACT_API_KEY,
    // The body-limit state lowers the limit of its own sandbox only (the server's is a flag).
    limitBody: (sandboxId: string, bytes: number | undefined) => simulator.limitSandboxBody(sandboxId, bytes),
  };
  return Object.fromEntries(Object.values(STATES).map((state) => [state, async (params?: unknown) => {
    await applyProviderState(ctx, { state, params: typeof params === 'object' && params !== null ? Object.fromEntries(Object.entries(params)) : {}, action: 'setup' });
    return undefined;
  }]));
}

describe.each(CONTRACT_BANKS)('the simulator honours the contracts as %s', (bank) => {
  it('HTTP pact (Pact verifier, real port, state handlers seeding the engine)', async () => {
    const output = await verifyHttpPacts({ providerBaseUrl: simulator.url, bank, stateHandlers: handlers(bank) });
    const result = JSON.parse(output) as { errors: unknown[]; interactionResults: { description: string; result: string }[] };
    expect(result.errors).toEqual([]);
    expect(result.interactionResults.length).toBeGreaterThanOrEqual(17);
    expect(result.interactionResults.every((r) => r.result === 'OK')).toBe(true);
  });

  it('webhook message pact', async () => {
    const verifier = new MessageProviderPact({
      provider: messageProviderName(bank),
      pactUrls: [`${PACT_DIR}sandbank-client-${messageProviderName(bank)}.json`],
      logLevel: 'error',
      stateHandlers: { [STATES.awaitingSignature]: async () => void (await applyProviderState({ engine: simulator.engine, bank, apiKey: CONTRACT_API_KEY }, { state: STATES.awaitingSignature })) },
      messageProviders: { 'a payment file status change': async () => fileStatusWebhook(simulator.engine, Math.floor(Date.now() / 1000)) },
    });
    await expect(verifier.verify()).resolves.not.toThrow();
  });
});
