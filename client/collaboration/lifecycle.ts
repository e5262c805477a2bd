/**
 * The commercial life of a bureau–customer collaboration (seed 002, flows.md part B): activated
 * with an invoice recipient (the bureau or the customer) and a contract period (quarterly or
 * yearly, priced per end user and month); the customer's administrator buys extra users (the
 * licence count is enforced; the bureau's staff are not counted); a change of invoice
 * recipient takes effect from the next contract period, never before; termination leaves the
 * customer standalone or with read-only access. Every transition is audited with who and the
 * simulated clock's time. Pure: the caller passes the time.
 */

export type ContractPeriod = 'quarterly' | 'yearly';
export type InvoiceRecipient = 'bureau' | 'customer';
export type AfterTermination = 'standalone' | 'read-only';

export interface Prices {
  quarterlyOrePerUserMonth: number;
  yearlyOrePerUserMonth: number;
}

export const DEFAULT_PRICES: Prices = { quarterlyOrePerUserMonth: 109_00, yearlyOrePerUserMonth: 99_00 };

export interface LifecycleUser {
  username: string;
  name: string;
  /** End users are what the price covers; the bureau's staff are not included in it. */
  kind: 'end-user' | 'bureau-staff';
  /** YYYY-MM-DD */
  addedOn: string;
}

export interface AuditEntry {
  /** The simulated clock, `YYYY-MM-DDTHH:MM:SS`. */
  at: string;
  who: string;
  action: 'activated' | 'recipient-change-scheduled' | 'licences-bought' | 'user-added' | 'terminated';
  detail: string;
}

export interface CollaborationLifecycle {
  collaborationId: string;
  state: 'active' | 'ended';
  period: ContractPeriod;
  prices: Prices;
  /** YYYY-MM-DD: the first contract period starts on the first day of the activation month. */
  start: string;
  /** Who is invoiced from which period start on; the first entry is `start`. */
  recipients: { from: string; recipient: InvoiceRecipient }[];
  /** End users covered by the subscription (one included, more bought by the administrator). */
  licences: number;
  users: LifecycleUser[];
  /** The customer's next invoice number, when moving from a previous program. */
  nextInvoiceNumber?: number;
  termination?: { at: string; mode: AfterTermination };
  audit: AuditEntry[];
}

export type LifecycleErrorCode = 'NOT_ACTIVATED' | 'ALREADY_ACTIVE' | 'COLLABORATION_ENDED' | 'COLLABORATION_READ_ONLY' | 'LICENCE_LIMIT_REACHED' | 'USERNAME_TAKEN' | 'RECIPIENT_UNCHANGED' | 'INVALID_REQUEST';

export type LifecycleResult<T> = { ok: true; value: T } | { ok: false; code: LifecycleErrorCode; message: string };

const fail = <T>(code: LifecycleErrorCode, message: string): LifecycleResult<T> => ({ ok: false, code, message });
const ok = <T>(value: T): LifecycleResult<T> => ({ ok: true, value });

const dayOf = (at: string) => at.slice(0, 10);

/** YYYY-MM-DD plus whole months (the day stays the 1st: periods start on a month's first day). */
export function addMonths(date: string, months: number): string {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7)) - 1 + months;
  const y = year + Math.floor(month / 12);
  const m = ((month % 12) + 12) % 12;
  return `${y}-${String(m + 1).padStart(2, '0')}-${date.slice(8, 10)}`;
}

/** The last day of the month before `firstOfMonth` (periods start on a month's first day). */
function dayBefore(firstOfMonth: string): string {
  const previous = addMonths(firstOfMonth, -1);
  const year = Number(previous.slice(0, 4));
  const month = Number(previous.slice(5, 7));
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 30;
  return `${previous.slice(0, 8)}${String(days).padStart(2, '0')}`;
}

export const monthsPerPeriod = (period: ContractPeriod) => (period === 'quarterly' ? 3 : 12);

/** The start of the contract period holding `date`. */
export function periodStartOn(lc: Pick<CollaborationLifecycle, 'start' | 'period'>, date: string): string {
  let from = lc.start;
  while (addMonths(from, monthsPerPeriod(lc.period)) <= date) from = addMonths(from, monthsPerPeriod(lc.period));
  return from;
}

export function nextPeriodStart(lc: Pick<CollaborationLifecycle, 'start' | 'period'>, date: string): string {
  return addMonths(periodStartOn(lc, date), monthsPerPeriod(lc.period));
}

