/**
 * Console sessions: a person logs in with a sandbox's API key (sees that sandbox) or with the
 * server's operator key (sees every sandbox). The key itself is never kept in the browser:
 * the cookie holds a random session id (HttpOnly, SameSite=Strict), and every form a CSRF
 * token tied to the session. Wall-clock time, at the edge: sessions outlive no simulated day.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Lang } from './i18n.ts';

export type ConsoleScope = { kind: 'operator' } | { kind: 'sandbox'; sandboxId: string };

export interface ConsoleSession {
  id: string;
  csrf: string;
  scope: ConsoleScope;
  lang: Lang;
  expiresAt: number;
}

export interface SessionOptions {
  nowMs?: () => number;
  idleMs?: number;
  /** Sessions kept at most (the oldest go first), so a flood of logins cannot grow memory. */
  maxSessions?: number;
}

export class ConsoleSessions {
  private readonly sessions = new Map<string, ConsoleSession>();
  private readonly now: () => number;

  constructor(private readonly options: SessionOptions = {}) {
    this.now = options.nowMs ?? Date.now;
  }

  create(scope: ConsoleScope, lang: Lang): ConsoleSession {
    const session: ConsoleSession = { id: randomBytes(24).toString('base64url'), csrf: randomBytes(24).toString('base64url'), scope, lang, expiresAt: this.now() + (this.options.idleMs ?? 60 * 60_000) };
    this.sessions.set(session.id, session);
    const max = this.options.maxSessions ?? 10_000;
    for (const id of this.sessions.keys()) {
      if (this.sessions.size <= max) break;
      this.sessions.delete(id);
    }
    return session;
  }

  get(id: string | undefined): ConsoleSession | undefined {
    if (!id) return undefined;
    const session = this.sessions.get(id);
    if (!session) return undefined;
    if (session.expiresAt < this.now()) {
      this.sessions.delete(id);
      return undefined;
    }
    session.expiresAt = this.now() + (this.options.idleMs ?? 60 * 60_000);
    return session;
  }

  end(id: string | undefined): void {
    if (id) this.sessions.delete(id);
  }

  /** Sessions of a sandbox end when it is deleted (its key no longer exists). */
  endFor(sandboxId: string): void {
    for (const [id, s] of this.sessions) if (s.scope.kind === 'sandbox' && s.scope.sandboxId === sandboxId) this.sessions.delete(id);
  }
}

export function sameSecret(given: unknown, expected: string | undefined): boolean {
  if (typeof given !== 'string' || expected === undefined || expected === '') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function mayView(scope: ConsoleScope, sandboxId: string): boolean {
  return scope.kind === 'operator' || scope.sandboxId === sandboxId;
}
