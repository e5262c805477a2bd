/**
 * Acknowledged means durable: a status a read reports is already in the store. The store here
 * holds back every write of a file document until the test lets it through, so "answered
 * before written" would show as a read resolving while the gate is shut.
 */
import { describe, expect, it } from 'vitest';
import { createRandom } from '../../formats/random.ts';
import { pain001For } from '../../test/support/payment-files.ts';
import { MemoryStore } from '../store/memory.ts';
import { Engine } from './bank.ts';
import type { DocumentWrite } from './store-port.ts';

class GatedStore extends MemoryStore {
  gated = false;
  private waiting: (() => void)[] = [];
  private onHeld: (() => void) | undefined;
  /** Resolves once a group with a file document is held at the gate. */
  readonly caught = new Promise<void>((resolve) => (this.onHeld = resolve));

  override async putMany(writes: readonly DocumentWrite[]): Promise<void> {
    if (this.gated && writes.some((w) => w.collection.endsWith('/files'))) {
      await new Promise<void>((resolve) => {
        this.waiting.push(resolve);
        this.onHeld?.();
      });
    }
    await super.putMany(writes);
  }

  open(): void {
    this.gated = false;
    for (const resolve of this.waiting.splice(0)) resolve();
  }

  get held(): number {
    return this.waiting.length;
  }
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('a status read waits for the write of what it reports', () => {
  it('does not answer "validated" while the validated file is still being written', async () => {
    const store = new GatedStore();
    const engine = new Engine({ store, random: createRandom(9), defaultStart: () => '2026-03-12T08:00:00' });
    const created = await engine.createSandbox({ bank: 'swedbank', seed: 9 });
    if (!created.ok) throw new Error(created.message);
    const core = created.value;
    const upload = await engine.submitFile(core.id, Buffer.from(pain001For(core, [{ amountOre: 100, date: '2026-03-16' }])));
    if (!upload.ok) throw new Error(upload.message);

    store.gated = true;
    const validating = engine.settle(core.id);
    await store.caught;
    expect(store.held).toBe(1);
    // The validation is done in memory, its file document not yet written: a read must wait.
    let answered: string | undefined;
    const read = engine.getFile(core.id, upload.value.fileId).then((r) => (answered = r.ok ? r.value.status : r.code));
    for (let i = 0; i < 20; i++) await tick();
    expect(answered).toBeUndefined();

    store.open();
    await validating;
    await read;
    expect(answered).toBe('AWAITING_SIGNATURE');
    expect(((await store.get(`sandboxes/${core.id}/files`, upload.value.fileId)) as { status: string }).status).toBe('AWAITING_SIGNATURE');
  });
});