export function recipientOn(lc: CollaborationLifecycle, date: string): InvoiceRecipient {
  return [...lc.recipients].reverse().find((r) => r.from <= date)?.recipient ?? lc.recipients[0]?.recipient ?? 'bureau';
}

export interface ActivateInput {
  collaborationId: string;
  recipient: InvoiceRecipient;
  period: ContractPeriod;
  prices?: Prices;
  /** End users covered from the start (default 1). */
  licences?: number;
  nextInvoiceNumber?: number;
}

export function activate(existing: CollaborationLifecycle | undefined, input: ActivateInput, at: string, who: string): LifecycleResult<CollaborationLifecycle> {
  if (existing?.state === 'active') return fail('ALREADY_ACTIVE', `collaboration ${input.collaborationId} is already active (since ${existing.start})`);
  if (existing?.state === 'ended') return fail('COLLABORATION_ENDED', `collaboration ${input.collaborationId} has ended; start a new one`);
  const licences = input.licences ?? 1;
  if (!Number.isSafeInteger(licences) || licences < 1) return fail('INVALID_REQUEST', 'licences must be a whole number of at least 1');
  if (input.nextInvoiceNumber !== undefined && (!Number.isSafeInteger(input.nextInvoiceNumber) || input.nextInvoiceNumber < 1)) return fail('INVALID_REQUEST', 'the next invoice number must be a positive whole number');
  const prices = input.prices ?? DEFAULT_PRICES;
  const start = `${dayOf(at).slice(0, 7)}-01`;
  const price = input.period === 'quarterly' ? prices.quarterlyOrePerUserMonth : prices.yearlyOrePerUserMonth;
  return ok({
    collaborationId: input.collaborationId, state: 'active', period: input.period, prices, start,
    recipients: [{ from: start, recipient: input.recipient }],
    licences, users: [],
    ...(input.nextInvoiceNumber === undefined ? {} : { nextInvoiceNumber: input.nextInvoiceNumber }),
    audit: [{ at, who, action: 'activated', detail: `${input.period} from ${start} at ${price / 100} SEK per end user and month, invoiced to the ${input.recipient}, ${licences} end user${licences === 1 ? '' : 's'}${input.nextInvoiceNumber === undefined ? '' : `, next invoice number ${input.nextInvoiceNumber}`}` }],
  });
}

function writable(lc: CollaborationLifecycle): LifecycleResult<CollaborationLifecycle> {
  return lc.state === 'ended' ? fail('COLLABORATION_ENDED', `collaboration ${lc.collaborationId} ended ${lc.termination?.at.slice(0, 10) ?? ''}: it can no longer be changed`) : ok(lc);
}

/** Schedules the new recipient from the start of the next contract period. */
export function changeRecipient(lc: CollaborationLifecycle, recipient: InvoiceRecipient, at: string, who: string): LifecycleResult<CollaborationLifecycle> {
  const w = writable(lc);
  if (!w.ok) return w;
  const from = nextPeriodStart(lc, dayOf(at));
  const scheduled = recipientOn(lc, from);
  if (scheduled === recipient) return fail('RECIPIENT_UNCHANGED', `the ${recipient} is already invoiced for the period from ${from}`);
  const kept = lc.recipients.filter((r) => r.from < from);
  // Back to the current recipient before the next period began: the scheduled change is simply withdrawn.
  const current = [...kept].reverse()[0]?.recipient;
  return ok({
    ...lc,
    recipients: current === recipient ? kept : [...kept, { from, recipient }],
    audit: [...lc.audit, { at, who, action: 'recipient-change-scheduled', detail: `invoice recipient ${scheduled} → ${recipient} from ${from} (the next contract period)` }],
  });
}

export function buyLicences(lc: CollaborationLifecycle, count: number, at: string, who: string): LifecycleResult<CollaborationLifecycle> {
  const w = writable(lc);
  if (!w.ok) return w;
  if (!Number.isSafeInteger(count) || count < 1) return fail('INVALID_REQUEST', 'buy a whole number of at least 1 extra user');
  return ok({ ...lc, licences: lc.licences + count, audit: [...lc.audit, { at, who, action: 'licences-bought', detail: `${count} extra end user${count === 1 ? '' : 's'}: ${lc.licences + count} in all` }] });
}

export function endUsers(lc: CollaborationLifecycle, onOrBefore?: string): number {
  return lc.users.filter((u) => u.kind === 'end-user' && (onOrBefore === undefined || u.addedOn <= onOrBefore)).length;
}

