/**
 * Internet-bank authentication: password, then a 6-digit TOTP code (otplib, RFC 6238,
 * ±1 step), a code never accepted twice, five wrong codes lock the user for a while. Sessions
 * are server-side; the browser holds an HttpOnly, SameSite=Strict cookie and every form a CSRF
 * token tied to its session. Wall-clock time is used here: an authenticator app on a phone
 * knows nothing of the sandbox's simulated clock.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { generate, verify } from 'otplib';

export interface AuthOptions {
  nowMs?: () => number;
  maxFailures?: number;
  lockMs?: number;
  sessionMs?: number;
}

export interface Session {
  id: string;
  csrf: string;
  bank: string;
  sandboxId: string;
  userId: string;
  /** Password accepted, code still to come. */
  stage: 'password' | 'authenticated';
  expiresAt: number;
  lang: 'sv' | 'en';
}

interface UserState {
  failures: number;
  lockedUntil: number;
  /** Last accepted TOTP time step: codes of this step or older are replays. */
  lastTimeStep: number;
}

export type TotpOutcome = 'ok' | 'wrong' | 'replayed' | 'locked';

export class InternetBankAuth {
  private readonly sessions = new Map<string, Session>();
  private readonly users = new Map<string, UserState>();
  private readonly now: () => number;

  constructor(private readonly options: AuthOptions = {}) {
    this.now = options.nowMs ?? Date.now;
  }

  private user(key: string): UserState {
    let state = this.users.get(key);
    if (!state) {
      state = { failures: 0, lockedUntil: 0, lastTimeStep: -1 };
      this.users.set(key, state);
    }
    return state;
  }

  createSession(init: Omit<Session, 'id' | 'csrf' | 'expiresAt'>): Session {
    const session: Session = { ...init, id: randomBytes(24).toString('base64url'), csrf: randomBytes(24).toString('base64url'), expiresAt: this.now() + (this.options.sessionMs ?? 30 * 60_000) };
    this.sessions.set(session.id, session);
    return session;
  }

  session(id: string | undefined): Session | undefined {
    if (!id) return undefined;
    const session = this.sessions.get(id);
    if (!session) return undefined;
    if (session.expiresAt < this.now()) {
      this.sessions.delete(id);
      return undefined;
    }
    session.expiresAt = this.now() + (this.options.sessionMs ?? 30 * 60_000);
    return session;
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
    if (state.failures >= (this.options.maxFailures ?? 5)) {
      state.lockedUntil = this.now() + (this.options.lockMs ?? 15 * 60_000);
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
