/**
 * The shape an imported sandbox must have before the engine sees it. An export file comes
 * from anywhere (a CI artefact, a colleague's laptop): a digest proves it is whole, this
 * proves it is a sandbox the engine can carry on with.
 */
import { z } from 'zod';
import type { SandboxSnapshot } from '../engine/bank.ts';

const dateTime = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const ore = z.number().int().min(-1e15).max(1e15);
const count = z.number().int().min(0).max(1e12);
const id = (prefix: string) => z.string().regex(new RegExp(`^${prefix}_[A-Za-z0-9_]{1,40}$`));
const reason = z.looseObject({ code: z.string().max(35), message: z.string().max(2000) });

const payment = z.looseObject({
  id: id('pmt'), fileId: id('pf'), paymentInformationId: z.string(), endToEndId: z.string(), amountOre: ore, currency: z.string().length(3),
  debtorAccountId: z.string(), creditor: z.looseObject({ kind: z.enum(['bankgiro', 'plusgiro', 'account', 'iban']), account: z.string() }),
  requestedExecutionDate: z.union([date, z.literal('')]), executionDate: date.optional(),
  status: z.enum(['RECEIVED', 'REJECTED', 'AWAITING_SIGNATURE', 'SCHEDULED', 'EXECUTED', 'CANCELLED']),
  reasons: z.array(reason), retries: count, history: z.array(z.looseObject({ at: dateTime, status: z.string() })),
});

const file = z.looseObject({
  id: id('pf'), format: z.enum(['pain.001.001.03', 'pain.001.001.09', 'lb', 'unknown']), receivedAt: dateTime, sha256: z.string().regex(/^[0-9a-f]{64}$/), sizeBytes: count,
  idempotencyKeys: z.array(z.string()), messageId: z.string(), status: z.enum(['RECEIVED', 'REJECTED', 'AWAITING_SIGNATURE', 'PARTIALLY_ACCEPTED', 'SIGNED']),
  reasons: z.array(reason), issues: z.array(z.looseObject({ path: z.string(), code: z.string(), message: z.string() })),
  numberOfTransactions: count, controlSumOre: ore, payments: z.array(payment),
});

const reportMeta = z.looseObject({
  id: id('rpt'), sequence: count, type: z.enum(['pain.002', 'camt.052', 'camt.053', 'camt.054', 'camt.029', 'bgmax']), message: z.string(),
  createdAt: dateTime, contentType: z.string(), visible: z.boolean(), sizeBytes: count,
});

const entry = z.looseObject({
  id: id('ent'), accountId: z.string(), bookingDate: date, valueDate: date, amountOre: ore, creditDebit: z.enum(['CRDT', 'DBIT']),
  bankTransactionCode: z.looseObject({ domain: z.string(), family: z.string(), subFamily: z.string() }),
});

const incoming = z.looseObject({ id: id('inc'), receivedAt: dateTime, date, amountOre: ore, reference: z.string(), accountId: z.string(), entryId: id('ent') });

const event = z.looseObject({
  id: z.string().min(1).max(80), sequence: count,
  type: z.enum(['payment_file.status_changed', 'payment.status_changed', 'payment.cancellation_changed', 'report.available', 'incoming_payment.received']),
  createdAt: dateTime, data: z.record(z.string(), z.unknown()),
});

const delivery = z.looseObject({
  eventId: z.string(), url: z.string(), state: z.enum(['pending', 'delivered', 'failed']),
  attempts: z.array(z.looseObject({ at: z.string(), status: z.union([z.number().int(), z.literal('error')]) })),
});

const core = z.looseObject({
  id: z.string(), bank: z.enum(['swedbank', 'sparbanken']), seed: z.number().int(), createdAt: dateTime, now: dateTime, lastStatementDate: date,
  company: z.looseObject({ name: z.string(), organisationNumber: z.string(), agreementId: z.string(), bankgiro: z.string() }),
  accounts: z.array(z.looseObject({ id: z.string(), name: z.string(), iban: z.string(), clearing: z.string(), accountNumber: z.string(), currency: z.string(), primary: z.boolean(), openingBalanceOre: ore, bookedOre: ore })).min(1).max(10),
  users: z.array(z.looseObject({ id: z.string(), name: z.string(), role: z.enum(['administrator', 'user']) })).max(20),
  signingModes: z.array(z.enum(['internet-bank', 'in-app-two-step'])),
  counters: z.object({ file: count, payment: count, report: count, entry: count, event: count, incoming: count, cancellation: count }),
  webhook: z.object({ url: z.string().max(2000) }).nullable(),
  faults: z.array(z.looseObject({ id: z.string(), match: z.record(z.string(), z.unknown()), action: z.looseObject({ type: z.string() }), hits: count })).max(50),
  heldReports: z.array(z.object({ reportId: id('rpt'), releaseOn: date })),
}).refine((c) => !('apiKey' in c), 'an export holds no API key');

export const snapshotSchema = z.object({
  core,
  files: z.array(file),
  pendingUploads: z.array(z.object({ fileId: id('pf'), base64: z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/) })),
  reports: z.array(z.object({ meta: reportMeta, body: z.string() })),
  days: z.array(z.object({ date, book: z.object({ entries: z.array(entry), incoming: z.array(incoming) }) })),
  eventBatches: z.array(z.object({ id: z.string().max(40), events: z.array(event), deliveries: z.record(z.string(), delivery) })),
});

/** Issues with a snapshot's shape, at most `max` of them (empty: the engine can take it). */
export function snapshotIssues(value: unknown, max = 20): { path: string; message: string }[] {
  const parsed = snapshotSchema.safeParse(value);
  return parsed.success ? [] : parsed.error.issues.slice(0, max).map((i) => ({ path: i.path.join('.'), message: i.message }));
}

/** The schema checks what the engine relies on; the rest of each record travels as it was. */
export function isSandboxSnapshot(value: unknown): value is SandboxSnapshot {
  return snapshotSchema.safeParse(value).success;
}
