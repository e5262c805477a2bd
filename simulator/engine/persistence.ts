/**
 * The sandbox as store documents (decision 0003): the core (clock, counters, balances,
 * faults), one document per payment file, raw upload, report, booking day and event batch.
 * Writing what an operation changed, loading every sandbox at start-up, and recovery after
 * a crash between two writes.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { createGzip, gunzip, gzip } from 'node:zlib';
import { compactRecords, expandRecords, isCompactRecords } from './compact-records.ts';
import type { BankEvent, Payment, PaymentFile, ReportMeta, SandboxCore, WebhookDelivery } from './model.ts';
import { addDays } from './calendar.ts';
import { dateOf, emptyState, indexFile, pad, type DayBook, type Dirty, type EngineDeps, type PendingCancellation, type SandboxState } from './state.ts';
import type { BlobWriter, DocumentWrite, SandboxTransaction, StorePort } from './store-port.ts';

/** One document per operation that produced events, with those events' webhook deliveries. */
interface EventBatch {
  events: BankEvent[];
  deliveries: Record<string, WebhookDelivery>;
}

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

const sandboxCollection = 'sandboxes';
const col = (id: string, kind: 'files' | 'raw' | 'reports' | 'days' | 'events') => `sandboxes/${id}/${kind}`;

/** The sandbox core (clock, counters, balances, faults, webhook). */
export function coreDocument(state: SandboxState): DocumentWrite {
  return { collection: sandboxCollection, id: state.core.id, value: { ...state.core, lastStatementDate: state.lastStatementDate } };
}

/** A file's document holds its payments in the compact form (compact-records.ts); in memory they are plain objects. */
export function fileDocument(state: SandboxState, file: PaymentFile): DocumentWrite {
  const payments = file.payments.length > 1 ? compactRecords(file.payments as unknown as Record<string, unknown>[]) : undefined;
  return { collection: col(state.core.id, 'files'), id: file.id, value: payments ? { ...file, payments } : file };
}

function fileFromDocument(doc: unknown): PaymentFile {
  const file = doc as Omit<PaymentFile, 'payments'> & { payments: unknown };
  return { ...file, payments: isCompactRecords(file.payments) ? expandRecords<Payment>(file.payments) : (file.payments as Payment[]) };
}

/**
 * Where an upload's bytes go as they arrive (stored as they are, not re-encoded), kept so a
 * file still RECEIVED after a restart is validated again. It is committed under the file's id
 * before the group that makes the file visible is written (decision 0011): a crash in between
 * leaves a blob no file refers to, which the next upload under that id replaces.
 */
export async function openRaw(store: StorePort, state: SandboxState): Promise<BlobWriter> {
  return store.openBlob(col(state.core.id, 'raw'));
}

/** An upload's bytes (data directories written before blobs held them base64 in a document). */
async function loadRaw(store: StorePort, sandboxId: string, fileId: string): Promise<Uint8Array | undefined> {
  const blob = await store.getBlob(col(sandboxId, 'raw'), fileId);
  if (blob) return blob;
  const legacy = (await store.get(col(sandboxId, 'raw'), fileId)) as { base64: string } | undefined;
  return legacy ? Buffer.from(legacy.base64, 'base64') : undefined;
}

/** Stores bytes as a committed blob (an import's pending uploads). */
async function saveBlob(store: StorePort, collection: string, id: string, bytes: Uint8Array): Promise<void> {
  const blob = await store.openBlob(collection);
  try {
    await blob.write(bytes);
  } catch (error) {
    await blob.abort();
    throw error;
  }
  await blob.commit(id);
}

function batchDocument(state: SandboxState, batchId: string): DocumentWrite {
  const ids = state.batches.get(batchId) ?? [];
  const batch: EventBatch = { events: [], deliveries: {} };
  for (const id of ids) {
    const event = state.eventsById.get(id);
    if (event) batch.events.push(event);
    const delivery = state.deliveries.get(id);
    if (delivery) batch.deliveries[id] = delivery;
  }
  return { collection: col(state.core.id, 'events'), id: batchId, value: batch };
}

