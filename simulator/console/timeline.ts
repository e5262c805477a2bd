/**
 * A payment file's life as one ordered list of steps, rebuilt from what the engine already
 * records (the file, its payments' histories, the mailbox, the events and their webhook
 * deliveries). Pure: the console's pages and its SVG only render what this returns.
 */
import { addDays, isBankDay } from '../engine/calendar.ts';
import type { BankEvent, LocalDateTime, Payment, PaymentFile, ReportMeta, WebhookDelivery } from '../engine/model.ts';

export type StepKind =
  | 'received' | 'validated' | 'awaiting-signature' | 'file-rejected' | 'partially-accepted' | 'signed'
  | 'payment-rejected-at-intake' | 'scheduled' | 'retry' | 'executed' | 'rejected'
  | 'cancellation-requested' | 'cancelled' | 'cancellation-rejected'
  | 'report' | 'webhook';

export interface TimelineReason {
  code: string;
  message: string;
}

export interface TimelineStep {
  /** Position in the whole list (stable within one rendering; used for anchors). */
  index: number;
  at: LocalDateTime;
  kind: StepKind;
  /** 'file', a payment id, 'reports' or 'webhooks'. */
  lane: string;
  paymentId?: string;
  reason?: TimelineReason;
  /** The day a scheduled or retried payment is to execute. */
  executionDate?: string;
  signature?: NonNullable<PaymentFile['signature']>;
  /** Reports produced at this step (same moment, same file or payment). */
  reportIds: string[];
  /** The event that announced this step (its webhook delivery is listed under it). */
  eventId?: string;
  report?: Pick<ReportMeta, 'id' | 'type' | 'message'>;
  event?: Pick<BankEvent, 'id' | 'type' | 'data'>;
  delivery?: Pick<WebhookDelivery, 'state' | 'attempts' | 'url'>;
}

export interface TimelineDay {
  date: string;
  bankDay: boolean;
  /** A day with steps (or today) is drawn wide; an idle one is drawn narrow. */
  busy: boolean;
}

export interface Timeline {
  fileId: string;
  steps: TimelineStep[];
  days: TimelineDay[];
  now: LocalDateTime;
  cutoffTime: string;
  /** Payments shown as their own lanes (the first ones when a file is large). */
  paymentLanes: Payment[];
  hiddenPayments: number;
}

export interface TimelineInput {
  file: PaymentFile;
  /** Visible mailbox reports of the sandbox (any order). */
  reports: ReportMeta[];
  events: BankEvent[];
  deliveries: WebhookDelivery[];
  now: LocalDateTime;
  /** The bank's cut-off, HH:MM. */
  cutoffTime: string;
  maxPaymentLanes?: number;
}

const REASON = /^([A-Z0-9]{4})\s+(.*)$/;

function reasonOf(text: string | undefined, fallback: Payment['reasons']): TimelineReason | undefined {
  const m = text === undefined ? null : REASON.exec(text);
  if (m) return { code: m[1] as string, message: m[2] as string };
  const last = fallback.at(-1);
  return last ? { code: last.code, message: last.message } : undefined;
}

const dateOf = (t: LocalDateTime) => t.slice(0, 10);

type RawStep = Omit<TimelineStep, 'index' | 'reportIds'> & { eventSequence?: number };

/** Retries move `executionDate`; the day signing chose is the day of the first retry. */
function firstExecutionDate(payment: Payment): string | undefined {
  const retry = payment.history.find((h) => h.status === 'SCHEDULED' && (h.reason ?? '').startsWith('AM04'));
  return retry ? dateOf(retry.at) : payment.executionDate;
}

/** The event that announced a payment's step, so reports can be tied to the operation that made them. */
function eventFor(events: BankEvent[], used: Set<number>, payment: Payment, kind: StepKind): number | undefined {
  const match = (e: BankEvent) => {
    if (e.data['paymentId'] !== payment.id || used.has(e.sequence)) return false;
    if (kind === 'executed') return e.type === 'payment.status_changed' && e.data['status'] === 'EXECUTED';
    if (kind === 'rejected') return e.type === 'payment.status_changed' && e.data['status'] === 'REJECTED';
    if (kind === 'cancelled') return e.type === 'payment.status_changed' && e.data['status'] === 'CANCELLED';
    if (kind === 'cancellation-requested') return e.type === 'payment.cancellation_changed' && e.data['cancellation'] === 'REQUESTED';
    if (kind === 'cancellation-rejected') return e.type === 'payment.cancellation_changed' && e.data['cancellation'] === 'CANCELLATION_REJECTED';
    return false;
  };
  const event = events.find(match);
  if (event) used.add(event.sequence);
  return event?.sequence;
}

