/**
 * Hardening defects of the engine (issue 11, by its numbers): each test failed on the code
 * before the fix (1 and 11 by hanging or by replacing the other tenant; 3 and 10 by equality).
 */
import { describe, expect, it } from 'vitest';
import { encodeLatin1 } from '../../formats/bankgirot/fixed-width.ts';
import { writeLb } from '../../formats/bankgirot/lb.ts';
import { createRandom } from '../../formats/random.ts';
import { Engine } from '../../simulator/engine/bank.ts';
import type { SandboxCore } from '../../simulator/engine/model.ts';
import { MemoryStore } from '../../simulator/store/memory.ts';

function engine(seed = 1): Engine {
  return new Engine({ store: new MemoryStore(), random: createRandom(seed), defaultStart: () => '2026-03-12T08:00:00' });
}

async function sandbox(e: Engine, input: Parameters<Engine['createSandbox']>[0]): Promise<SandboxCore> {
  const created = await e.createSandbox(input);
  if (!created.ok) throw new Error(created.message);
  return created.value;
}

/** Resolves with the promise's value, or 'hung' if it has not settled in `ms`. */
function within<T>(promise: Promise<T>, ms: number): Promise<T | 'hung'> {
  return Promise.race([promise, new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), ms).unref())]);
}

describe('1: one sandbox cannot freeze the server', () => {
  it('a clock near year 9999 is refused, and an advance to 31 December 9999 returns at once', async () => {
    const e = engine();
    const late = await within(e.createSandbox({ bank: 'swedbank', start: '9999-12-30T08:00:00' }), 2000);
    expect(late === 'hung' || late.ok).toBe(false);
    const s = await sandbox(e, { bank: 'swedbank' });
    const advanced = await within(e.advanceClock(s.id, { to: '9999-12-31T23:00:00' }), 2000);
    expect(advanced === 'hung' || advanced.ok).toBe(false);
    expect(e.sandbox(s.id)?.now).toBe('2026-03-12T08:00:00');
  });

  it('one advance is bounded (3,660 days), also through the engine', async () => {
    const e = engine();
    const s = await sandbox(e, { bank: 'sparbanken' });
    const far = await e.advanceClock(s.id, { days: 3661 });
    expect(far.ok).toBe(false);
    const twenty = await e.advanceClock(s.id, { to: '2046-03-12T08:00:00' });
    expect(twenty.ok).toBe(false);
    expect(e.sandbox(s.id)?.now).toBe('2026-03-12T08:00:00');
  });
});

describe('3: a seed reproduces a sandbox, never another tenant\'s login', () => {
  it('two sandboxes with the same seed: same company, different user ids, passwords and TOTP secrets', async () => {
    const e = engine(7);
    const a = await sandbox(e, { bank: 'swedbank', seed: 4242 });
    const b = await sandbox(e, { bank: 'swedbank', seed: 4242 });
    expect(b.company).toEqual(a.company);
    for (const [i, user] of a.users.entries()) {
      const other = b.users[i];
      expect(other?.name).toBe(user.name);
      expect(other?.id).not.toBe(user.id);
      expect(other?.password).not.toBe(user.password);
      expect(other?.totpSecret).not.toBe(user.totpSecret);
    }
    const ids = [a, b].flatMap((s) => s.users.map((u) => u.id));
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('10: LB files in a currency the bank does not take are not signable', () => {
  const lb = (core: SandboxCore, currency: string) => encodeLatin1(writeLb({ records: [
    { type: '11', senderBankgiro: core.company.bankgiro.padStart(10, '0'), fileDate: '260312', product: 'LEVERANTÖRSBETALNINGAR', paymentDate: '', currency },
    { type: '14', payee: '0009912346', reference: '1234574', amountOre: 1_250_00, paymentDate: '260316', information: `Faktura ${currency}` },
    { type: '29', senderBankgiro: core.company.bankgiro.padStart(10, '0'), paymentCount: 1, totalOre: 1_250_00 },
  ] }));

  it.each([['swedbank', 'USD'], ['swedbank', 'XYZ'], ['sparbanken', 'EUR']] as const)('%s, %s: every payment RJCT (AM11), the file cannot be signed', async (bank, currency) => {
    const e = engine();
    const s = await sandbox(e, { bank });
    const up = await e.submitFile(s.id, lb(s, currency));
    if (!up.ok) throw new Error(up.message);
    const file = await e.getFile(s.id, up.value.fileId);
    if (!file.ok) throw new Error(file.message);
    expect(file.value.status).toBe('REJECTED');
    expect(file.value.payments.every((p) => p.status === 'REJECTED' && p.reasons.some((r) => r.code === 'AM11'))).toBe(true);
    const signed = await e.signFile(s.id, up.value.fileId, { channel: 'in-app', signedBy: 'x', role: 'administrator' });
    expect(signed.ok).toBe(false);
  });

  it('SEK (and EUR at Swedbank) still go to signing', async () => {
    const e = engine();
    const s = await sandbox(e, { bank: 'swedbank' });
    for (const currency of ['SEK', 'EUR']) {
      const up = await e.submitFile(s.id, lb(s, currency));
      if (!up.ok) throw new Error(up.message);
      const file = await e.getFile(s.id, up.value.fileId);
      expect(file.ok && file.value.status).toBe('AWAITING_SIGNATURE');
    }
  });
});

describe('11: a fixed API key never replaces another tenant\'s sandbox', () => {
  it('is refused while another sandbox holds it; only the named sandbox is replaced', async () => {
    const e = engine();
    const first = await sandbox(e, { bank: 'swedbank', apiKey: 'sk_test_fixed_key_0000000000000000' });
    const second = await e.createSandbox({ bank: 'swedbank', apiKey: 'sk_test_fixed_key_0000000000000000' });
    expect(second.ok).toBe(false);
    expect(e.sandbox(first.id)).toBeDefined();
    const replaced = await sandbox(e, { bank: 'swedbank', apiKey: 'sk_test_fixed_key_0000000000000000', replaces: first.id });
    expect(e.sandbox(first.id)).toBeUndefined();
    expect(e.sandboxForKey('sk_test_fixed_key_0000000000000000')?.id).toBe(replaced.id);
  });
});
