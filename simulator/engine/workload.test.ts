/**
 * A seeded random workload against the engine with the invariant checker after every
 * operation: finds what the lifecycle tables miss. Prints its seed; rerun with
 * SANDBANK_SEED=<seed> to replay a failure.
 */
import { describe, expect, it } from 'vitest';
import { createRandom } from '../../formats/random.ts';
import { pain001For } from '../../test/support/payment-files.ts';
import { MemoryStore } from '../store/memory.ts';
import { Engine } from './bank.ts';
import { addDays } from './calendar.ts';
import { checkInvariants } from './invariants.ts';

describe.each(['swedbank', 'sparbanken'] as const)('random workload at %s', (bank) => {
  it('keeps every invariant through 300 random operations', async () => {
    const seed = Number(process.env['SANDBANK_SEED'] ?? Date.now() % 1_000_000);
    console.log(`workload ${bank} seed=${seed}`);
    const random = createRandom(seed);
    const engine = new Engine({ store: new MemoryStore(), random: createRandom(seed + 1), defaultStart: () => '2026-03-02T08:00:00' });
    const created = await engine.createSandbox({ bank, seed, openingBalancesOre: [random.int(0, 5_000_000), random.int(0, 100_000)] });
    if (!created.ok) throw new Error(created.message);
    const sandbox = created.value;
    const fileIds: string[] = [];
    for (let step = 0; step < 300; step++) {
      const op = random.int(0, 9);
      const today = sandbox.now.slice(0, 10);
      if (op <= 2) {
        const n = random.int(1, 4);
        const payments = Array.from({ length: n }, (_, i) => ({
          amountOre: random.int(1, 2_000_000),
          date: addDays(today, random.int(-2, 20)),
          endToEndId: `W${step}-${i}`,
          ...(random.int(0, 9) === 0 ? { bankgiro: '50501056' } : {}),
        }));
        const r = await engine.submitFile(sandbox.id, Buffer.from(pain001For(sandbox, payments, { messageId: `W-${step}`, accountIndex: random.int(0, 1) })));
        if (r.ok) fileIds.push(r.value.fileId);
      } else if (op <= 4 && fileIds.length > 0) {
        await engine.signFile(sandbox.id, random.pick(fileIds), { channel: random.pick(['in-app', 'internet-bank'] as const), signedBy: 'W', role: 'administrator' });
      } else if (op === 5) {
        const payments = await engine.listPayments(sandbox.id);
        if (payments.ok && payments.value.length > 0) await engine.requestCancellation(sandbox.id, [random.pick(payments.value).id], 'api');
      } else if (op === 6) {
        await engine.incomingPayment(sandbox.id, { amountOre: random.int(1, 1_000_000), reference: '1234574' });
      } else if (op === 7 && fileIds.length > 0 && random.int(0, 3) === 0) {
        await engine.rejectFile(sandbox.id, random.pick(fileIds), 'W');
      } else {
        await engine.advanceClock(sandbox.id, { days: random.int(0, 3) });
        if (random.int(0, 1) === 0) await engine.advanceClock(sandbox.id, { to: `${sandbox.now.slice(0, 10)}T${String(random.int(8, 23)).padStart(2, '0')}:00:00` > sandbox.now ? `${sandbox.now.slice(0, 10)}T${String(random.int(8, 23)).padStart(2, '0')}:00:00` : sandbox.now });
      }
      await engine.settle(sandbox.id);
      expect(await checkInvariants(engine, sandbox.id), `seed ${seed} step ${step}`).toEqual([]);
    }
    // Given time, every signed payment ends final.
    await engine.advanceClock(sandbox.id, { days: 60 });
    const payments = await engine.listPayments(sandbox.id);
    if (!payments.ok) throw new Error('no payments');
    expect(payments.value.filter((p) => p.status === 'SCHEDULED'), `seed ${seed}`).toEqual([]);
    expect(await checkInvariants(engine, sandbox.id)).toEqual([]);
  });
});