/** Adds a user; an end user beyond the licences bought is refused. */
export function addUser(lc: CollaborationLifecycle, user: Omit<LifecycleUser, 'addedOn'>, at: string, who: string): LifecycleResult<CollaborationLifecycle> {
  const w = writable(lc);
  if (!w.ok) return w;
  if (lc.users.some((u) => u.username === user.username)) return fail('USERNAME_TAKEN', `there is already a user ${user.username}`);
  if (user.kind === 'end-user' && endUsers(lc) >= lc.licences) {
    return fail('LICENCE_LIMIT_REACHED', `all ${lc.licences} end-user licence${lc.licences === 1 ? ' is' : 's are'} in use: the administrator must buy another user before ${user.username} can be added`);
  }
  return ok({ ...lc, users: [...lc.users, { ...user, addedOn: dayOf(at) }], audit: [...lc.audit, { at, who, action: 'user-added', detail: `${user.kind === 'end-user' ? 'end user' : 'bureau staff (not counted)'} ${user.username}` }] });
}

export function terminate(lc: CollaborationLifecycle, mode: AfterTermination, at: string, who: string): LifecycleResult<CollaborationLifecycle> {
  const w = writable(lc);
  if (!w.ok) return w;
  // A change of recipient scheduled for a period after the end never takes effect.
  const day = dayOf(at);
  const cancelled = lc.recipients.filter((r, i) => i > 0 && r.from > day);
  const after = mode === 'standalone' ? 'the customer continues standalone: sync stops, the customer keeps full use' : 'the customer keeps read-only access to the existing information';
  return ok({
    ...lc, state: 'ended', termination: { at, mode },
    recipients: lc.recipients.filter((r) => !cancelled.includes(r)),
    audit: [...lc.audit, { at, who, action: 'terminated', detail: cancelled.length === 0 ? after : `${after}; cancelled: ${cancelled.map((r) => `the ${r.recipient} as invoice recipient from ${r.from}`).join(', ')}` }],
  });
}

export type Access = 'bureau-sync' | 'customer-read' | 'customer-write';

/**
 * Whether a request of this kind may proceed under the collaboration's state. A collaboration
 * exists from its activation (decision 0015): before it the bureau's feed and writes answer 409
 * NOT_ACTIVATED; the customer's own invoicing program works as it would without a bureau.
 */
export function permits(lc: CollaborationLifecycle | undefined, access: Access, collaborationId = ''): LifecycleResult<true> {
  if (!lc) {
    if (access !== 'bureau-sync') return ok(true);
    const id = collaborationId || '{id}';
    return fail('NOT_ACTIVATED', `collaboration ${id} is not activated: the bureau's feed and writes open at activation (invoice recipient and contract period) — POST /v1/collaborations/${id}/lifecycle/activation, or \`sandbank collaboration activate ${id} --recipient bureau|customer --period quarterly|yearly\``);
  }
  if (lc.state === 'active') return ok(true);
  if (access === 'bureau-sync') return fail('COLLABORATION_ENDED', `the collaboration ended ${lc.termination?.at.slice(0, 10) ?? ''}: the bureau's feed and writes are closed`);
  if (access === 'customer-write' && lc.termination?.mode === 'read-only') return fail('COLLABORATION_READ_ONLY', `the collaboration ended ${lc.termination.at.slice(0, 10)} with read-only access: the existing information can be read, nothing can be changed`);
  return ok(true);
}

export interface BillingPeriod {
  from: string;
  to: string;
  recipient: InvoiceRecipient;
  endUsers: number;
  orePerUserMonth: number;
  months: number;
  amountOre: number;
}

/** The service's own billing: each contract period from the start through the one holding `through`, and who is invoiced for it. */
export function billing(lc: CollaborationLifecycle, through: string): BillingPeriod[] {
  const months = monthsPerPeriod(lc.period);
  const orePerUserMonth = lc.period === 'quarterly' ? lc.prices.quarterlyOrePerUserMonth : lc.prices.yearlyOrePerUserMonth;
  const last = lc.termination ? dayOf(lc.termination.at) : through;
  const out: BillingPeriod[] = [];
  for (let from = lc.start; from <= last && from <= through; from = addMonths(from, months)) {
    const to = dayBefore(addMonths(from, months));
    // A period is billed for every end user who had access in it (at least the subscription's one).
    const users = Math.max(1, endUsers(lc, to));
    out.push({ from, to, recipient: recipientOn(lc, from), endUsers: users, orePerUserMonth, months, amountOre: users * orePerUserMonth * months });
  }
  return out;
}