/** Where a sandbox's writes go: the transaction of the mutation under way, else the store. */
function writerOf(store: StorePort, state: SandboxState): Pick<SandboxTransaction, 'putMany' | 'delete' | 'deleteCollection'> {
  return state.tx ?? store;
}

/** Stores a change to the core alone (faults, webhook, a new sandbox, the clock's last move). */
export async function saveCore(store: StorePort, state: SandboxState): Promise<void> {
  await writerOf(store, state).putMany([coreDocument(state)]);
}

/**
 * A report's body is written once, as a gzip blob beside its metadata document (reports are
 * XML that compresses about tenfold), committed before the group with the metadata; releasing
 * a held report rewrites only the metadata.
 */
export async function saveReportBody(store: StorePort, sandboxId: string, reportId: string, body: string): Promise<void> {
  if (body.length <= REPORT_SLICE) return saveBlob(store, col(sandboxId, 'reports'), reportId, await gzipAsync(Buffer.from(body, 'utf8'), { level: 1 }));
  // A 100,000-payment pain.002 is ~35 MB: compressed a slice at a time into the blob, not copied whole into a buffer first.
  const blob = await store.openBlob(col(sandboxId, 'reports'));
  try {
    await pipeline(Readable.from(slices(body)), createGzip({ level: 1 }), async (compressed: AsyncIterable<Buffer>) => {
      for await (const piece of compressed) await blob.write(piece);
    });
  } catch (error) {
    await blob.abort();
    throw error;
  }
  await blob.commit(reportId);
}

const REPORT_SLICE = 1 << 20;

/** The text in slices of about REPORT_SLICE characters, never cutting a surrogate pair in two. */
function* slices(text: string): Generator<string> {
  for (let at = 0; at < text.length; ) {
    let end = Math.min(text.length, at + REPORT_SLICE);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end--;
    yield text.slice(at, end);
    at = end;
  }
}

export async function reportBody(store: StorePort, state: SandboxState, reportId: string): Promise<string> {
  const pending = state.pendingBodies.get(reportId);
  return pending ?? storedReportBody(store, state.core.id, reportId);
}

export async function storedReportBody(store: StorePort, sandboxId: string, reportId: string): Promise<string> {
  const blob = await store.getBlob(col(sandboxId, 'reports'), reportId);
  if (blob) return (await gunzipAsync(blob)).toString('utf8');
  // Data directories (and imports) from before bodies were blobs keep the body in the metadata document.
  const doc = (await store.get(col(sandboxId, 'reports'), reportId)) as { body?: string } | undefined;
  return doc?.body ?? '';
}

/**
 * The core first: a deletion cut short by a crash leaves documents no sandbox refers to,
 * which loading never reads.
 */
export async function deleteSandboxDocuments(store: StorePort, state: SandboxState): Promise<void> {
  const writer = writerOf(store, state);
  await writer.delete(sandboxCollection, state.core.id);
  await writer.deleteCollection(`sandboxes/${state.core.id}`);
}

/** Stores a webhook delivery's new attempt with the batch of its event. */
export async function saveDeliveryOf(store: StorePort, state: SandboxState, eventId: string): Promise<void> {
  const batchId = state.eventBatch.get(eventId);
  if (batchId !== undefined) await writerOf(store, state).putMany([batchDocument(state, batchId)]);
}

/**
 * Writes what an operation changed, with `also` (documents the operation built itself), as
 * one group: the bookings, reports, files, event batch and the core are stored together or
 * not at all. The order (bookings first, the core last) is kept for stores that cannot group
 * writes; `recover` copes with a partial group either way.
 */
