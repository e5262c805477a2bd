/**
 * The lifecycle over the invoicing program's API: routes mounted beside its own (bureau key
 * on /v1/collaborations/{id}/lifecycle…, the customer's key on
 * /v1/company/collaborations/{id}/…) and the guard that closes the bureau's feed after a
 * termination (403 COLLABORATION_ENDED — not 410, which tells a consumer to re-list) and every
 * customer write after a read-only one (403 COLLABORATION_READ_ONLY).
 */
import { problem as invoicingProblem, type ApiResponse } from '../invoicing/http/problem.ts';
import type { GuardRequest, Route } from '../invoicing/http/routes.ts';
import type { InvoicingClock, InvoicingService } from '../invoicing/service.ts';
import { activate, addUser, billing, buyLicences, changeRecipient, nextPeriodStart, permits, recipientOn, terminate, type CollaborationLifecycle, type LifecycleErrorCode, type LifecycleResult } from './lifecycle.ts';
import type { LifecycleStore } from './store.ts';

const STATUS: Record<LifecycleErrorCode | 'COLLABORATION_NOT_FOUND' | 'NOT_ACTIVATED', number> = {
  ALREADY_ACTIVE: 409, COLLABORATION_ENDED: 403, COLLABORATION_READ_ONLY: 403, LICENCE_LIMIT_REACHED: 409, USERNAME_TAKEN: 409, RECIPIENT_UNCHANGED: 409, INVALID_REQUEST: 400, COLLABORATION_NOT_FOUND: 404, NOT_ACTIVATED: 409,
};

function problem(code: keyof typeof STATUS, detail: string): ApiResponse {
  const status = STATUS[code];
  return { status, headers: { 'content-type': 'application/problem+json' }, body: JSON.stringify({ type: `/docs#problem-${code}`, title: code.toLowerCase().replace(/_/g, ' '), status, detail, code }) };
}

const json = (status: number, value: unknown): ApiResponse => ({ status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) });

export interface LifecycleHttpOptions {
  store: LifecycleStore;
  clock: InvoicingClock;
}