function paymentSteps(payment: Payment, events: BankEvent[], used: Set<number>): RawStep[] {
  const steps: RawStep[] = [];
  const base = { lane: payment.id, paymentId: payment.id };
  let scheduled = false;
  for (const h of payment.history) {
    let step: RawStep | undefined;
    if (h.status === 'SCHEDULED' && !scheduled) {
      const date = firstExecutionDate(payment);
      step = { ...base, at: h.at, kind: 'scheduled', ...(date ? { executionDate: date } : {}) };
      scheduled = true;
    } else if (h.status === 'SCHEDULED') {
      const reason = reasonOf(h.reason, []);
      const date = /on (\d{4}-\d{2}-\d{2})$/.exec(h.reason ?? '')?.[1];
      step = { ...base, at: h.at, kind: 'retry', ...(reason ? { reason } : {}), ...(date ? { executionDate: date } : {}) };
    } else if (h.status === 'EXECUTED') {
      step = { ...base, at: h.at, kind: 'executed', ...(payment.executionDate ? { executionDate: payment.executionDate } : {}) };
    } else if (h.status === 'REJECTED') {
      const reason = reasonOf(h.reason, payment.reasons);
      step = { ...base, at: h.at, kind: scheduled ? 'rejected' : 'payment-rejected-at-intake', ...(reason ? { reason } : {}) };
    } else if (h.status === 'CANCELLATION_REQUESTED') {
      step = { ...base, at: h.at, kind: 'cancellation-requested' };
    } else if (h.status === 'CANCELLED') {
      const reason = reasonOf(h.reason, payment.reasons);
      step = { ...base, at: h.at, kind: 'cancelled', ...(reason ? { reason } : {}) };
    } else if (h.status === 'CANCELLATION_REJECTED') {
      const reason = reasonOf(h.reason, payment.cancellation?.reason ? [payment.cancellation.reason] : []);
      step = { ...base, at: h.at, kind: 'cancellation-rejected', ...(reason ? { reason } : {}) };
    }
    // RECEIVED and AWAITING_SIGNATURE move with the file: the file's steps tell them.
    if (!step) continue;
    const sequence = eventFor(events, used, payment, step.kind);
    steps.push(sequence === undefined ? step : { ...step, eventSequence: sequence });
  }
  return steps;
}

function fileSteps(file: PaymentFile, events: BankEvent[]): RawStep[] {
  const steps: RawStep[] = [{ at: file.receivedAt, kind: 'received', lane: 'file' }];
  for (const e of events) {
    if (e.type !== 'payment_file.status_changed' || e.data['fileId'] !== file.id) continue;
    const status = e.data['status'];
    const at = { at: e.createdAt, lane: 'file', eventSequence: e.sequence };
    if (status === 'RECEIVED') steps[0] = { ...(steps[0] as RawStep), eventSequence: e.sequence };
    else if (status === 'AWAITING_SIGNATURE' || status === 'PARTIALLY_ACCEPTED') {
      steps.push({ ...at, kind: 'validated' }, { ...at, kind: status === 'PARTIALLY_ACCEPTED' ? 'partially-accepted' : 'awaiting-signature' });
    } else if (status === 'REJECTED') {
      const reason = file.reasons.at(-1);
      if (!steps.some((s) => s.kind === 'validated')) steps.push({ ...at, kind: 'validated' });
      steps.push({ ...at, kind: 'file-rejected', ...(reason ? { reason: { code: reason.code, message: reason.message } } : {}) });
    } else if (status === 'SIGNED' && file.signature) {
      steps.push({ ...at, kind: 'signed', signature: file.signature });
    }
  }
  return steps;
}

/**
 * camt.054 debit notifications carry no file id; one belongs to a file when it was made for
 * a payment's account at the moment that payment was executed.
 */
function reportsOfFile(file: PaymentFile, reports: ReportMeta[]): ReportMeta[] {
  const executed = new Set(file.payments.filter((p) => p.executedAt !== undefined).map((p) => `${p.debtorAccountId}@${p.executedAt}`));
  return reports.filter((r) => r.fileId === file.id || (r.type === 'camt.054' && r.fileId === undefined && executed.has(`${r.accountId}@${r.createdAt}`)));
}

function relatedEvent(e: BankEvent, file: PaymentFile, paymentIds: Set<string>, reportIds: Set<string>): boolean {
  if (e.data['fileId'] === file.id) return true;
  const paymentId = e.data['paymentId'];
  if (typeof paymentId === 'string' && paymentIds.has(paymentId)) return true;
  const reportId = e.data['reportId'];
  return typeof reportId === 'string' && reportIds.has(reportId);
}

const KIND_ORDER: Record<StepKind, number> = {
  received: 0, validated: 1, 'payment-rejected-at-intake': 2, 'awaiting-signature': 3, 'partially-accepted': 3, 'file-rejected': 3, signed: 4, scheduled: 5,
  'cancellation-requested': 6, retry: 7, executed: 8, rejected: 8, cancelled: 8, 'cancellation-rejected': 8, report: 9, webhook: 10,
};

