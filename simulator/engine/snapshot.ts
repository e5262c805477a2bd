/**
 * A whole sandbox as one plain value, and back: everything the sandbox knows and did (core
 * with clock, counters, balances and faults; files and their payments; every report with its
 * body, held and dropped ones too; booking days; events with their webhook deliveries) —
 * without its secrets. An import gets a new sandbox id, API key, internet-bank credentials and
 * webhook secret and keeps every file, payment, report and entry id, so the reports (which
 * embed those ids) stay true and the clock carries on exactly as it would have.
 */
import type { Random } from '../../formats/random.ts';
import type {
  BankEvent, InternetBankUser, PaymentFile, ReportMeta, SandboxCore, WebhookDelivery,
} from './model.ts';
import { loadedState, recover, saveImported } from './persistence.ts';
import { token, totpSecret } from './sandbox-factory.ts';
import type { DayBook, SandboxState } from './state.ts';
import type { StorePort } from './store-port.ts';

/** The core without its secrets (API key, users' passwords and TOTP secrets, webhook secret). */
export type PublicCore = Omit<SandboxCore, 'apiKey' | 'users' | 'webhook'> & {
  users: Omit<InternetBankUser, 'password' | 'totpSecret'>[];
  webhook: { url: string } | null;
  lastStatementDate: string;
};

export interface SandboxSnapshot {
  core: PublicCore;
  files: PaymentFile[];
  /** Uploads not yet validated (base64), so validation can run after the import. */
  pendingUploads: { fileId: string; base64: string }[];
  reports: { meta: ReportMeta; body: string }[];
  days: { date: string; book: DayBook }[];
  /** One batch per operation that produced events, as the store keeps them. */
  eventBatches: { id: string; events: BankEvent[]; deliveries: Record<string, WebhookDelivery> }[];
}

/** Reads the sandbox's documents into one value (after its queued work is settled). */
export async function snapshotOf(state: SandboxState, readBody: (reportId: string) => Promise<string>, readUpload: (fileId: string) => Promise<string | undefined>): Promise<SandboxSnapshot> {
  const { apiKey: _key, users, webhook, ...rest } = state.core;
  const core: PublicCore = structuredClone({
    ...rest,
    users: users.map(({ password: _p, totpSecret: _t, ...u }) => u),
    webhook: webhook ? { url: webhook.url } : null,
    lastStatementDate: state.lastStatementDate,
  });
  const reports: SandboxSnapshot['reports'] = [];
  for (const meta of state.reports) reports.push({ meta: structuredClone(meta), body: await readBody(meta.id) });
  const pendingUploads: SandboxSnapshot['pendingUploads'] = [];
  for (const file of state.files.values()) {
    if (file.status !== 'RECEIVED') continue;
    const base64 = await readUpload(file.id);
    if (base64 !== undefined) pendingUploads.push({ fileId: file.id, base64 });
  }
  const eventBatches = [...state.batches].map(([id, eventIds]) => ({
    id,
    events: eventIds.flatMap((e) => state.eventsById.get(e) ?? []),
    deliveries: Object.fromEntries(eventIds.flatMap((e) => {
      const d = state.deliveries.get(e);
      return d ? [[e, d]] : [];
    })),
  })).sort((a, b) => a.id.localeCompare(b.id));
  return structuredClone({
    core,
    files: [...state.files.values()],
    pendingUploads,
    reports,
    days: [...state.days].map(([date, book]) => ({ date, book })).sort((a, b) => a.date.localeCompare(b.date)),
    eventBatches,
  });
}

/**
 * The new identity an imported sandbox gets, drawn from the engine's random source as a new
 * sandbox's is (internet-bank user ids unique across the server).
 */
export function newIdentity(random: Random, snapshot: SandboxSnapshot, takenUserIds: ReadonlySet<string>): { id: string; apiKey: string; users: InternetBankUser[]; webhookSecret: string } {
  const id = `sbx_${token(random, 12)}`;
  const apiKey = `sk_test_${token(random, 32)}`;
  const webhookSecret = `whsec_${token(random, 24)}`;
  const taken = new Set(takenUserIds);
  const users = snapshot.core.users.map((u) => {
    let userId: string;
    do userId = `u${random.digits(8)}`;
    while (taken.has(userId));
    taken.add(userId);
    return { ...u, id: userId, password: token(random, 16), totpSecret: totpSecret(random) };
  });
  return { id, apiKey, users, webhookSecret };
}

/**
 * The state of an imported sandbox, written to the store document by document. Deliveries
 * still pending carry on (to the same URL, signed with the new secret); their backoff
 * restarts, since the original's wall-clock schedule means nothing on another server.
 */
export async function installSnapshot(store: StorePort, snapshot: SandboxSnapshot, identity: ReturnType<typeof newIdentity>): Promise<SandboxState> {
  const copy = structuredClone(snapshot);
  const { lastStatementDate, webhook, users: _users, ...rest } = copy.core;
  const core: SandboxCore = { ...rest, id: identity.id, apiKey: identity.apiKey, users: identity.users, webhook: webhook ? { url: webhook.url, secret: identity.webhookSecret } : undefined };
  for (const batch of copy.eventBatches) for (const d of Object.values(batch.deliveries)) delete d.nextAttemptAt;
  const state = loadedState(core, lastStatementDate, {
    files: copy.files,
    reports: copy.reports.map((r) => r.meta),
    days: copy.days.map((d) => [d.date, d.book] as const),
    batches: copy.eventBatches,
    pendingUploads: copy.pendingUploads.map((u) => ({ fileId: u.fileId, bytes: Buffer.from(u.base64, 'base64') })),
  });
  recover(state);
  await saveImported(store, state, copy.reports, copy.pendingUploads);
  return state;
}
