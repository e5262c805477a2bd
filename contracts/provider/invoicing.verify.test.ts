/**
 * Provider verification of the invoicing program against the bureau's committed pact, over a
 * real port, with provider states through its state-change endpoint (as `sandbank contracts
 * verify --provider invoicing` does against a running `sandbank invoicing start
 * --contract-states`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock, seededKeys, startInvoicing, type InvoicingApp } from '../../client/invoicing/app.ts';
import { MemoryInvoicingStore } from '../../client/invoicing/store.ts';
import { LifecycleStore } from '../../client/collaboration/store.ts';
import { invoicingProviderStateRoutes } from '../bureau/states.ts';
import { verifyInvoicingPact } from '../bureau/verify.ts';

let app: InvoicingApp;
beforeAll(async () => {
  // Each provider state activates its collaboration in the server's lifecycles, as a real service has it.
  const lifecycles = await LifecycleStore.open();
  app = await startInvoicing({ store: new MemoryInvoicingStore(), clock: fixedClock('2026-03-02T09:00:00'), newKey: seededKeys(5), lifecycles, extraRoutes: invoicingProviderStateRoutes({ lifecycles }) });
});
afterAll(async () => app?.close());

describe('the invoicing program honours the bureau contract', () => {
  it('HTTP pact (Pact verifier, real port, provider states over HTTP)', async () => {
    const output = await verifyInvoicingPact({ providerBaseUrl: app.url });
    const result = JSON.parse(output) as { errors: unknown[]; interactionResults: { description: string; result: string }[] };
    expect(result.errors).toEqual([]);
    expect(result.interactionResults.length).toBe(10);
    expect(result.interactionResults.every((r) => r.result === 'OK')).toBe(true);
  });
});
