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
import type { AuthState, UserState } from './auth-state.ts';
import { MemoryAuthState } from './auth-state.ts';

export interface AuthOptions {
  nowMs?: () => number;
  /** Where sessions and failure counters live (default: this process; several servers on one store share a stored one). */
  state?: AuthState;
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

export type TotpOutcome = 'ok' | 'wrong' | 'replayed' | 'locked';
export type PasswordOutcome = 'ok' | 'wrong' | 'locked';

export class InternetBankAuth {
  private readonly state: AuthState;
  private readonly now: () => number;

  constructor(private readonly options: AuthOptions = {}) {
    this.now = options.nowMs ?? Date.now;
    this.state = options.state ?? new MemoryAuthState(this.now);
  }

  private setting<K extends keyof typeof DEFAULTS>(key: K): number {
    return this.options[key] ?? DEFAULTS[key];
  }

  async createSession(init: Omit<Session, 'id' | 'csrf' | 'expiresAt' | 'endsAt'>): Promise<Session> {
    const now = this.now();
    const lifetime = init.stage === 'password' ? this.setting('passwordStageMs') : this.setting('sessionMaxMs');
    const idle = init.stage === 'password' ? this.setting('passwordStageMs') : this.setting('sessionMs');
    const session: Session = { ...init, id: randomBytes(24).toString('base64url'), csrf: randomBytes(24).toString('base64url'), expiresAt: now + idle, endsAt: now + lifetime };
    await this.state.putSession(session);
    return session;
  }

  async session(id: string | undefined): Promise<Session | undefined> {
    if (!id) return undefined;
    const session = await this.state.getSession(id);
    if (!session) return undefined;
    const now = this.now();
    if (session.expiresAt < now || session.endsAt < now) {
      await this.state.deleteSession(id);
      return undefined;
    }
    if (session.stage === 'authenticated') {
      const expiresAt = Math.min(now + this.setting('sessionMs'), session.endsAt);
      // Stored again only when the idle deadline moved noticeably: a page view is not a write.
      const moved = expiresAt - session.expiresAt > 60_000;
      session.expiresAt = expiresAt;
      if (moved) await this.state.putSession(session);
    }
    return session;
  }

  /** Stores a change to a session (its language). */
  async save(session: Session): Promise<void> {
    await this.state.putSession(session);
  }

  /** Records a password attempt; a locked user id is refused even with the right password. */
  async passwordAttempt(userKey: string, correct: boolean): Promise<PasswordOutcome> {
    return this.state.updateUser(userKey, (state) => {
      if (state.lockedUntil > this.now()) return 'locked';
      if (correct) return 'ok';
      const outcome = this.fail(state, 'wrong');
      return outcome === 'locked' ? 'locked' : 'wrong';
    });
  }

  async end(id: string | undefined): Promise<void> {
    if (id) await this.state.deleteSession(id);
  }

  checkCsrf(session: Session | undefined, token: unknown): boolean {
    if (!session || typeof token !== 'string' || token.length !== session.csrf.length) return false;
    return timingSafeEqual(Buffer.from(token), Buffer.from(session.csrf));
  }

  async lockedUntil(userKey: string): Promise<number | undefined> {
    return this.state.updateUser(userKey, (state) => (state.lockedUntil > this.now() ? state.lockedUntil : undefined));
  }

  async verifyTotp(userKey: string, secret: string, code: string): Promise<TotpOutcome> {
    const epoch = Math.floor(this.now() / 1000);
    const result = /^\d{6}$/.test(code) ? await verify({ secret, token: code, epoch, epochTolerance: 30 }) : { valid: false as const };
    // The replay check and the counters change together, alone for this user across servers.
    return this.state.updateUser(userKey, (state) => {
      if (state.lockedUntil > this.now()) return 'locked';
      if (result.valid && 'timeStep' in result && typeof result.timeStep === 'number') {
        if (result.timeStep <= state.lastTimeStep) return this.fail(state, 'replayed');
        state.lastTimeStep = result.timeStep;
        state.failures = 0;
        return 'ok';
      }
      return this.fail(state, 'wrong');
    });
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
