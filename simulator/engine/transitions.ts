/**
 * Status changes of payments and files: statuses only move forward, each change is in the
 * payment's history and emits an event.
 */
import { emit } from './events.ts';
import type { FileStatus, Payment, PaymentFile, PaymentStatus, StatusReason } from './model.ts';
import type { Dirty, SandboxState } from './state.ts';

const STATUS_ORDER: Record<PaymentStatus, number> = { RECEIVED: 0, AWAITING_SIGNATURE: 1, SCHEDULED: 2, REJECTED: 3, EXECUTED: 3, CANCELLED: 3 };

/**
 * `withEvent: false` for payments that move together with their file (validation, signing):
 * the file's event carries them, so a 10,000-payment file is one webhook, not 10,001.
 */
export function setPaymentStatus(state: SandboxState, payment: Payment, status: PaymentStatus, dirty: Dirty, reason?: StatusReason, withEvent = true): void {
  if (STATUS_ORDER[status] < STATUS_ORDER[payment.status]) throw new Error(`payment ${payment.id} cannot go from ${payment.status} back to ${status}`);
  payment.status = status;
  if (reason) payment.reasons.push(reason);
  payment.history.push(reason ? { at: state.core.now, status, reason: `${reason.code} ${reason.message}` } : { at: state.core.now, status });
  if (withEvent) emit(state, 'payment.status_changed', { paymentId: payment.id, fileId: payment.fileId, endToEndId: payment.endToEndId, status, reason: reason?.code }, dirty);
  dirty.add(`file:${payment.fileId}`);
}

export function setFileStatus(state: SandboxState, file: PaymentFile, status: FileStatus, dirty: Dirty): void {
  file.status = status;
  const payments: Partial<Record<PaymentStatus, number>> = {};
  for (const p of file.payments) payments[p.status] = (payments[p.status] ?? 0) + 1;
  emit(state, 'payment_file.status_changed', { fileId: file.id, messageId: file.messageId, status, payments }, dirty);
  dirty.add(`file:${file.id}`);
}