/** Which steps of an operation a report is "the report of". */
function reportConcerns(type: ReportMeta['type'], step: TimelineStep): boolean {
  if (type === 'camt.054') return step.kind === 'executed';
  if (type === 'camt.029') return step.kind === 'cancelled' || step.kind === 'cancellation-rejected';
  return step.kind !== 'received' && step.kind !== 'cancellation-requested' && step.kind !== 'report' && step.kind !== 'webhook';
}

export function buildTimeline(input: TimelineInput): Timeline {
  const { file } = input;
  const paymentIds = new Set(file.payments.map((p) => p.id));
  const reports = reportsOfFile(file, input.reports).sort((a, b) => a.sequence - b.sequence);
  const reportIds = new Set(reports.map((r) => r.id));
  const events = input.events.filter((e) => relatedEvent(e, file, paymentIds, reportIds)).sort((a, b) => a.sequence - b.sequence);
  const deliveries = new Map(input.deliveries.map((d) => [d.eventId, d]));

  const used = new Set<number>();
  const raw: RawStep[] = [...fileSteps(file, events)];
  for (const p of file.payments) raw.push(...paymentSteps(p, events, used));
  for (const r of reports) raw.push({ at: r.createdAt, kind: 'report', lane: 'reports', report: { id: r.id, type: r.type, message: r.message } });
  for (const e of events) {
    const d = deliveries.get(e.id);
    raw.push({ at: e.createdAt, kind: 'webhook', lane: 'webhooks', event: { id: e.id, type: e.type, data: e.data }, ...(d ? { delivery: { state: d.state, attempts: d.attempts, url: d.url } } : {}) });
  }
  const laneOrder = (lane: string) => (lane === 'file' ? 0 : lane === 'reports' ? 2 : lane === 'webhooks' ? 3 : 1);
  raw.sort((a, b) => a.at.localeCompare(b.at) || KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || laneOrder(a.lane) - laneOrder(b.lane) || a.lane.localeCompare(b.lane));
  const eventIds = new Map(events.map((e) => [e.sequence, e.id]));
  const steps: TimelineStep[] = raw.map(({ eventSequence, ...s }, index) => {
    const eventId = eventSequence === undefined || s.kind === 'webhook' ? undefined : eventIds.get(eventSequence);
    return { ...s, index, reportIds: [], ...(eventId === undefined ? {} : { eventId }) };
  });

  // One operation (validation, signing, a cut-off, a cancellation) emits its status events,
  // then its reports: the status events since the previous report are that report's steps.
  const stepsBySequence = new Map<number, TimelineStep[]>();
  raw.forEach((s, i) => {
    if (s.eventSequence !== undefined) stepsBySequence.set(s.eventSequence, [...(stepsBySequence.get(s.eventSequence) ?? []), steps[i] as TimelineStep]);
  });
  const groups: { at: LocalDateTime; first: number; steps: TimelineStep[] }[] = [];
  let open = false;
  for (const e of events) {
    if (e.type === 'report.available') {
      open = false;
      continue;
    }
    const own = stepsBySequence.get(e.sequence) ?? [];
    if (own.length === 0) continue;
    const last = groups.at(-1);
    if (open && last && last.at === e.createdAt) last.steps.push(...own);
    else groups.push({ at: e.createdAt, first: e.sequence, steps: [...own] });
    open = true;
  }
  const announced = new Map<string, number>();
  for (const e of events) if (e.type === 'report.available' && typeof e.data['reportId'] === 'string' && !announced.has(e.data['reportId'])) announced.set(e.data['reportId'], e.sequence);
  for (const r of reports) {
    const before = announced.get(r.id) ?? Number.POSITIVE_INFINITY;
    const group = groups.filter((g) => g.at === r.createdAt && g.first < before).at(-1);
    if (!group) continue;
    let targets = group.steps.filter((s) => reportConcerns(r.type, s));
    // A status report of the file's own step (validation, signing) sits on that step.
    const fileLevel = targets.filter((s) => s.lane === 'file');
    if (r.type === 'pain.002' && fileLevel.length > 0) {
      const preferred = (['file-rejected', 'signed', 'validated'] as const).map((k) => fileLevel.find((s) => s.kind === k)).find((s) => s !== undefined);
      targets = [preferred ?? (fileLevel[0] as TimelineStep)];
    }
    for (const s of targets) s.reportIds.push(r.id);
  }

  const dates = [dateOf(input.now), ...steps.map((s) => dateOf(s.at)), ...steps.flatMap((s) => (s.executionDate ? [s.executionDate] : []))];
  const lastDate = dates.sort().at(-1) as string;
  const busy = new Set(dates);
  const days: TimelineDay[] = [];
  for (let d = dateOf(file.receivedAt); d <= lastDate && days.length < 800; d = addDays(d, 1)) days.push({ date: d, bankDay: isBankDay(d), busy: busy.has(d) });

  const max = input.maxPaymentLanes ?? 20;
  return { fileId: file.id, steps, days, now: input.now, cutoffTime: input.cutoffTime, paymentLanes: file.payments.slice(0, max), hiddenPayments: Math.max(0, file.payments.length - max) };
}
