/** putMany on the memory store: a group is stored whole, or — when one value cannot be stored — not at all. */
import { describe, expect, it } from 'vitest';
import { MemoryStore } from './memory.ts';

const unstorable = { amountOre: 10n }; // JSON has no BigInt: serialising it throws

const rows: { name: string; group: { collection: string; id: string; value: unknown }[]; stored: Record<string, unknown> }[] = [
  {
    name: 'a group is stored whole',
    group: [{ collection: 'c', id: 'a', value: { v: 2 } }, { collection: 'd', id: 'b', value: { v: 2 } }],
    stored: { 'c/a': { v: 2 }, 'd/b': { v: 2 } },
  },
  {
    name: 'a group with one unstorable value leaves every document as it was',
    group: [{ collection: 'c', id: 'a', value: { v: 2 } }, { collection: 'd', id: 'b', value: unstorable }, { collection: 'd', id: 'new', value: { v: 2 } }],
    stored: { 'c/a': { v: 1 }, 'd/b': { v: 1 }, 'd/new': undefined },
  },
  {
    name: 'the last write of a document in a group wins',
    group: [{ collection: 'c', id: 'a', value: { v: 2 } }, { collection: 'c', id: 'a', value: { v: 3 } }],
    stored: { 'c/a': { v: 3 }, 'd/b': { v: 1 } },
  },
];

describe('MemoryStore.putMany', () => {
  it.each(rows)('$name', async ({ group, stored }) => {
    const store = new MemoryStore();
    await store.putMany([{ collection: 'c', id: 'a', value: { v: 1 } }, { collection: 'd', id: 'b', value: { v: 1 } }]);
    await store.putMany(group).catch(() => undefined);
    for (const [key, value] of Object.entries(stored)) {
      const [collection = '', id = ''] = key.split('/');
      expect(await store.get(collection, id), key).toEqual(value);
    }
  });

  it('stores copies: changing a value after the call does not change the store', async () => {
    const store = new MemoryStore();
    const value = { v: 1 };
    await store.putMany([{ collection: 'c', id: 'a', value }]);
    value.v = 2;
    expect(await store.get('c', 'a')).toEqual({ v: 1 });
  });
});
