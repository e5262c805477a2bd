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
import type { ActivationTerms } from '../invoicing/model.ts';
import { activate, addUser, billing, buyLicences, changeRecipient, nextPeriodStart, permits, recipientOn, terminate, type CollaborationLifecycle, type LifecycleErrorCode, type LifecycleResult } from './lifecycle.ts';
import type { LifecycleStore } from './store.ts';
import { z } from 'zod';

/** The lifecycle's problem codes beside the invoicing program's own, with status and title (its OpenAPI and docs page list them). */
export const LIFECYCLE_PROBLEMS: Record<LifecycleErrorCode | 'COLLABORATION_NOT_FOUND', { status: number; title: string }> = {
  ALREADY_ACTIVE: { status: 409, title: 'The collaboration is already active' },
  COLLABORATION_ENDED: { status: 403, title: 'The collaboration has ended: the bureau\'s feed and writes are closed' },
  COLLABORATION_READ_ONLY: { status: 403, title: 'The collaboration ended with read-only access: nothing can be changed' },
  LICENCE_LIMIT_REACHED: { status: 409, title: 'Every end-user licence is in use: buy another user first' },
  USERNAME_TAKEN: { status: 409, title: 'There is already a user with that username' },
  RECIPIENT_UNCHANGED: { status: 409, title: 'That recipient is already invoiced for the next period' },
  INVALID_REQUEST: { status: 400, title: 'Invalid request' },
  COLLABORATION_NOT_FOUND: { status: 404, title: 'Collaboration not found' },
  NOT_ACTIVATED: { status: 409, title: "The collaboration is not activated yet: the bureau's feed opens at activation" },
};

function problem(code: keyof typeof LIFECYCLE_PROBLEMS, detail: string): ApiResponse {
  const { status, title } = LIFECYCLE_PROBLEMS[code];
  return { status, headers: { 'content-type': 'application/problem+json' }, body: JSON.stringify({ type: `/docs#problem-${code}`, title, status, detail, code }) };
}

