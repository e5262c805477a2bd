/**
 * Cancellation: a request (API, camt.055 or the internet bank) is recorded as REQUESTED and
 * resolved by the bank's back office right after — cancelled while the payment has not been
 * executed, refused (ARDT) once it has. Each resolution is reported in a camt.029, and the
 * cancelled payments in a pain.002.
 */
import { parseCancellationRequest } from '../../formats/camt/cancellation.ts';
import { fail, ok, type EngineResult } from './errors.ts';
import { emit } from './events.ts';
import { addReport, reportStatus } from './mailbox.ts';
import type { Payment, PaymentFile, StatusReason } from './model.ts';
import { flush } from './persistence.ts';
import { camt029For } from './reports.ts';
import { pad, profileOf, type Dirty, type EngineDeps, type PendingCancellation, type SandboxState } from './state.ts';
import { setPaymentStatus } from './transitions.ts';

export type CancellationChannel = PendingCancellation['via'];

/** The reason a customer's cancellation is reported with (pain.002.001.03 has no CUST). */
export function cancelReasonCode(state: SandboxState): string {
  const profile = profileOf(state);
  return profile.pain002Version === 'pain.002.001.03' ? profile.cancellationReasonIn03 : 'CUST';
}

export function cancelledTxStatus(state: SandboxState): string {
  // pain.002.001.03 has no CANC: a cancelled payment is reported RJCT with DS02/CUST.
  return profileOf(state).pain002Version === 'pain.002.001.03' ? 'RJCT' : 'CANC';
}

/** Whether the back office can still cancel a payment, or why it refuses. */
export function cancellationOutcome(payment: Pick<Payment, 'status' | 'executionDate'>): { cancellable: true } | { cancellable: false; reason: StatusReason } {
  if (payment.status === 'RECEIVED' || payment.status === 'AWAITING_SIGNATURE' || payment.status === 'SCHEDULED') return { cancellable: true };
  return { cancellable: false, reason: payment.status === 'EXECUTED' ? { code: 'ARDT', message: `already executed on ${payment.executionDate}` } : { code: 'NOOR', message: `payment is ${payment.status}` } };
}

/** Records the request (all named payments or none) and queues its resolution. */
export async function requestCancellation(deps: EngineDeps, state: SandboxState, paymentIds: string[], via: CancellationChannel, assignmentId?: string): Promise<EngineResult<Payment[]>> {
  const payments: Payment[] = [];
  for (const id of paymentIds) {
    const payment = state.payments.get(id);
    if (!payment) return fail('PAYMENT_NOT_FOUND', `no payment ${id} in this sandbox`);
    if (payment.cancellation && payment.cancellation.status !== 'CANCELLATION_REJECTED') {
      return fail('PAYMENT_NOT_CANCELLABLE', `a cancellation of ${id} was already ${payment.cancellation.status.toLowerCase()}`, { cancellation: payment.cancellation.status });
    }
    if (payment.status === 'REJECTED' || payment.status === 'CANCELLED') return fail('PAYMENT_NOT_CANCELLABLE', `payment ${id} is ${payment.status}`, { paymentStatus: payment.status });
    payments.push(payment);
  }
  const dirty: Dirty = new Set();
  for (const payment of payments) {
    payment.cancellation = { status: 'REQUESTED', requestedAt: state.core.now, via, ...(assignmentId === undefined ? {} : { assignmentId }) };
    payment.history.push({ at: state.core.now, status: 'CANCELLATION_REQUESTED' });
    emit(state, 'payment.cancellation_changed', { paymentId: payment.id, endToEndId: payment.endToEndId, cancellation: 'REQUESTED' }, dirty);
    dirty.add(`file:${payment.fileId}`);
  }
  state.queue.push(assignmentId === undefined ? { kind: 'cancel', paymentIds, via } : { kind: 'cancel', paymentIds, via, assignmentId });
  await flush(deps, state, dirty);
  return ok(payments);
}

/** The payments a camt.055 names, each looked up by EndToEndId (and PmtInfId). */
export function paymentsInCancellationDocument(state: SandboxState, bytes: Uint8Array): EngineResult<{ assignmentId: string; paymentIds: string[] }> {
  const parsed = parseCancellationRequest(bytes);
  if (!parsed.ok) return fail('INVALID_REQUEST', `not a valid camt.055: ${parsed.issues[0]?.message ?? 'unreadable'}`, { issues: parsed.issues.slice(0, 20) });
  const paymentIds: string[] = [];
  for (const p of parsed.value.paymentInformation) {
    for (const tx of p.transactions) {
      const match = [...state.payments.values()].find((x) => x.endToEndId === tx.originalEndToEndId && (p.originalPaymentInformationId === '' || x.paymentInformationId === p.originalPaymentInformationId));
      if (!match) return fail('PAYMENT_NOT_FOUND', `no payment with EndToEndId ${tx.originalEndToEndId} in payment information ${p.originalPaymentInformationId}`);
      paymentIds.push(match.id);
    }
  }
  return ok({ assignmentId: parsed.value.assignmentId, paymentIds });
}

export function resolveCancellation(state: SandboxState, job: PendingCancellation, dirty: Dirty): void {
  const byFile = new Map<string, { payment: Payment; cancelled: boolean; reason?: StatusReason }[]>();
  const core = state.core;
  for (const id of job.paymentIds) {
    const payment = state.payments.get(id);
    if (!payment?.cancellation || payment.cancellation.status !== 'REQUESTED') continue;
    const outcome = cancellationOutcome(payment);
    const list = byFile.get(payment.fileId) ?? [];
    if (outcome.cancellable) {
      const reason = { code: cancelReasonCode(state), message: job.via === 'internet-bank' ? 'deleted in the internet bank' : 'cancelled at the request of the customer' };
      payment.cancellation.status = 'CANCELLED';
      payment.cancellation.resolvedAt = core.now;
      setPaymentStatus(state, payment, 'CANCELLED', dirty, reason);
      list.push({ payment, cancelled: true });
    } else {
      const reason = outcome.reason;
      payment.cancellation.status = 'CANCELLATION_REJECTED';
      payment.cancellation.resolvedAt = core.now;
      payment.cancellation.reason = reason;
      payment.history.push({ at: core.now, status: 'CANCELLATION_REJECTED', reason: `${reason.code} ${reason.message}` });
      list.push({ payment, cancelled: false, reason });
    }
    emit(state, 'payment.cancellation_changed', { paymentId: payment.id, endToEndId: payment.endToEndId, cancellation: payment.cancellation.status }, dirty);
    byFile.set(payment.fileId, list);
    dirty.add(`file:${payment.fileId}`);
  }
  const profile = profileOf(state);
  for (const [fileId, outcomes] of byFile) {
    const file = state.files.get(fileId) as PaymentFile;
    core.counters.cancellation++;
    const caseId = job.assignmentId;
    const body = camt029For(profile, core, `${profile.id === 'swedbank' ? 'SWED' : 'SPAR'}-CXL-${pad(core.counters.cancellation)}`, core.now, file, outcomes, caseId);
    addReport(state, 'camt.029', 'camt.029.001.09', body, { fileId }, dirty);
    const cancelled = outcomes.filter((o) => o.cancelled);
    if (cancelled.length > 0) {
      reportStatus(state, file, undefined, [], cancelled.map((o) => ({ payment: o.payment, status: cancelledTxStatus(state), reasons: [{ code: cancelReasonCode(state), message: 'cancelled at the request of the customer' }] })), dirty);
    }
  }
}
