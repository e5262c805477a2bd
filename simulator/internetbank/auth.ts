/**
 * Internet-bank authentication: password, then a 6-digit TOTP code (otplib, RFC 6238,
 * ±1 step), a code never accepted twice. Wrong passwords and wrong codes count together: five
 * lock the user id for a while (known or not, so the lock tells nothing about which ids
 * exist). Sessions are server-side with an idle timeout and an absolute lifetime; a session
 * that has only passed the password step lives minutes and can do nothing but enter a code.
 * The browser holds an HttpOnly, SameSite=Strict cookie and every form a CSRF token tied to its
 * session. Wall-clock time is used here: an authenticator app on a phone knows nothing of the
 * sandbox's simulated clock.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { generate, verify } from 'otplib';

export interface AuthOptions {
  nowMs?: () => number;
  maxFailures?: number;
  lockMs?: number;
  /** Idle timeout of a logged-in session. */
  sessionMs?: number;
  /** Absolute lifetime of a logged-in session, however active. */
  sessionMaxMs?: number;
  /** Lifetime of a session between the password and the code. */
  passwordStageMs?: number;
}

const DEFAULTS = { maxFailures: 5, lockMs: 15 * 60_000, sessionMs: 30 * 60_000, sessionMaxMs: 8 * 3600_000, passwordStageMs: 5 * 60_000 };
/** Failure counters kept at most (the oldest unlocked ones go first): memory stays bounded. */
const MAX_TRACKED_USERS = 10_000;

export interface Session {
  id: string;
  csrf: string;
  bank: string;
  sandboxId: string;
  userId: string;
  /** Password accepted, code still to come. */
  stage: 'password' | 'authenticated';
  expiresAt: number;
  /** The session ends then, however active (absolute lifetime). */
  endsAt: number;
  lang: 'sv' | 'en';
}

interface UserState {
  failures: number;
  lockedUntil: number;
  /** Last accepted TOTP time step: codes of this step or older are replays. */
  lastTimeStep: number;
}

export type TotpOutcome = 'ok' | 'wrong' | 'replayed' | 'locked';
export type PasswordOutcome = 'ok' | 'wrong' | 'locked';

export class InternetBankAuth {
  private readonly sessions = new Map<string, Session>();
  private readonly users = new Map<string, UserState>();
  private readonly now: () => number;

  constructor(private readonly options: AuthOptions = {}) {
    this.now = options.nowMs ?? Date.now;
  }

  private setting<K extends keyof typeof DEFAULTS>(key: K): number {
    return this.options[key] ?? DEFAULTS[key];
  }

  private user(key: string): UserState {
    let state = this.users.get(key);
    if (!state) {
      if (this.users.size >= MAX_TRACKED_USERS) this.forgetOldest();
      state = { failures: 0, lockedUntil: 0, lastTimeStep: -1 };
      this.users.set(key, state);
    }
    return state;
  }

  private forgetOldest(): void {
    for (const [key, state] of this.users) {
      if (state.lockedUntil <= this.now() && state.lastTimeStep < 0) {
        this.users.delete(key);
        return;
      }
    }
  }

  createSession(init: Omit<Session, 'id' | 'csrf' | 'expiresAt' | 'endsAt'>): Session {
    const now = this.now();
    this.sweep(now);
    const lifetime = init.stage === 'password' ? this.setting('passwordStageMs') : this.setting('sessionMaxMs');
    const idle = init.stage === 'password' ? this.setting('passwordStageMs') : this.setting('sessionMs');
    const session: Session = { ...init, id: randomBytes(24).toString('base64url'), csrf: randomBytes(24).toString('base64url'), expiresAt: now + idle, endsAt: now + lifetime };
    this.sessions.set(session.id, session);
    return session;
  }

  session(id: string | undefined): Session | undefined {
    if (!id) return undefined;
    const session = this.sessions.get(id);
    if (!session) return undefined;
    const now = this.now();
    if (session.expiresAt < now || session.endsAt < now) {
      this.sessions.delete(id);
      return undefined;
    }
    if (session.stage === 'authenticated') session.expiresAt = Math.min(now + this.setting('sessionMs'), session.endsAt);
    return session;
  }

  private sweep(now: number): void {
    if (this.sessions.size < 1000) return;
    for (const [id, session] of this.sessions) if (session.expiresAt < now || session.endsAt < now) this.sessions.delete(id);
  }

  /** Records a password attempt; a locked user id is refused even with the right password. */
  passwordAttempt(userKey: string, correct: boolean): PasswordOutcome {
    const state = this.user(userKey);
    if (state.lockedUntil > this.now()) return 'locked';
    if (correct) return 'ok';
    const outcome = this.fail(state, 'wrong');
    return outcome === 'locked' ? 'locked' : 'wrong';
  }

  end(id: string | undefined): void {
    if (id) this.sessions.delete(id);
  }

  checkCsrf(session: Session | undefined, token: unknown): boolean {
    if (!session || typeof token !== 'string' || token.length !== session.csrf.length) return false;
    return timingSafeEqual(Buffer.from(token), Buffer.from(session.csrf));
  }

  lockedUntil(userKey: string): number | undefined {
    const state = this.user(userKey);
    return state.lockedUntil > this.now() ? state.lockedUntil : undefined;
  }

  async verifyTotp(userKey: string, secret: string, code: string): Promise<TotpOutcome> {
    const state = this.user(userKey);
    if (state.lockedUntil > this.now()) return 'locked';
    const epoch = Math.floor(this.now() / 1000);
    const result = /^\d{6}$/.test(code) ? await verify({ secret, token: code, epoch, epochTolerance: 30 }) : { valid: false as const };
    if (result.valid && 'timeStep' in result && typeof result.timeStep === 'number') {
      if (result.timeStep <= state.lastTimeStep) return this.fail(state, 'replayed');
      state.lastTimeStep = result.timeStep;
      state.failures = 0;
      return 'ok';
    }
    return this.fail(state, 'wrong');
  }

  private fail(state: UserState, outcome: 'wrong' | 'replayed'): TotpOutcome {
    state.failures++;
    if (state.failures >= this.setting('maxFailures')) {
      state.lockedUntil = this.now() + this.setting('lockMs');
      state.failures = 0;
      return 'locked';
    }
    return outcome;
  }
}

/** The current code for a secret (tests and the sandbox's own demo helpers). */
export async function currentCode(secret: string, epochSeconds = Math.floor(Date.now() / 1000)): Promise<string> {
  return generate({ secret, epoch: epochSeconds });
}
