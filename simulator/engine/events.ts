/**
 * Events and their webhook deliveries: every change in a sandbox emits an event (its
 * sequence is the sandbox's version); with a webhook configured each event gets a delivery
 * that the dispatcher (http/webhooks.ts) attempts and records here.
 */
import type { BankEvent, EventType, WebhookDelivery } from './model.ts';
import { saveDeliveryOf } from './persistence.ts';
import { pad, type Dirty, type SandboxState } from './state.ts';
import type { StorePort } from './store-port.ts';

export interface DueDelivery {
  delivery: WebhookDelivery;
  event: BankEvent;
  secret: string;
}

export function emit(state: SandboxState, type: EventType, data: Record<string, unknown>, dirty: Dirty): void {
  const core = state.core;
  core.counters.event++;
  const event: BankEvent = { id: `evt_${core.id.slice(4)}_${pad(core.counters.event, 8)}`, sequence: core.counters.event, type, createdAt: core.now, data };
  state.events.push(event);
  state.eventsById.set(event.id, event);
  if (core.webhook) state.deliveries.set(event.id, { eventId: event.id, url: core.webhook.url, attempts: [], state: 'pending' });
  dirty.add(`event:${event.id}`);
}

export function eventsAfter(state: SandboxState | undefined, afterSequence: number): BankEvent[] {
  return (state?.events ?? []).filter((e) => e.sequence > afterSequence);
}

/** Deliveries due at `nowMs` (the dispatcher's wall clock), with their events, oldest event first. */
export function dueDeliveries(state: SandboxState | undefined, nowMs: number): DueDelivery[] {
  if (!state?.core.webhook) return [];
  const secret = state.core.webhook.secret;
  const due: DueDelivery[] = [];
  for (const delivery of state.deliveries.values()) {
    if (delivery.state !== 'pending' || (delivery.nextAttemptAt ?? 0) > nowMs) continue;
    const event = state.eventsById.get(delivery.eventId);
    if (event) due.push({ delivery, event, secret });
  }
  return due.sort((a, b) => a.event.sequence - b.event.sequence);
}

/**
 * Claims a due delivery's next attempt (under the sandbox's lock, so one server sends it);
 * a claim left by a server that stopped mid-attempt is recorded as that attempt, failed.
 */
export async function claimDelivery(store: StorePort, state: SandboxState, eventId: string, now: { ms: number; iso: string }, leaseMs: number): Promise<DueDelivery | undefined> {
  const delivery = state.deliveries.get(eventId);
  const event = state.eventsById.get(eventId);
  const secret = state.core.webhook?.secret;
  if (!delivery || !event || secret === undefined || delivery.state !== 'pending' || (delivery.nextAttemptAt ?? 0) > now.ms) return undefined;
  if (delivery.claim) {
    if (delivery.claim.until > now.ms) return undefined;
    delivery.attempts.push({ at: delivery.claim.at, status: 'error', error: 'the server sending it stopped before the answer was recorded' });
  }
  delivery.claim = { at: now.iso, until: now.ms + leaseMs };
  await saveDeliveryOf(store, state, eventId);
  return { delivery, event, secret };
}

export async function recordDelivery(
  store: StorePort,
  state: SandboxState | undefined,
  eventId: string,
  attempt: { at: string; status: number | 'error'; error?: string },
  next: { state: WebhookDelivery['state']; nextAttemptAt?: number },
): Promise<void> {
  const delivery = state?.deliveries.get(eventId);
  if (!state || !delivery || state.eventBatch.get(eventId) === undefined) return;
  delivery.attempts.push(attempt);
  delete delivery.claim;
  delivery.state = next.state;
  if (next.nextAttemptAt === undefined) delete delivery.nextAttemptAt;
  else delivery.nextAttemptAt = next.nextAttemptAt;
  await saveDeliveryOf(store, state, eventId);
}
