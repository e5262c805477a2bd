/**
 * Provider states of the invoicing program for the bureau's contracts. Each state replaces
 * the service behind the running server with a fresh in-memory one (keys from the contract
 * fixtures) and seeds it. Mounted only where asked (`sandbank invoicing start
 * --contract-states`, the provider test): it discards the service's data.
 */
import { z } from 'zod';
import { activationHook, fixedClock } from '../../client/invoicing/app.ts';
import type { LifecycleStore } from '../../client/collaboration/store.ts';
import { problem } from '../../client/invoicing/http/problem.ts';
import type { Route } from '../../client/invoicing/http/routes.ts';
import { InvoicingService } from '../../client/invoicing/service.ts';
import { MemoryInvoicingStore } from '../../client/invoicing/store.ts';
import { CONTRACT_BUREAU_KEY, CONTRACT_KEY_SEEDS, INVOICING_STATES } from './fixtures.ts';

const stateChange = z.object({ state: z.string().min(1), params: z.record(z.string(), z.unknown()).optional(), action: z.enum(['setup', 'teardown']).optional() });

/** A fresh service for a state; its collaboration is activated in `lifecycles` (the running server's), replacing what an earlier state left there. */
export async function freshContractService(state: string, lifecycles?: LifecycleStore): Promise<InvoicingService> {
  const keys = [...CONTRACT_KEY_SEEDS];
  const clock = fixedClock('2026-03-02T09:00:00');
  if (lifecycles) await lifecycles.clear();
  const service = await InvoicingService.open({ store: new MemoryInvoicingStore(), clock, newKey: () => keys.shift() ?? 'contract0spare000000000000000000', ...(lifecycles ? { activate: activationHook(lifecycles, clock) } : {}) });
  const made = await service.createCollaboration({ companyName: 'Kontraktsbolaget AB', organisationNumber: '5565123456', bureauName: 'Kontraktsbyrån AB', nextInvoiceNumber: 1001, ...(lifecycles ? { activation: { recipient: 'bureau', period: 'quarterly' } } : {}) });
  if (!made.ok) throw new Error(made.message);
  const companyId = made.value.company.id;
  if (state === INVOICING_STATES.threeChanges || state === INVOICING_STATES.expired) {
    const customer = await service.createCustomer(companyId, { name: 'Acme AB', organisationNumber: '556000-0001' });
    await service.createArticle(companyId, { name: 'Konsulttimme', unitPriceOre: 95_000, vatRate: 25 });
    if (customer.kind === 'done') await service.createInvoice(companyId, { customerId: customer.value.id, invoiceDate: '2026-03-02', lines: [{ description: 'Konsulttimme', quantity: 2, unitPriceOre: 95_000, vatRate: 25 }] });
    if (state === INVOICING_STATES.expired) service.compactFeed(companyId, 1);
  }
  if (state === INVOICING_STATES.document) {
    await service.scanDocument(companyId, { kind: 'supplier-invoice', fileName: 'faktura.pdf', contentType: 'application/pdf', contentBase64: Buffer.from('%PDF-1.4\n').toString('base64'), comment: 'Kontorsmaterial' });
  }
  return service;
}

export function invoicingProviderStateRoutes(options: { lifecycles?: LifecycleStore } = {}): Route[] {
  return [{
    method: 'POST', pattern: '/setup/provider-states', auth: 'none',
    handler: async (call) => {
      let body: unknown;
      try {
        body = JSON.parse(Buffer.from(await call.req.body()).toString('utf8') || '{}');
      } catch {
        return problem('INVALID_JSON', 'the state change is not JSON');
      }
      const parsed = stateChange.safeParse(body);
      if (!parsed.success) return problem('INVALID_REQUEST', parsed.error.issues.map((i) => i.message).join('; '));
      if (parsed.data.action === 'teardown') return { status: 200, headers: { 'content-type': 'application/json' }, body: '{}' };
      if (!(Object.values(INVOICING_STATES) as string[]).includes(parsed.data.state)) return problem('INVALID_REQUEST', `unknown provider state "${parsed.data.state}"`);
      call.ctx.service = await freshContractService(parsed.data.state, options.lifecycles);
      call.ctx.rateLimiter.set(undefined);
      if (parsed.data.state === INVOICING_STATES.rateLimited) call.ctx.rateLimiter.exhaust(CONTRACT_BUREAU_KEY);
      return { status: 200, headers: { 'content-type': 'application/json' }, body: '{}' };
    },
  }];
}
