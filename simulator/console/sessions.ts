/**
 * Console sessions: a person logs in with a sandbox's API key (sees that sandbox) or with the
 * server's operator key (sees every sandbox). The key itself is never kept in the browser:
 * the cookie holds a random session id (HttpOnly, SameSite=Strict), and every form a CSRF
 * token tied to the session. Wall-clock time, at the edge: sessions outlive no simulated day.
 * With several servers on one store the sessions are documents of the store, so any server
 * continues a login made through another.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { StorePort } from '../engine/store-port.ts';
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
  /** Sessions kept at most in memory (the oldest go first), so a flood of logins cannot grow memory. */
  maxSessions?: number;
}

/** Where console sessions live: in this process (one server), or in the store when several servers share it. */
export interface ConsoleSessions {
  create(scope: ConsoleScope, lang: Lang): Promise<ConsoleSession>;
  /** The session, its idle time restarted; undefined when unknown or expired. */
  get(id: string | undefined): Promise<ConsoleSession | undefined>;
  /** Keeps a change of the session's language. */
  setLang(session: ConsoleSession, lang: Lang): Promise<void>;
  end(id: string | undefined): Promise<void>;
}

const DEFAULT_IDLE_MS = 60 * 60_000;

function newSession(scope: ConsoleScope, lang: Lang, expiresAt: number): ConsoleSession {
  return { id: randomBytes(24).toString('base64url'), csrf: randomBytes(24).toString('base64url'), scope, lang, expiresAt };
}

export class MemoryConsoleSessions implements ConsoleSessions {
  private readonly sessions = new Map<string, ConsoleSession>();
  private readonly now: () => number;

  constructor(private readonly options: SessionOptions = {}) {
    this.now = options.nowMs ?? Date.now;
  }

  async create(scope: ConsoleScope, lang: Lang): Promise<ConsoleSession> {
    const session = newSession(scope, lang, this.now() + (this.options.idleMs ?? DEFAULT_IDLE_MS));
    this.sessions.set(session.id, session);
    const max = this.options.maxSessions ?? 10_000;
    for (const id of this.sessions.keys()) {
      if (this.sessions.size <= max) break;
      this.sessions.delete(id);
    }
    return session;
  }

  async get(id: string | undefined): Promise<ConsoleSession | undefined> {
    if (!id) return undefined;
    const session = this.sessions.get(id);
    if (!session) return undefined;
    if (session.expiresAt < this.now()) {
      this.sessions.delete(id);
      return undefined;
    }
    session.expiresAt = this.now() + (this.options.idleMs ?? DEFAULT_IDLE_MS);
    return session;
  }

  async setLang(session: ConsoleSession, lang: Lang): Promise<void> {
    session.lang = lang;
  }

  async end(id: string | undefined): Promise<void> {
    if (id) this.sessions.delete(id);
  }
}

const SESSIONS = 'console/sessions';
/** A stored session's idle time is restarted in the store at most this often (not a write per page). */
const SLIDE_WRITE_MS = 60_000;
/** Session ids are base64url (24 random bytes): anything else is no session, and never a document name. */
const SESSION_ID = /^[A-Za-z0-9_-]{32}$/;

/**
 * Sessions as documents of the store (several servers on one PostgreSQL database, decision
 * 0012): a console login through one server is valid on every other.
 */
export class StoredConsoleSessions implements ConsoleSessions {
  private readonly now: () => number;

  constructor(private readonly store: StorePort, private readonly options: SessionOptions = {}) {
    this.now = options.nowMs ?? Date.now;
  }

  private get idleMs(): number {
    return this.options.idleMs ?? DEFAULT_IDLE_MS;
  }

  async create(scope: ConsoleScope, lang: Lang): Promise<ConsoleSession> {
    const session = newSession(scope, lang, this.now() + this.idleMs);
    await this.store.putMany([{ collection: SESSIONS, id: session.id, value: session }]);
    return session;
  }

  async get(id: string | undefined): Promise<ConsoleSession | undefined> {
    if (!id || !SESSION_ID.test(id)) return undefined;
    const session = (await this.store.get(SESSIONS, id)) as ConsoleSession | undefined;
    if (!session) return undefined;
    const now = this.now();
    if (session.expiresAt < now) {
      await this.store.delete(SESSIONS, id);
      return undefined;
    }
    if (now + this.idleMs - session.expiresAt >= SLIDE_WRITE_MS) {
      session.expiresAt = now + this.idleMs;
      await this.store.putMany([{ collection: SESSIONS, id, value: session }]);
    }
    return session;
  }

  async setLang(session: ConsoleSession, lang: Lang): Promise<void> {
    if (session.lang === lang) return;
    session.lang = lang;
    await this.store.putMany([{ collection: SESSIONS, id: session.id, value: session }]);
  }

  async end(id: string | undefined): Promise<void> {
    if (id && SESSION_ID.test(id)) await this.store.delete(SESSIONS, id);
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