export async function flush(deps: EngineDeps, state: SandboxState, dirty: Dirty, also: readonly DocumentWrite[] = []): Promise<void> {
  const core = state.core;
  const store = deps.store;
  const rank = (key: string) => ['day', 'report', 'file', 'event'].indexOf(key.slice(0, key.indexOf(':')));
  const writes: DocumentWrite[] = [...also];
  const newEvents: string[] = [];
  const written: string[] = [];
  for (const key of [...dirty].sort((a, b) => rank(a) - rank(b))) {
    if (key.startsWith('event:')) {
      newEvents.push(key.slice(6));
      continue;
    }
    const [kind, id = ''] = key.split(/:(.*)/s);
    if (kind === 'file') {
      const file = state.files.get(id);
      if (file) writes.push(fileDocument(state, file));
    } else if (kind === 'report') {
      const meta = state.reports.find((r) => r.id === id);
      const body = state.pendingBodies.get(id);
      if (meta && body !== undefined) {
        // The body first (decision 0011): the group never makes a report visible without it.
        await saveReportBody(store, core.id, id, body);
        writes.push({ collection: col(core.id, 'reports'), id, value: { meta } });
      } else if (meta) {
        const existing = (await store.get(col(core.id, 'reports'), id)) as { body?: string } | undefined;
        writes.push({ collection: col(core.id, 'reports'), id, value: existing?.body === undefined ? { meta } : { meta, body: existing.body } });
      }
      written.push(id);
    } else if (kind === 'day') {
      const day = state.days.get(id);
      if (day) writes.push({ collection: col(core.id, 'days'), id, value: day });
    }
  }
  if (newEvents.length > 0) {
    const batchId = `b_${pad(state.eventsById.get(newEvents[0] as string)?.sequence ?? 0, 9)}`;
    state.batches.set(batchId, newEvents);
    for (const id of newEvents) state.eventBatch.set(id, batchId);
    writes.push(batchDocument(state, batchId));
  }
  writes.push(coreDocument(state));
  await writerOf(store, state).putMany(writes);
  for (const id of written) state.pendingBodies.delete(id);
  if (newEvents.length > 0) deps.onEvents?.(core.id);
}

/** What a sandbox's state is built from, as loaded from the store or an import. */
export interface StateParts {
  files: PaymentFile[];
  reports: ReportMeta[];
  days: Iterable<readonly [string, DayBook]>;
  batches: { id: string; events: BankEvent[]; deliveries: Record<string, WebhookDelivery> }[];
  /** Uploads still RECEIVED: validated again (queued). */
  pendingUploads: { fileId: string; bytes: Uint8Array }[];
}

/**
 * Cancellations recorded but not yet resolved (the server that took them stopped, or another
 * server took them): whichever server reads the sandbox next resolves them.
 */
function requestedCancellations(state: SandboxState): PendingCancellation[] {
  const requested = new Map<string, PendingCancellation>();
  for (const payment of state.payments.values()) {
    const cancellation = payment.cancellation;
    if (cancellation?.status !== 'REQUESTED') continue;
    const key = `${cancellation.via}\u0000${cancellation.assignmentId ?? ''}`;
    const job = requested.get(key) ?? (cancellation.assignmentId === undefined ? { kind: 'cancel' as const, paymentIds: [], via: cancellation.via } : { kind: 'cancel' as const, paymentIds: [], via: cancellation.via, assignmentId: cancellation.assignmentId });
    job.paymentIds.push(payment.id);
    requested.set(key, job);
  }
  return [...requested.values()];
}

/**
 * Brings a loaded copy up to date inside a mutation's transaction (decision 0012): the core,
 * and only the files, reports, booking days and event batches written after the copy's
 * version. Files still RECEIVED and cancellations still REQUESTED are queued as on a load.
 * False when the sandbox is gone.
 */
