/**
 * A fixed-window rate limit per API key, in the spirit of the real services (Fortnox: 25
 * requests per 5 s). Over the limit a request gets 429 with Retry-After in whole seconds.
 * The time source is passed in (the server's clock; tests move their own).
 */
export interface RateLimit {
  requests: number;
  windowMs: number;
}

export const DEFAULT_RATE_LIMIT: RateLimit = { requests: 25, windowMs: 5_000 };

/** `25/5s`, `100/1s`, `off`. */
export function parseRateLimit(text: string): RateLimit | undefined | 'invalid' {
  if (text === 'off') return undefined;
  const m = /^(\d+)\/(\d+)(ms|s)$/.exec(text);
  if (!m) return 'invalid';
  const requests = Number(m[1]);
  const windowMs = Number(m[2]) * (m[3] === 's' ? 1000 : 1);
  return requests > 0 && windowMs > 0 ? { requests, windowMs } : 'invalid';
}

export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(private limit: RateLimit | undefined, private readonly nowMs: () => number) {}

  set(limit: RateLimit | undefined): void {
    this.limit = limit;
    this.windows.clear();
  }

  /** Counts a request; `retryAfterSeconds` when it is over the limit. */
  take(key: string): { ok: true } | { ok: false; retryAfterSeconds: number } {
    if (!this.limit) return { ok: true };
    const now = this.nowMs();
    let window = this.windows.get(key);
    if (!window || now - window.start >= this.limit.windowMs) this.windows.set(key, (window = { start: now, count: 0 }));
    if (window.count >= this.limit.requests) return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((window.start + this.limit.windowMs - now) / 1000)) };
    window.count += 1;
    return { ok: true };
  }

  /** Uses up the key's window (provider state "the bureau's key is over its rate limit"). */
  exhaust(key: string): void {
    if (!this.limit) this.limit = { requests: 1_000_000, windowMs: 5_000 };
    this.windows.set(key, { start: this.nowMs(), count: this.limit.requests });
  }
}
