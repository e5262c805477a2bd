/**
 * Receiving the bank's webhooks: verify the signature, read the event. A webhook only tells
 * the client *that* something changed; the statuses themselves come from the reports (sync).
 */
import { BankConnection } from './connection.ts';

export interface BankWebhookEvent {
  id: string;
  type: 'payment_file.status_changed' | 'payment.status_changed' | 'payment.cancellation_changed' | 'report.available' | 'incoming_payment.received';
  createdAt: string;
  sandboxId: string;
  data: Record<string, unknown>;
}

const TYPES = new Set<string>(['payment_file.status_changed', 'payment.status_changed', 'payment.cancellation_changed', 'report.available', 'incoming_payment.received']);

export class WebhookRejected extends Error {}

/**
 * Reads a delivery. With a secret, the `sandbank-signature` header must verify (HMAC-SHA256
 * over `<t>.<body>`, within five minutes of `nowSeconds`).
 */
export function readWebhook(body: string, headers: Record<string, string | undefined>, verification?: { secret: string; nowSeconds: number }): BankWebhookEvent {
  if (verification) {
    const signature = headers['sandbank-signature'];
    if (!signature || !BankConnection.verifyWebhook(verification.secret, signature, body, verification.nowSeconds)) throw new WebhookRejected('webhook signature does not verify');
  }
  const event = JSON.parse(body) as Partial<BankWebhookEvent>;
  if (typeof event.id !== 'string' || typeof event.type !== 'string' || !TYPES.has(event.type) || typeof event.data !== 'object' || event.data === null) {
    throw new WebhookRejected('not a sandbank event');
  }
  return event as BankWebhookEvent;
}