export async function applyChangesSince(store: StorePort, tx: SandboxTransaction, state: SandboxState): Promise<boolean> {
  const id = state.core.id;
  const value = await tx.get(sandboxCollection, id);
  if (value === undefined) return false;
  const { lastStatementDate, ...core } = value as SandboxCore & { lastStatementDate?: string };
  state.core = core;
  if (lastStatementDate !== undefined) state.lastStatementDate = lastStatementDate;
  const queued = new Set(state.queue.flatMap((job) => (job.kind === 'validate' ? [job.fileId] : [])));
  const batches: StateParts['batches'] = [];
  for (const doc of await tx.changedSince([col(id, 'files'), col(id, 'reports'), col(id, 'days'), col(id, 'events')], state.version)) {
    if (doc.collection === col(id, 'files')) {
      const file = fileFromDocument(doc.value);
      indexFile(state, file);
      if (file.status === 'RECEIVED' && !queued.has(file.id)) {
        const bytes = await loadRaw(store, id, file.id);
        if (bytes) state.queue.push({ kind: 'validate', fileId: file.id, source: { bytes } });
      }
    } else if (doc.collection === col(id, 'reports')) {
      const meta = (doc.value as { meta: ReportMeta }).meta;
      const at = state.reports.findIndex((r) => r.id === meta.id);
      if (at >= 0) state.reports[at] = meta;
      else state.reports.push(meta);
    } else if (doc.collection === col(id, 'days')) {
      state.days.set(doc.id, doc.value as DayBook);
    } else {
      batches.push({ id: doc.id, ...(doc.value as EventBatch) });
    }
  }
  state.reports.sort((a, b) => a.sequence - b.sequence);
  // A batch written again carries its deliveries' new attempts; its events are already here.
  const known = batches.map((batch) => ({ ...batch, events: batch.events.filter((e) => !state.eventsById.has(e.id)) }));
  for (const batch of batches) for (const [eventId, delivery] of Object.entries(batch.deliveries)) state.deliveries.set(eventId, delivery);
  fillEvents(state, known);
  for (const batch of batches) state.batches.set(batch.id, batch.events.map((e) => e.id));
  core.counters.event = Math.max(core.counters.event, ...state.events.map((e) => e.sequence));
  state.queue = [...state.queue.filter((job) => job.kind === 'validate'), ...requestedCancellations(state)];
  return true;
}

/** A sandbox's contents (files with their payments, reports, bookings, queued validations) into its state. */
function fillContents(state: SandboxState, parts: Omit<StateParts, 'batches'>): void {
  for (const file of parts.files) indexFile(state, file);
  state.reports.push(...parts.reports);
  state.reports.sort((a, b) => a.sequence - b.sequence);
  for (const [date, day] of parts.days) state.days.set(date, day);
  for (const upload of parts.pendingUploads) {
    if (state.files.get(upload.fileId)?.status === 'RECEIVED') state.queue.push({ kind: 'validate', fileId: upload.fileId, source: { bytes: upload.bytes } });
  }
  state.queue.push(...requestedCancellations(state));
  state.loaded = true;
}

/** Events already in memory are kept as they are (a delivery's claim or attempt may be newer there than the read). */
function fillEvents(state: SandboxState, batches: StateParts['batches']): void {
  let added = false;
  for (const batch of batches) {
    if (!state.batches.has(batch.id)) state.batches.set(batch.id, batch.events.map((e) => e.id));
    for (const event of batch.events) {
      if (state.eventsById.has(event.id)) continue;
      added = true;
      state.events.push(event);
      state.eventsById.set(event.id, event);
      state.eventBatch.set(event.id, batch.id);
      const delivery = batch.deliveries[event.id];
      if (delivery) state.deliveries.set(event.id, delivery);
    }
  }
  if (added) state.events.sort((a, b) => a.sequence - b.sequence);
}

const hasPendingDelivery = (batch: StateParts['batches'][number]): boolean => Object.values(batch.deliveries).some((d) => d.state === 'pending');

/** A sandbox's event batches as stored. */
async function storedBatches(reader: Pick<StorePort, 'list'>, sandboxId: string): Promise<StateParts['batches']> {
  return (await reader.list(col(sandboxId, 'events'))).map((d) => ({ id: d.id, ...(d.value as EventBatch) }));
}

/** The in-memory state (indexes, event order, queued validations) from its parts. */
export function loadedState(core: SandboxCore, lastStatementDate: string, parts: StateParts): SandboxState {
  const state = emptyState(core, lastStatementDate);
  fillEvents(state, parts.batches);
  fillContents(state, parts);
  return state;
}

/** Every sandbox's stored core, by id (start-up; another server created or deleted sandboxes). */
export async function storedCores(store: StorePort): Promise<{ id: string; value: unknown }[]> {
  return store.list(sandboxCollection);
}

/**
 * One sandbox from its stored core: its core and events, and with `contents` its files,
 * reports and bookings too (a copy read again inside the transaction of a mutation that found
 * it stale, decision 0012). Undefined when the sandbox is gone.
 */
