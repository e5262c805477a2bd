/**
 * The state of one sandbox, in memory: the one type every engine module works on, plus the
 * small pure helpers they share. The store holds the same state as documents (persistence.ts).
 */
import type { Random } from '../../formats/random.ts';
import { BANKS, type BankProfile } from '../banks/index.ts';
import type {
  BankEvent, Entry, IncomingPayment, LocalDateTime, Payment, PaymentFile, ReportMeta, SandboxCore, WebhookDelivery,
} from './model.ts';
import type { IntakeReader } from './intake.ts';
import type { SandboxTransaction, StorePort } from './store-port.ts';

/** What the engine is given from outside: the store, the random source, an edge to notify. */
export interface EngineDeps {
  store: StorePort;
  /** Source of sandbox ids and API keys (seeded in tests, from crypto in `sandbank start`). */
  random: Random;
  /** Called after a sandbox produced events, so an edge (webhook dispatcher) can act. */
  onEvents?: (sandboxId: string) => void;
}

/** Bookings and incoming payments of one booking day (one store document per day). */
export interface DayBook {
  entries: Entry[];
  incoming: IncomingPayment[];
}

export interface PendingValidation {
  kind: 'validate';
  fileId: string;
  /** The upload as parsed while it arrived, or (after a restart) its stored bytes. */
  source: { reading: IntakeReader } | { bytes: Uint8Array };
}

export interface PendingCancellation {
  kind: 'cancel';
  paymentIds: string[];
  via: 'api' | 'camt.055' | 'internet-bank';
  assignmentId?: string;
}

/** Work acknowledged to the client and done by the bank's back office right after. */
export type PendingJob = PendingValidation | PendingCancellation;

/**
 * The keys of what an operation changed (`file:<id>`, `report:<id>`, `day:<date>`,
 * `event:<id>`); persistence writes exactly those documents.
 */
export type Dirty = Set<string>;

export interface SandboxState {
  core: SandboxCore;
  files: Map<string, PaymentFile>;
  byIdempotencyKey: Map<string, string>;
  byMessageId: Map<string, string>;
  bySha: Map<string, string>;
  payments: Map<string, Payment>;
  reports: ReportMeta[];
  days: Map<string, DayBook>;
  events: BankEvent[];
  eventsById: Map<string, BankEvent>;
  /** Events are stored in batches, one document per operation that produced them. */
  eventBatch: Map<string, string>;
  batches: Map<string, string[]>;
  deliveries: Map<string, WebhookDelivery>;
  queue: PendingJob[];
  lock: Promise<unknown>;
  /** Last date a camt.053 was produced for (statements cover every booking since). */
  lastStatementDate: string;
  /** Report bodies written in the current operation, until flushed to the store. */
  pendingBodies: Map<string, string>;
  /**
   * False while only the core and the events are in memory (after start-up, or evicted when
   * idle): files, payments, reports and bookings are then read from the store on first use.
   */
  loaded: boolean;
  /** The store's version of the sandbox this copy was read at or last wrote (decision 0012); -1: stale, read again. */
  version: number;
  /** The store transaction of the mutation under way: its writes go there. */
  tx?: SandboxTransaction;
}

export function emptyState(core: SandboxCore, lastStatementDate: string): SandboxState {
  return {
    core, files: new Map(), byIdempotencyKey: new Map(), byMessageId: new Map(), bySha: new Map(), payments: new Map(), reports: [], days: new Map(),
    events: [], eventsById: new Map(), eventBatch: new Map(), batches: new Map(), deliveries: new Map(), queue: [], lock: Promise.resolve(), lastStatementDate,
    pendingBodies: new Map(), loaded: true, version: 0,
  };
}

/**
 * The one MsgId-reservation rule (README "Duplicate files"): a file reserves its MsgId and its
 * bytes once validation has accepted at least one of its payments, whatever happens to them
 * later. A file rejected as a whole, or every payment of which was rejected, reserves
 * nothing — it may be corrected and sent again under the same MsgId.
 */
export function reservesMessageId(file: PaymentFile): boolean {
  return file.payments.some((p) => p.history.some((h) => h.status === 'AWAITING_SIGNATURE'));
}

/** Records a file's MsgId and bytes for the duplicate-file control, when the rule says it reserves them. */
export function reserveIdentity(state: SandboxState, file: PaymentFile): void {
  if (!reservesMessageId(file)) return;
  if (file.messageId && !state.byMessageId.has(file.messageId)) state.byMessageId.set(file.messageId, file.id);
  if (!state.bySha.has(file.sha256)) state.bySha.set(file.sha256, file.id);
}

/** Adds a file and its payments to the state's indexes (submission and loading). */
export function indexFile(state: SandboxState, file: PaymentFile): void {
  state.files.set(file.id, file);
  for (const key of file.idempotencyKeys) state.byIdempotencyKey.set(key, file.id);
  reserveIdentity(state, file);
  for (const p of file.payments) state.payments.set(p.id, p);
}

export function profileOf(state: SandboxState): BankProfile {
  return BANKS[state.core.bank];
}

export function pad(n: number, width = 6): string {
  return String(n).padStart(width, '0');
}

export const dateOf = (t: LocalDateTime): string => t.slice(0, 10);

export const digitsOnly = (s: string): string => s.replace(/\D/g, '');

/** `YYYY-MM-DD` starts the day at 08:00; `YYYY-MM-DDThh:mm` gets its seconds. */
export function normalizeStart(start: string): LocalDateTime {
  return /^\d{4}-\d{2}-\d{2}$/.test(start) ? `${start}T08:00:00` : start.length === 16 ? `${start}:00` : start;
}
