/**
 * Delivers sandbox events to the registered webhook URL: JSON body, an event id header, and
 * an HMAC-SHA256 signature over `<timestamp>.<body>` (the scheme Stripe popularised, so
 * existing verification code fits). Failures are retried with exponential backoff; every
 * attempt is recorded and listable. Real time is used here, at the edge, never in the engine.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Engine } from '../engine/bank.ts';
import type { BankEvent } from '../engine/model.ts';
import { WebhookPolicy } from './webhook-policy.ts';

// The signature scheme is shared with the client through a neutral module (neither imports the other).
export { EVENT_ID_HEADER, SIGNATURE_HEADER, signPayload, verifySignature } from '../../formats/webhook-signature.ts';
import { EVENT_ID_HEADER, SIGNATURE_HEADER, signPayload } from '../../formats/webhook-signature.ts';

/** The JSON body and headers of one webhook delivery (also what the message contracts describe). */
export function webhookRequest(sandboxId: string, event: BankEvent, secret: string, timestampSeconds: number): { body: string; headers: Record<string, string> } {
  const body = JSON.stringify({ id: event.id, type: event.type, createdAt: event.createdAt, sandboxId, data: event.data });
  return { body, headers: { 'content-type': 'application/json', [EVENT_ID_HEADER]: event.id, [SIGNATURE_HEADER]: `t=${timestampSeconds},v1=${signPayload(secret, timestampSeconds, body)}` } };
}

/** One POST of a delivery: resolves with the receiver's status, rejects on any failure. */
export type WebhookPost = (url: string, headers: Record<string, string>, body: string, timeoutMs: number) => Promise<number>;

/**
 * node:http, not fetch: its `lookup` hook puts the policy on the address actually connected
 * to (every attempt, no DNS rebinding), and it never follows a redirect.
 */
export function postWithPolicy(policy: WebhookPolicy): WebhookPost {
  return (raw, headers, body, timeoutMs) => new Promise<number>((resolve, reject) => {
    const checked = policy.checkUrl(raw);
    if (!checked.ok) return reject(new Error(`webhook refused: ${checked.reason}`));
    const send = checked.url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(checked.url, { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, lookup: policy.lookup, timeout: timeoutMs }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

export interface DispatcherOptions {
  /** Replaces the HTTP transport (tests); the default applies the server's webhook policy. */
  post?: WebhookPost;
  policy?: WebhookPolicy;
  /** First retry delay; doubles per attempt. */
  baseDelayMs?: number;
  maxAttempts?: number;
  timeoutMs?: number;
  /**
   * How long a claimed attempt is this server's alone (default: twice the timeout and a
   * second); a claim a stopped server left is taken over after it.
   */
  claimMs?: number;
  /** With several servers on one store: how often every sandbox's deliveries are looked at, for retries another server left (default 2000 ms). */
  sweepMs?: number;
}

export class WebhookDispatcher {
  private readonly running = new Set<string>();
  /** Sandboxes kicked while a run was under way: run again when it ends (no kick is lost). */
  private readonly again = new Set<string>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;

  constructor(private readonly engine: Engine, private readonly options: DispatcherOptions = {}) {
    if (engine.shared) {
      // Deliveries whose events another server produced, or whose retry a stopped server had scheduled.
      const sweep = setInterval(() => {
        for (const id of this.engine.sandboxIds()) if (this.engine.sandbox(id)?.webhook) this.kick(id);
      }, options.sweepMs ?? 2000);
      sweep.unref();
      this.sweep = sweep;
    }
  }

  private readonly sweep: NodeJS.Timeout | undefined;

  /** Delivers what is due for a sandbox now, and schedules retries. */
  kick(sandboxId: string): void {
    if (this.stopped) return;
    if (this.running.has(sandboxId)) {
      this.again.add(sandboxId);
      return;
    }
    this.running.add(sandboxId);
    void this.run(sandboxId).finally(() => {
      this.running.delete(sandboxId);
      if (this.again.delete(sandboxId)) this.kick(sandboxId);
    });
  }

  private async run(sandboxId: string): Promise<void> {
    const post = this.options.post ?? postWithPolicy(this.options.policy ?? new WebhookPolicy({ serverOnLoopback: true }));
    const base = this.options.baseDelayMs ?? 1000;
    const maxAttempts = this.options.maxAttempts ?? 6;
    const timeoutMs = this.options.timeoutMs ?? 5000;
    const claimMs = this.options.claimMs ?? timeoutMs * 2 + 1000;
    await this.engine.refresh(sandboxId);
    for (const due of this.engine.dueDeliveries(sandboxId, Date.now())) {
      if (this.stopped) return;
      // One server sends an attempt: claimed under the sandbox's lock across servers.
      const claimed = await this.engine.claimDelivery(sandboxId, due.event.id, { ms: Date.now(), iso: new Date().toISOString() }, claimMs);
      if (!claimed) continue;
      const { delivery, event, secret } = claimed;
      const { body, headers } = webhookRequest(sandboxId, event, secret, Math.floor(Date.now() / 1000));
      const at = new Date().toISOString();
      let status: number | 'error';
      let error: string | undefined;
      const fault = claimed.fault;
      if (fault) {
        status = fault.status;
        error = 'injected fault';
      } else {
        try {
          status = await post(delivery.url, headers, body, timeoutMs);
        } catch (caught) {
          status = 'error';
          error = caught instanceof Error ? caught.message : String(caught);
        }
      }
      const delivered = typeof status === 'number' && status >= 200 && status < 300;
      const attempts = delivery.attempts.length + 1;
      const next = delivered ? { state: 'delivered' as const } : attempts >= maxAttempts ? { state: 'failed' as const } : { state: 'pending' as const, nextAttemptAt: Date.now() + base * 2 ** (attempts - 1) };
      await this.engine.recordDelivery(sandboxId, event.id, error === undefined ? { at, status } : { at, status, error }, next);
      if (next.state === 'pending' && next.nextAttemptAt !== undefined) {
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          this.kick(sandboxId);
        }, Math.max(0, next.nextAttemptAt - Date.now()) + 5);
        this.timers.add(timer);
      }
    }
  }

  stop(): void {
    this.stopped = true;
    if (this.sweep) clearInterval(this.sweep);
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}