export async function loadSandbox(store: StorePort, tx: SandboxTransaction | undefined, sandboxId: string, options: { coreValue?: unknown; contents?: boolean } = {}): Promise<SandboxState | undefined> {
  const reader = tx ?? store;
  const value = options.coreValue ?? (await reader.get(sandboxCollection, sandboxId));
  if (value === undefined) return undefined;
  const { lastStatementDate, ...core } = value as SandboxCore & { lastStatementDate?: string };
  const state = emptyState(core, lastStatementDate ?? addDays(dateOf(core.now), -1));
  state.loaded = false;
  const batches = await storedBatches(reader, core.id);
  // The event counter is recovered here, since events are emitted before contents are read.
  for (const batch of batches) for (const event of batch.events) if (event.sequence > core.counters.event) core.counters.event = event.sequence;
  if (options.contents) await loadContents(store, state, tx, batches);
  else fillEvents(state, batches.filter(hasPendingDelivery));
  return state;
}

/**
 * Start-up reads only what every sandbox needs at once: its core and its events with their
 * webhook deliveries (the dispatcher and the event feeds work from those; API-key and
 * internet-bank lookups are indexes over the cores). Files, payments, reports and bookings
 * are read when the sandbox is first used (`loadContents`), so start-up does not grow with
 * the payments stored. Each sandbox is at the version read before its documents.
 */
export async function loadSandboxes(store: StorePort): Promise<SandboxState[]> {
  const states: SandboxState[] = [];
  for (const { id, value } of await storedCores(store)) {
    const state = await loadSandboxAtVersion(store, id, value);
    if (state) states.push(state);
  }
  return states;
}

/**
 * A sandbox's core and events, marked with a version read before them: what another server
 * commits meanwhile makes the copy newer than its mark (read again, harmlessly, on next use),
 * never older. A core taken from an earlier listing is used only where no other server
 * writes; on a shared store it may predate the version and would pass for fresh.
 */
export async function loadSandboxAtVersion(store: StorePort, sandboxId: string, listedCore: unknown): Promise<SandboxState | undefined> {
  const version = await store.version(sandboxId);
  const state = await loadSandbox(store, undefined, sandboxId, store.shared ? {} : { coreValue: listedCore });
  if (state) state.version = version;
  return state;
}

/**
 * A sandbox's files, reports and bookings, on first use after start-up or after eviction;
 * files still RECEIVED are queued for validation again. Recovery (0003) runs here, and what it
 * repaired is written back at once: the next load finds it done, not redone.
 */
export async function loadContents(store: StorePort, state: SandboxState, tx?: SandboxTransaction, batches?: StateParts['batches']): Promise<void> {
  const id = state.core.id;
  // Through the transaction of the mutation under way, when there is one; blobs never change once committed.
  const reader = tx ?? store;
  // Every event with the contents: only those of batches with a delivery still pending stay in memory in between.
  fillEvents(state, batches ?? (await storedBatches(reader, id)));
  const files = (await reader.list(col(id, 'files'))).map((d) => fileFromDocument(d.value));
  const pendingUploads: StateParts['pendingUploads'] = [];
  for (const file of files) {
    if (file.status !== 'RECEIVED') continue;
    const bytes = await loadRaw(store, id, file.id);
    if (bytes) pendingUploads.push({ fileId: file.id, bytes });
  }
  fillContents(state, {
    files,
    reports: (await reader.list(col(id, 'reports'))).map((d) => (d.value as { meta: ReportMeta }).meta),
    days: (await reader.list(col(id, 'days'))).map((d) => [d.id, d.value as DayBook] as const),
    pendingUploads,
  });
  const before = JSON.stringify(coreDocument(state).value);
  const repairedFiles = recover(state);
  const repairs = [...repairedFiles].flatMap((fileId) => {
    const file = state.files.get(fileId);
    return file ? [fileDocument(state, file)] : [];
  });
  if (JSON.stringify(coreDocument(state).value) !== before) repairs.push(coreDocument(state));
  if (repairs.length > 0) await reader.putMany(repairs);
}

/**
 * Drops a loaded sandbox's files, payments, reports, bookings and events from memory (all
 * are in the store); the core stays, and the batches of events with a webhook delivery still
 * pending (the dispatcher works from them), so memory does not grow with history.
 */
