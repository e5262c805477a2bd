/**
 * `sandbank invoicing start`: the one place that wires the real clock, crypto keys and the
 * lowdb store to the invoicing program, and prints what a person needs to begin (like
 * `sandbank start`).
 */
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { stockholmDateTime } from '../../formats/stockholm.ts';
import { lockDataDir } from '../../cli/data-dir-lock.ts';
import { stopWhenLauncherExits } from '../../cli/launcher.ts';
import { startInvoicing, type InvoicingApp } from './app.ts';
import type { RateLimit } from './http/rate-limit.ts';
import { LowdbInvoicingStore, MemoryInvoicingStore } from './store.ts';
import { LifecycleStore } from '../collaboration/store.ts';
import { controllableClock } from './clock.ts';
import type { ActivationTerms } from './model.ts';

export interface InvoicingStartOptions {
  port: number;
  data: string;
  memory?: boolean;
  rateLimit?: RateLimit | undefined;
  retainChanges?: number;
  nextInvoiceNumber?: number;
  paymentsRegisteredBy?: 'customer' | 'bureau';
  /** Mount the contracts' provider-state endpoint (it replaces the data: only with --memory). */
  contractStates?: boolean;
  /** A controllable clock starting at this local date-time, moved by POST /setup/clock/advance (test helper); else the real clock. */
  clock?: string;
  /** The ready-made collaboration's activation terms, or false to leave it for `sandbank collaboration activate`. */
  activation?: ActivationTerms | false;
  quiet?: boolean;
}

export async function runInvoicingStart(options: InvoicingStartOptions): Promise<InvoicingApp> {
  const dataDir = resolve(options.data);
  const unlock = options.memory ? () => undefined : lockDataDir(dataDir, 'invoicing');
  // The edge of the program: the real clock, unless started with a controllable one (tests, demos).
  const controllable = options.clock === undefined ? undefined : controllableClock(options.clock);
  const clock = controllable ?? { now: () => stockholmDateTime(Date.now()) };
  // The collaborations' lifecycle (activation, recipient, licences, termination) rides on this API.
  const lifecycles = await LifecycleStore.open(options.memory ? undefined : join(dataDir, 'lifecycles.json'));
  const app = await startInvoicing({
    store: options.memory ? new MemoryInvoicingStore() : new LowdbInvoicingStore(dataDir),
    clock,
    lifecycles,
    // Test helpers ride beside the lifecycle, opt-in: the contracts' provider states, the clock.
    extraRoutes: [
      ...(options.contractStates ? (await import('../../contracts/bureau/states.ts')).invoicingProviderStateRoutes({ lifecycles }) : []),
      ...(controllable ? (await import('./http/clock-routes.ts')).clockRoutes(controllable) : []),
    ],
    newKey: () => randomBytes(16).toString('hex'),
    port: options.port,
    rateLimit: options.rateLimit,
    ...(options.retainChanges !== undefined ? { retainChanges: options.retainChanges } : {}),
  });
  if (app.service.collaborations.length === 0) {
    const activation = options.activation ?? { recipient: 'bureau', period: 'quarterly' };
    const made = await app.service.createCollaboration({ companyName: 'Kundföretaget AB', organisationNumber: '5566778899', bureauName: 'Redovisningsbyrån AB', nextInvoiceNumber: options.nextInvoiceNumber ?? 1001, paymentsRegisteredBy: options.paymentsRegisteredBy ?? 'customer', ...(activation ? { activation } : {}) });
    if (!made.ok) throw new Error(made.message);
  }
  if (!options.quiet) {
    console.log(`sandbank invoicing is running at ${app.url}  (data: ${options.memory ? 'in memory' : dataDir})`);
    console.log(`  API reference      ${app.url}/docs   OpenAPI ${app.url}/openapi.json`);
    if (options.contractStates) console.log(`  provider states    ${app.url}/setup/provider-states (sandbank contracts verify --provider invoicing --provider-base-url ${app.url})`);
    if (controllable) console.log(`  clock              ${controllable.now()} (simulated; POST ${app.url}/setup/clock/advance {"to": …} or {"days": n})`);
    console.log(`  rate limit         ${options.rateLimit ? `${options.rateLimit.requests} requests per ${options.rateLimit.windowMs / 1000} s per key` : 'off'}`);
    for (const c of app.service.collaborations) {
      const company = app.service.companies.find((x) => x.id === c.companyId);
      const bureau = app.service.bureaus.find((x) => x.id === c.bureauId);
      console.log(`  collaboration ${c.id}: ${company?.name} (org ${company?.organisationNumber}) with ${bureau?.name}`);
      console.log(`    company API key    ${company?.apiKey}`);
      console.log(`    bureau API key     ${bureau?.apiKey}`);
      console.log(`    next invoice no.   ${company ? app.service.settings(company.id).nextInvoiceNumber : ''}`);
      console.log(`    incoming payments  registered by the ${c.paymentsRegisteredBy}`);
      const lc = lifecycles.get(c.id);
      console.log(`    lifecycle          ${lc ? `${lc.state}, ${lc.period} from ${lc.start}, invoiced to the ${lc.recipients[0]?.recipient ?? ''}` : `not activated (sandbank collaboration activate ${c.id} --recipient … --period …)`}`);
    }
    console.log('Press Ctrl+C to stop.');
  }
  const stop = async () => {
    await app.close();
    unlock();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
  stopWhenLauncherExits(() => void stop());
  return app;
}
