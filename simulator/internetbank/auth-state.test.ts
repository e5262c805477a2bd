/**
 * Sessions and lockouts kept in the store: two InternetBankAuth instances on one store (as two
 * servers would be) see the same sessions, count failures together, and refuse a replayed code
 * whichever of them saw it first.
 */
import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../store/memory.ts';
import { StoredAuthState } from './auth-state.ts';
import { currentCode, InternetBankAuth } from './auth.ts';

const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

describe('StoredAuthState', () => {
  it('a session created through one server is found, and ended, through another', async () => {
    const store = new MemoryStore();
    const now = () => 1_000_000;
    const a = new InternetBankAuth({ nowMs: now, state: new StoredAuthState(store) });
    const b = new InternetBankAuth({ nowMs: now, state: new StoredAuthState(store) });
    const session = await a.createSession({ bank: 'swedbank', sandboxId: 's', userId: 'u', stage: 'authenticated', lang: 'en' });
    expect((await b.session(session.id))?.userId).toBe('u');
    await b.end(session.id);
    expect(await a.session(session.id)).toBeUndefined();
    expect(await a.session('../../etc/passwd')).toBeUndefined();
  });

  it('failures through two servers add up to one lockout; a code used through one is a replay through the other', async () => {
    const store = new MemoryStore();
    let now = 1_700_000_000_000;
    const a = new InternetBankAuth({ nowMs: () => now, state: new StoredAuthState(store) });
    const b = new InternetBankAuth({ nowMs: () => now, state: new StoredAuthState(store) });
    const code = await currentCode(SECRET, Math.floor(now / 1000));
    expect(await a.verifyTotp('swedbank/u1', SECRET, code)).toBe('ok');
    expect(await b.verifyTotp('swedbank/u1', SECRET, code)).toBe('replayed');
    const outcomes = await Promise.all([0, 1, 2, 3, 4].map((i) => (i % 2 ? a : b).passwordAttempt('swedbank/ü ser/x', false)));
    expect(outcomes.filter((o) => o === 'locked')).toHaveLength(1);
    expect(await a.passwordAttempt('swedbank/ü ser/x', true)).toBe('locked');
    expect(await b.lockedUntil('swedbank/ü ser/x')).toBeGreaterThan(now);
    now += 16 * 60_000;
    expect(await b.passwordAttempt('swedbank/ü ser/x', true)).toBe('ok');
  });
});