export function unloadContents(state: SandboxState): void {
  for (const [batchId, eventIds] of state.batches) {
    if (eventIds.some((id) => state.deliveries.get(id)?.state === 'pending')) continue;
    state.batches.delete(batchId);
    for (const id of eventIds) {
      state.eventsById.delete(id);
      state.eventBatch.delete(id);
      state.deliveries.delete(id);
    }
  }
  state.events = state.events.filter((e) => state.eventsById.has(e.id));
  state.files.clear();
  state.payments.clear();
  state.byIdempotencyKey.clear();
  state.byMessageId.clear();
  state.bySha.clear();
  state.reports.length = 0;
  state.days.clear();
  state.loaded = false;
}

/** An upload's bytes (base64, as an export carries them), for an export of a file still awaiting validation. */
export async function uploadOf(store: StorePort, state: SandboxState, fileId: string): Promise<string | undefined> {
  const bytes = await loadRaw(store, state.core.id, fileId);
  return bytes === undefined ? undefined : Buffer.from(bytes).toString('base64');
}

/**
 * Writes an imported sandbox as one group (the core with it): a refused or failed import
 * leaves nothing loading reads (blobs written before a failed group sit under a sandbox id
 * that has no core, and are removed).
 */
export async function saveImported(store: StorePort, state: SandboxState, reports: { meta: ReportMeta; body: string }[], uploads: { fileId: string; base64: string }[]): Promise<void> {
  const id = state.core.id;
  try {
    for (const upload of uploads) await saveBlob(store, col(id, 'raw'), upload.fileId, Buffer.from(upload.base64, 'base64'));
    await store.putMany([
      ...[...state.days].map(([date, day]) => ({ collection: col(id, 'days'), id: date, value: day })),
      ...reports.map((report) => ({ collection: col(id, 'reports'), id: report.meta.id, value: report })),
      ...[...state.files.values()].map((file) => fileDocument(state, file)),
      ...[...state.batches.keys()].map((batchId) => batchDocument(state, batchId)),
      coreDocument(state),
    ]);
  } catch (error) {
    await store.deleteCollection(`sandboxes/${id}`).catch(() => undefined);
    throw error;
  }
}

/**
 * After a crash the documents of one operation may be partly written (a store without
 * grouped writes; the core, with its counters and balances, last). Returns the files whose
 * payments it repaired (the caller writes them and the core back). Bookings are the truth: balances are recomputed from them,
 * a payment that was booked is executed, and counters continue after the highest id seen.
 */
export function recover(state: SandboxState): Set<string> {
  const repairedFiles = new Set<string>();
  const core = state.core;
  const entries = [...state.days.values()].flatMap((d) => d.entries);
  for (const account of core.accounts) {
    account.bookedOre = entries.filter((e) => e.accountId === account.id).reduce((s, e) => s + (e.creditDebit === 'CRDT' ? e.amountOre : -e.amountOre), account.openingBalanceOre);
  }
  for (const entry of entries) {
    const payment = entry.paymentId === undefined ? undefined : state.payments.get(entry.paymentId);
    if (payment && payment.status !== 'EXECUTED') {
      payment.status = 'EXECUTED';
      payment.entryId = entry.id;
      payment.executionDate = entry.bookingDate;
      payment.history.push({ at: core.now, status: 'EXECUTED', reason: 'recovered from the booking after a restart' });
      repairedFiles.add(payment.fileId);
    }
  }
  const maxOf = (ids: Iterable<string>) => Math.max(0, ...[...ids].map((id) => Number(id.replace(/^\D+_/, '').replace(/\D/g, '')) || 0));
  core.counters.file = Math.max(core.counters.file, maxOf(state.files.keys()));
  core.counters.payment = Math.max(core.counters.payment, maxOf(state.payments.keys()));
  core.counters.report = Math.max(core.counters.report, ...state.reports.map((r) => r.sequence));
  core.counters.entry = Math.max(core.counters.entry, maxOf(entries.map((e) => e.id)));
  core.counters.event = Math.max(core.counters.event, ...state.events.map((e) => e.sequence));
  core.counters.incoming = Math.max(core.counters.incoming, maxOf([...state.days.values()].flatMap((d) => d.incoming.map((i) => i.id))));
  return repairedFiles;
}
