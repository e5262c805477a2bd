/**
 * Users of the accounting program: roles, two-step enrolment (otplib secret and otpauth URI)
 * and verification with ±1 time step, replay refused, locked after 5 failures. Only
 * administrators may "Send and sign". TOTP runs on wall-clock time (the user's phone).
 */
import { generateSecret, generateURI, verify } from 'otplib';

export interface ClientUser {
  id: string;
  name: string;
  role: 'administrator' | 'user';
  totpSecret?: string;
  lastTimeStep: number;
  failures: number;
  lockedUntilMs: number;
}

export type VerifyOutcome = { ok: true } | { ok: false; reason: 'not-enrolled' | 'wrong-code' | 'replayed' | 'locked' | 'not-administrator' };

export const MAX_FAILURES = 5;
export const LOCK_MS = 15 * 60_000;

export function newUser(id: string, name: string, role: ClientUser['role']): ClientUser {
  return { id, name, role, lastTimeStep: -1, failures: 0, lockedUntilMs: 0 };
}

export function enrol(user: ClientUser, issuer = 'sandbank client'): { secret: string; uri: string } {
  user.totpSecret = generateSecret();
  user.lastTimeStep = -1;
  return { secret: user.totpSecret, uri: generateURI({ issuer, label: user.id, secret: user.totpSecret }) };
}

/** Checks a code for "Send and sign"; mutates the user's replay/lockout state (persist after). */
export async function verifyForSigning(user: ClientUser, code: string, nowMs: number): Promise<VerifyOutcome> {
  if (user.role !== 'administrator') return { ok: false, reason: 'not-administrator' };
  if (!user.totpSecret) return { ok: false, reason: 'not-enrolled' };
  if (user.lockedUntilMs > nowMs) return { ok: false, reason: 'locked' };
  const result = /^\d{6}$/.test(code) ? await verify({ secret: user.totpSecret, token: code, epoch: Math.floor(nowMs / 1000), epochTolerance: 30 }) : { valid: false as const };
  if (result.valid && 'timeStep' in result && typeof result.timeStep === 'number' && result.timeStep > user.lastTimeStep) {
    user.lastTimeStep = result.timeStep;
    user.failures = 0;
    return { ok: true };
  }
  const reason = result.valid ? 'replayed' : 'wrong-code';
  user.failures++;
  if (user.failures >= MAX_FAILURES) {
    user.lockedUntilMs = nowMs + LOCK_MS;
    user.failures = 0;
    return { ok: false, reason: 'locked' };
  }
  return { ok: false, reason };
}
