/**
 * putMany on the lowdb store, through real files: a group is journaled before any document
 * is written, so a group cut short (here: a document that cannot be written) is completed
 * when the directory is opened again, and a group that could not be journaled touches nothing.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LowdbStore } from './lowdb.ts';

function freshDir(): string {
  return mkdtempSync(join(tmpdir(), 'sandbank-lowdb-'));
}

describe('LowdbStore.putMany', () => {
  it('stores a group whole and leaves no journal behind', async () => {
    const dir = freshDir();
    const store = new LowdbStore(dir);
    await store.putMany([{ collection: 'sandboxes/s1/files', id: 'pf_1', value: { n: 1 } }, { collection: 'sandboxes', id: 's1', value: { n: 1 } }]);
    const reopened = new LowdbStore(dir);
    expect(await reopened.get('sandboxes/s1/files', 'pf_1')).toEqual({ n: 1 });
    expect(await reopened.get('sandboxes', 's1')).toEqual({ n: 1 });
    expect(readdirSync(join(dir, '.journal'))).toEqual([]);
  });

  it('a group cut short after its journal is completed when the store is opened again', async () => {
    const dir = freshDir();
    const store = new LowdbStore(dir);
    await store.putMany([{ collection: 'c', id: 'a', value: { v: 1 } }, { collection: 'c', id: 'b', value: { v: 1 } }]);
    // A directory where document b's file goes: writing b fails, as a crash mid-group would leave it.
    rmSync(join(dir, 'c', 'b.json'));
    mkdirSync(join(dir, 'c', 'b.json'));
    await expect(store.putMany([{ collection: 'c', id: 'a', value: { v: 2 } }, { collection: 'c', id: 'b', value: { v: 2 } }])).rejects.toThrow();
    expect(readdirSync(join(dir, '.journal'))).toHaveLength(1);
    rmSync(join(dir, 'c', 'b.json'), { recursive: true });
    const reopened = new LowdbStore(dir);
    expect(await reopened.get('c', 'a')).toEqual({ v: 2 });
    expect(await reopened.get('c', 'b')).toEqual({ v: 2 });
    expect(readdirSync(join(dir, '.journal'))).toEqual([]);
  });

  it('a group that cannot be journaled leaves every document as it was', async () => {
    const dir = freshDir();
    const store = new LowdbStore(dir);
    await store.putMany([{ collection: 'c', id: 'a', value: { v: 1 } }, { collection: 'c', id: 'b', value: { v: 1 } }]);
    await expect(store.putMany([{ collection: 'c', id: 'a', value: { v: 2 } }, { collection: 'c', id: 'b', value: { amountOre: 10n } }])).rejects.toThrow();
    await expect(store.putMany([{ collection: 'c', id: 'a', value: { v: 2 } }, { collection: '../escape', id: 'b', value: { v: 2 } }])).rejects.toThrow(/unsafe store name/);
    const reopened = new LowdbStore(dir);
    expect(await reopened.get('c', 'a')).toEqual({ v: 1 });
    expect(await reopened.get('c', 'b')).toEqual({ v: 1 });
  });

  it('a journal that was never renamed into place (a crash while journaling) is ignored', async () => {
    const dir = freshDir();
    const store = new LowdbStore(dir);
    await store.putMany([{ collection: 'c', id: 'a', value: { v: 1 } }, { collection: 'c', id: 'b', value: { v: 1 } }]);
    // steno writes `.<name>.tmp` first and renames it; a crash in between leaves only the temp file.
    writeFileSync(join(dir, '.journal', '.g_000000000009.json.tmp'), JSON.stringify({ writes: [{ collection: 'c', id: 'a', value: { v: 9 } }] }));
    const reopened = new LowdbStore(dir);
    expect(await reopened.get('c', 'a')).toEqual({ v: 1 });
  });
});
