import { generate } from 'otplib';
import { describe, expect, it } from 'vitest';
import { enrol, newUser, verifyForSigning } from './users.ts';

const NOW = 1_773_650_000_000;
const code = (secret: string, offsetSteps: number) => generate({ secret, epoch: Math.floor(NOW / 1000) + offsetSteps * 30 });

describe('two-step verification for Send and sign', () => {
  it('enrols with an otpauth URI and a ≥16-byte secret', () => {
    const user = newUser('anna@example.se', 'Anna', 'administrator');
    const { secret, uri } = enrol(user);
    expect(uri).toMatch(/^otpauth:\/\/totp\//);
    expect(secret.length).toBeGreaterThanOrEqual(26);
  });

  it('accepts ±1 time step, refuses ±2', async () => {
    for (const [offset, ok] of [[-1, true], [0, true], [1, true], [-2, false], [2, false]] as const) {
      const user = newUser('a', 'A', 'administrator');
      const { secret } = enrol(user);
      expect((await verifyForSigning(user, await code(secret, offset), NOW)).ok, `offset ${offset}`).toBe(ok);
    }
  });

  it('refuses a replayed code and an older one after a newer was used', async () => {
    const user = newUser('a', 'A', 'administrator');
    const { secret } = enrol(user);
    expect(await verifyForSigning(user, await code(secret, 0), NOW)).toEqual({ ok: true });
    expect(await verifyForSigning(user, await code(secret, 0), NOW)).toEqual({ ok: false, reason: 'replayed' });
    expect(await verifyForSigning(user, await code(secret, -1), NOW)).toEqual({ ok: false, reason: 'replayed' });
    expect(await verifyForSigning(user, await code(secret, 1), NOW)).toEqual({ ok: true });
  });

  it('locks after 5 failures, for 15 minutes', async () => {
    const user = newUser('a', 'A', 'administrator');
    const { secret } = enrol(user);
    const right = await code(secret, 0);
    const wrong = right === '000000' ? '111111' : '000000';
    for (let i = 0; i < 4; i++) expect(await verifyForSigning(user, wrong, NOW)).toEqual({ ok: false, reason: 'wrong-code' });
    expect(await verifyForSigning(user, wrong, NOW)).toEqual({ ok: false, reason: 'locked' });
    expect(await verifyForSigning(user, right, NOW)).toEqual({ ok: false, reason: 'locked' });
    expect((await verifyForSigning(user, await code(secret, 31), NOW + 15 * 60_000 + 1000)).ok).toBe(true);
  });

  it('only administrators may sign; a user without enrolment cannot', async () => {
    const user = newUser('b', 'B', 'user');
    const { secret } = enrol(user);
    expect(await verifyForSigning(user, await code(secret, 0), NOW)).toEqual({ ok: false, reason: 'not-administrator' });
    expect(await verifyForSigning(newUser('c', 'C', 'administrator'), '123456', NOW)).toEqual({ ok: false, reason: 'not-enrolled' });
  });
});
