/** The process-local transactions of the memory and lowdb stores: queued per sandbox, versioned per write. */
import { describe, expect, it } from 'vitest';
import { LocalTransactions } from './local-transactions.ts';
import { MemoryStore } from './memory.ts';

describe('LocalTransactions', () => {
  it('runs one sandbox\'s transactions one after another and bumps the version once per writing one', async () => {
    const store = new MemoryStore();
    const local = new LocalTransactions(store);
    const increment = () => local.run('s1', async (tx) => {
      const n = ((await tx.get('c', 'n')) as number | undefined) ?? 0;
      await new Promise((resolve) => setImmediate(resolve));
      await tx.putMany([{ collection: 'c', id: 'n', value: n + 1 }]);
      return n + 1;
    });
    const results = await Promise.all(Array.from({ length: 10 }, increment));
    expect(results.map((r) => [r.value, r.version])).toEqual(Array.from({ length: 10 }, (_, i) => [i + 1, i + 1]));
    expect(local.version('s1')).toBe(10);
    expect(local.version('other')).toBe(0);
    expect((await local.run('s1', async (tx) => tx.version)).version).toBe(10);
  });

  it('a transaction that fails after writing moves the version (the store may keep part of it); the next one still runs', async () => {
    const local = new LocalTransactions(new MemoryStore());
    await expect(local.run('s1', async (tx) => {
      await tx.putMany([{ collection: 'c', id: 'a', value: 1 }]);
      throw new Error('cut short');
    })).rejects.toThrow('cut short');
    expect(local.version('s1')).toBe(1);
    expect((await local.run('s1', async () => 'next')).value).toBe('next');
  });
});
