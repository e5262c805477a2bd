/**
 * Where the internet bank keeps its sessions and each user id's failure counters: in this
 * process (one server), or in the store when several servers share it (decision 0012), so a
 * session opened through one server works through the next and five wrong codes lock a user
 * id whichever servers they went to.
 */
import { createHash } from 'node:crypto';
import type { StorePort } from '../engine/store-port.ts';
import type { Session } from './auth.ts';

export interface UserState {
  failures: number;
  lockedUntil: number;
  /** Last accepted TOTP time step: codes of this step or older are replays. */
  lastTimeStep: number;
}

export interface AuthState {
  getSession(id: string): Promise<Session | undefined>;
  putSession(session: Session): Promise<void>;
  deleteSession(id: string): Promise<void>;
  /** Runs `fn` on a user id's counters, alone for that user id, and keeps what it changed. */
  updateUser<T>(key: string, fn: (state: UserState) => T): Promise<T>;
}

const fresh = (): UserState => ({ failures: 0, lockedUntil: 0, lastTimeStep: -1 });

/** Failure counters kept at most (the oldest unlocked ones go first): memory stays bounded. */
const MAX_TRACKED_USERS = 10_000;

export class MemoryAuthState implements AuthState {
  private readonly sessions = new Map<string, Session>();
  private readonly users = new Map<string, UserState>();

  constructor(private readonly now: () => number) {}

  async getSession(id: string): Promise<Session | undefined> {
    return this.sessions.get(id);
  }

  async putSession(session: Session): Promise<void> {
    this.sweep();
    this.sessions.set(session.id, session);
  }

  async deleteSession(id: string): Promise<void> {
    this.sessions.delete(id);
  }

  async updateUser<T>(key: string, fn: (state: UserState) => T): Promise<T> {
    let state = this.users.get(key);
    if (!state) {
      if (this.users.size >= MAX_TRACKED_USERS) this.forgetOldest();
      state = fresh();
      this.users.set(key, state);
    }
    return fn(state);
  }

  private sweep(): void {
    if (this.sessions.size < 1000) return;
    const now = this.now();
    for (const [id, session] of this.sessions) if (session.expiresAt < now || session.endsAt < now) this.sessions.delete(id);
  }

  private forgetOldest(): void {
    for (const [key, state] of this.users) {
      if (state.lockedUntil <= this.now() && state.lastTimeStep < 0) {
        this.users.delete(key);
        return;
      }
    }
  }
}

const SESSIONS = 'internetbank/sessions';
const USERS = 'internetbank/users';

/** A user id as typed may hold any character: its document is named by a digest. */
const userDocument = (key: string) => createHash('sha256').update(key).digest('hex').slice(0, 40);

export class StoredAuthState implements AuthState {
  constructor(private readonly store: StorePort) {}

  async getSession(id: string): Promise<Session | undefined> {
    // Session ids are base64url: safe as document names.
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) return undefined;
    return (await this.store.get(SESSIONS, id)) as Session | undefined;
  }

  async putSession(session: Session): Promise<void> {
    await this.store.putMany([{ collection: SESSIONS, id: session.id, value: session }]);
  }

  async deleteSession(id: string): Promise<void> {
    if (/^[A-Za-z0-9_-]{1,64}$/.test(id)) await this.store.delete(SESSIONS, id);
  }

  async updateUser<T>(key: string, fn: (state: UserState) => T): Promise<T> {
    const id = userDocument(key);
    // The store's per-key lock: two servers counting the same user id's failures take turns.
    const { value } = await this.store.transaction(`internetbank:${id}`, async (tx) => {
      const state = ((await tx.get(USERS, id)) as UserState | undefined) ?? fresh();
      const before = JSON.stringify(state);
      const result = fn(state);
      if (JSON.stringify(state) !== before) await tx.putMany([{ collection: USERS, id, value: state }]);
      return result;
    });
    return value;
  }
}