/** The request bodies, for the OpenAPI document and the invoicing program's validation (the transitions check the rules). */
const recipient = z.enum(['bureau', 'customer']).describe('who is invoiced for the service');
export const LIFECYCLE_BODIES = {
  activation: z.object({
    recipient, period: z.enum(['quarterly', 'yearly']).describe('contract period: quarterly (109 SEK) or yearly (99 SEK) per end user and month by default'),
    quarterlyOrePerUserMonth: z.number().int().min(0).optional().describe('price in öre per end user and month, quarterly contract'),
    yearlyOrePerUserMonth: z.number().int().min(0).optional().describe('price in öre per end user and month, yearly contract'),
    licences: z.number().int().min(1).optional().describe('end users covered from the start (default 1)'),
    nextInvoiceNumber: z.number().int().min(1).optional().describe("the customer's next invoice number in its previous program: the first invoice after activation gets it"),
  }),
  recipient: z.object({ recipient }),
  termination: z.object({ mode: z.enum(['standalone', 'read-only']).describe('standalone: sync stops, the customer keeps full use; read-only: the existing information can be read, nothing changed') }),
  licences: z.object({ count: z.number().int().min(1).optional().describe('extra end users to buy (default 1)') }),
  user: z.object({ username: z.string().min(1).max(100), name: z.string().max(200).optional(), kind: z.enum(['end-user', 'bureau-staff']).optional().describe('bureau staff are not counted against the licences') }),
};

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
  const need = (lc: CollaborationLifecycle | undefined): LifecycleResult<CollaborationLifecycle> => (lc ? { ok: true, value: lc } : { ok: false, code: 'NOT_ACTIVATED', message: 'the collaboration is not activated yet: the bureau activates it first (invoice recipient and contract period)' });
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
    { method: 'GET', pattern: B, auth: 'bureau', handler: show, summary: 'The lifecycle (bureau key): state, contract period and prices, who is invoiced now and from the next period, licences and users, the billing so far, the audit trail', problems: LIFECYCLE_PROBLEMS },
    {
      method: 'POST', pattern: `${B}/activation`, auth: 'bureau', summary: "Activate the collaboration: invoice recipient, contract period, prices, licences, the customer's next invoice number (applied to the invoicing program's numbering)", body: LIFECYCLE_BODIES.activation, problems: LIFECYCLE_PROBLEMS, handler: transition((lc, body, at, by, id) => {
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
      method: 'POST', pattern: `${B}/recipient`, auth: 'bureau', summary: 'Change the invoice recipient: takes effect from the next contract period, never before', body: LIFECYCLE_BODIES.recipient, problems: LIFECYCLE_PROBLEMS, handler: transition((lc, body, at, by) => {
        const recipient = str(body['recipient']);
        if (recipient !== 'bureau' && recipient !== 'customer') return { ok: false, code: 'INVALID_REQUEST', message: 'recipient is "bureau" or "customer"' };
        const active = need(lc);
        return active.ok ? changeRecipient(active.value, recipient, at, by) : active;
      }),
    },
    { method: 'POST', pattern: `${B}/termination`, auth: 'bureau', handler: terminateRoute, summary: "Terminate (bureau): the customer continues standalone (the bureau's feed then answers 403 COLLABORATION_ENDED) or keeps read-only access (every write 403 COLLABORATION_READ_ONLY)", body: LIFECYCLE_BODIES.termination, problems: LIFECYCLE_PROBLEMS },
    { method: 'GET', pattern: `${K}/lifecycle`, auth: 'company', handler: show, summary: "The lifecycle (the customer's key), as the bureau sees it", problems: LIFECYCLE_PROBLEMS },
    {
      method: 'POST', pattern: `${K}/licences`, auth: 'company', summary: "The customer's administrator buys extra end users", body: LIFECYCLE_BODIES.licences, problems: LIFECYCLE_PROBLEMS, handler: transition((lc, body, at, by) => {
        const active = need(lc);
        return active.ok ? buyLicences(active.value, num(body['count']) ?? 1, at, by) : active;
      }),
    },
    {
      method: 'POST', pattern: `${K}/users`, auth: 'company', summary: 'Add a user: an end user beyond the licences bought is refused 409 LICENCE_LIMIT_REACHED; bureau staff are not counted', body: LIFECYCLE_BODIES.user, problems: LIFECYCLE_PROBLEMS, handler: transition((lc, body, at, by) => {
        const username = str(body['username']);
        if (!username) return { ok: false, code: 'INVALID_REQUEST', message: 'give the user\'s "username"' };
        const active = need(lc);
        return active.ok ? addUser(active.value, { username, name: str(body['name']) ?? username, kind: body['kind'] === 'bureau-staff' ? 'bureau-staff' : 'end-user' }, at, by) : active;
      }, 201),
    },
    { method: 'POST', pattern: `${K}/termination`, auth: 'company', handler: terminateRoute, summary: "Terminate (the customer's administrator), standalone or read-only", body: LIFECYCLE_BODIES.termination, problems: LIFECYCLE_PROBLEMS },
  ];
}

/** The invoicing program's guard: what a collaboration not yet activated, or terminated, does not allow. */
export function lifecycleGuard(store: LifecycleStore): (request: GuardRequest, service: InvoicingService) => ApiResponse | undefined {
  return ({ caller, method, pattern, params }, service) => {
    if (pattern.includes('/lifecycle') || pattern.startsWith('/v1/company/collaborations/')) return undefined;
    if (caller.kind === 'bureau') {
      const id = params['collaborationId'];
      // Someone else's or a missing collaboration is the route's 404, not a lifecycle answer.
      if (!id || !service.collaborationFor(caller.bureauId, id).ok) return undefined;
      const allowed = permits(store.get(id), 'bureau-sync', id);
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

/** Activates a collaboration just created, with the same rule and audit as POST …/activation. */
export function activateOnCreation(store: LifecycleStore, clock: InvoicingClock): (collaborationId: string, terms: ActivationTerms, who: string) => Promise<LifecycleResult<CollaborationLifecycle>> {
  return async (collaborationId, terms, who) => {
    const result = activate(store.get(collaborationId), { collaborationId, recipient: terms.recipient, period: terms.period, ...(terms.licences === undefined ? {} : { licences: terms.licences }) }, clock.now(), who);
    if (result.ok) await store.put(result.value);
    return result;
  };
}