async function bodyOf(call: Parameters<Route['handler']>[0]): Promise<Record<string, unknown>> {
  const text = Buffer.from(await call.req.body()).toString('utf8');
  try {
    const value: unknown = text.trim() === '' ? {} : JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value satisfies object as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** The lifecycle as the API shows it: the record, who is invoiced now, and the billing so far. */
export function view(lc: CollaborationLifecycle, today: string) {
  return { ...lc, recipientNow: recipientOn(lc, today), nextPeriodStart: nextPeriodStart(lc, today), billing: billing(lc, today) };
}

export function lifecycleRoutes(options: LifecycleHttpOptions): Route[] {
  const { store, clock } = options;
  /** The collaboration the caller may act on (a bureau its own, a company its own), else 404. */
  const collaboration = (call: Parameters<Route['handler']>[0]) => {
    const id = call.params['collaborationId'] ?? '';
    const found = call.ctx.service.collaborations.find((c) => c.id === id && (call.caller.kind === 'bureau' ? c.bureauId === call.caller.bureauId : c.companyId === call.caller.companyId));
    return found;
  };
  const who = (call: Parameters<Route['handler']>[0]): string => {
    const { caller, ctx } = call;
    if (caller.kind === 'bureau') return `bureau ${ctx.service.bureaus.find((b) => b.id === caller.bureauId)?.name ?? caller.bureauId}`;
    return `customer administrator, ${ctx.service.companies.find((c) => c.id === caller.companyId)?.name ?? caller.companyId}`;
  };
  /** After a transition is allowed and before it is stored: what else must change with it (an answer refuses the transition). */
  type Effect = (call: Parameters<Route['handler']>[0], lc: CollaborationLifecycle, companyId: string) => Promise<ApiResponse | undefined>;
  const transition = (run: (lc: CollaborationLifecycle | undefined, body: Record<string, unknown>, at: string, by: string, collaborationId: string) => LifecycleResult<CollaborationLifecycle>, status = 200, effect?: Effect): Route['handler'] => async (call) => {
    const c = collaboration(call);
    if (!c) return problem('COLLABORATION_NOT_FOUND', `no collaboration ${call.params['collaborationId'] ?? ''} for this key`);
    const at = clock.now();
    const result = run(store.get(c.id), await bodyOf(call), at, who(call), c.id);
    if (!result.ok) return problem(result.code, result.message);
    const refused = await effect?.(call, result.value, c.companyId);
    if (refused) return refused;
    await store.put(result.value);
    return json(status, view(result.value, at.slice(0, 10)));
  };
  /**
   * The customer's next invoice number from the previous program becomes the invoicing
   * program's numbering, so the first invoice after activation carries it. A number at or
   * below one already used is refused (409 INVOICE_NUMBER_TAKEN) and nothing is activated.
   */
  const applyNextInvoiceNumber: Effect = async (call, lc, companyId) => {
    if (lc.nextInvoiceNumber === undefined) return undefined;
    const changed = await call.ctx.service.updateSettings(companyId, call.ctx.service.settings(companyId).version, { nextInvoiceNumber: lc.nextInvoiceNumber });
    return changed.kind === 'error' ? invoicingProblem(changed.code === 'IDEMPOTENCY_KEY_REUSED' ? 'INVALID_REQUEST' : changed.code, changed.message, changed.details ?? {}) : undefined;
  };
  const need = (lc: CollaborationLifecycle | undefined): LifecycleResult<CollaborationLifecycle> => (lc ? { ok: true, value: lc } : { ok: false, code: 'INVALID_REQUEST', message: 'the collaboration is not activated yet: activate it first' });
  const show: Route['handler'] = async (call) => {
    const c = collaboration(call);
    if (!c) return problem('COLLABORATION_NOT_FOUND', `no collaboration ${call.params['collaborationId'] ?? ''} for this key`);
    const lc = store.get(c.id);
    return lc ? json(200, view(lc, clock.now().slice(0, 10))) : problem('NOT_ACTIVATED', `collaboration ${c.id} is not activated yet`);
  };
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const num = (v: unknown) => (typeof v === 'number' ? v : undefined);
  const B = '/v1/collaborations/:collaborationId/lifecycle';
  const K = '/v1/company/collaborations/:collaborationId';
  const terminateRoute: Route['handler'] = transition((lc, body, at, by) => {
    const mode = str(body['mode']);
    if (mode !== 'standalone' && mode !== 'read-only') return { ok: false, code: 'INVALID_REQUEST', message: 'mode is "standalone" (the customer keeps full use) or "read-only"' };
    const active = need(lc);
    return active.ok ? terminate(active.value, mode, at, by) : active;
  });
  return [
    { method: 'GET', pattern: B, auth: 'bureau', handler: show },
    {
      method: 'POST', pattern: `${B}/activation`, auth: 'bureau', handler: transition((lc, body, at, by, id) => {
        const recipient = str(body['recipient']);
        const period = str(body['period']);
        if ((recipient !== 'bureau' && recipient !== 'customer') || (period !== 'quarterly' && period !== 'yearly')) return { ok: false, code: 'INVALID_REQUEST', message: 'recipient is "bureau" or "customer"; period is "quarterly" or "yearly"' };
        const q = num(body['quarterlyOrePerUserMonth']);
        const y = num(body['yearlyOrePerUserMonth']);
        const licences = num(body['licences']);
        const next = num(body['nextInvoiceNumber']);
        return activate(lc, { collaborationId: id, recipient, period, ...(q !== undefined || y !== undefined ? { prices: { quarterlyOrePerUserMonth: q ?? 109_00, yearlyOrePerUserMonth: y ?? 99_00 } } : {}), ...(licences === undefined ? {} : { licences }), ...(next === undefined ? {} : { nextInvoiceNumber: next }) }, at, by);
      }, 201, applyNextInvoiceNumber),
    },
    {
      method: 'POST', pattern: `${B}/recipient`, auth: 'bureau', handler: transition((lc, body, at, by) => {
        const recipient = str(body['recipient']);
        if (recipient !== 'bureau' && recipient !== 'customer') return { ok: false, code: 'INVALID_REQUEST', message: 'recipient is "bureau" or "customer"' };
        const active = need(lc);
        return active.ok ? changeRecipient(active.value, recipient, at, by) : active;
      }),
    },
    { method: 'POST', pattern: `${B}/termination`, auth: 'bureau', handler: terminateRoute },
    { method: 'GET', pattern: `${K}/lifecycle`, auth: 'company', handler: show },
    {
      method: 'POST', pattern: `${K}/licences`, auth: 'company', handler: transition((lc, body, at, by) => {
        const active = need(lc);
        return active.ok ? buyLicences(active.value, num(body['count']) ?? 1, at, by) : active;
      }),
    },
    {
      method: 'POST', pattern: `${K}/users`, auth: 'company', handler: transition((lc, body, at, by) => {
        const username = str(body['username']);
        if (!username) return { ok: false, code: 'INVALID_REQUEST', message: 'give the user\'s "username"' };
        const active = need(lc);
        return active.ok ? addUser(active.value, { username, name: str(body['name']) ?? username, kind: body['kind'] === 'bureau-staff' ? 'bureau-staff' : 'end-user' }, at, by) : active;
      }, 201),
    },
    { method: 'POST', pattern: `${K}/termination`, auth: 'company', handler: terminateRoute },
  ];
}

/** The invoicing program's guard: what a terminated collaboration no longer allows. */
export function lifecycleGuard(store: LifecycleStore): (request: GuardRequest, service: InvoicingService) => ApiResponse | undefined {
  return ({ caller, method, pattern, params }, service) => {
    if (pattern.includes('/lifecycle') || pattern.startsWith('/v1/company/collaborations/')) return undefined;
    if (caller.kind === 'bureau') {
      const id = params['collaborationId'];
      const lc = id ? store.get(id) : undefined;
      const allowed = permits(lc, 'bureau-sync');
      return allowed.ok ? undefined : problem(allowed.code, allowed.message);
    }
    if (method === 'GET' || method === 'HEAD') return undefined;
    const lifecycles = service.collaborationsOfCompany(caller.companyId).map((c) => store.get(c.id));
    if (lifecycles.some((lc) => !lc || lc.state === 'active')) return undefined;
    for (const lc of lifecycles) {
      const allowed = permits(lc, 'customer-write');
      if (!allowed.ok) return problem(allowed.code, allowed.message);
    }
    return undefined;
  };
}
