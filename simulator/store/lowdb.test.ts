/**
 * putMany on the lowdb store, through real files: a group's documents are written into its
 * journal directory and its index last, before any document is replaced, so a group cut short
 * (here: a document that cannot be renamed into place) is completed when the directory is
 * opened again, and a group whose index was never written touches nothing.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

  it('a group whose index was written is finished on open, whichever renames were done; one without an index is dropped', async () => {
    const dir = freshDir();
    const store = new LowdbStore(dir);
    await store.putMany([{ collection: 'c', id: 'a', value: { v: 1 } }, { collection: 'c', id: 'b', value: { v: 1 } }]);
    // A crash after the index and the first rename: a is in place, b still in the group.
    const done = join(dir, '.journal', 'g_000000000007');
    mkdirSync(done, { recursive: true });
    writeFileSync(join(dir, 'c', 'a.json'), JSON.stringify({ value: { v: 2 } }));
    writeFileSync(join(done, '1.json'), JSON.stringify({ value: { v: 2 } }));
    writeFileSync(join(done, 'index.json'), JSON.stringify({ renames: [{ file: '0.json', collection: 'c', id: 'a' }, { file: '1.json', collection: 'c', id: 'b' }] }));
    // A crash before its index: never acknowledged.
    const cut = join(dir, '.journal', 'g_000000000008');
    mkdirSync(cut);
    writeFileSync(join(cut, '0.json'), JSON.stringify({ value: { v: 9 } }));
    const reopened = new LowdbStore(dir);
    expect(await reopened.get('c', 'a')).toEqual({ v: 2 });
    expect(await reopened.get('c', 'b')).toEqual({ v: 2 });
    expect(readdirSync(join(dir, '.journal'))).toEqual([]);
  });

  it('finishes a journal of an earlier version (the documents inside it)', async () => {
    const dir = freshDir();
    mkdirSync(join(dir, '.journal'), { recursive: true });
    writeFileSync(join(dir, '.journal', 'g_000000000003.json'), JSON.stringify({ writes: [{ collection: 'c', id: 'a', value: { v: 3 } }, { collection: 'd', id: 'b', value: { v: 3 } }] }));
    const store = new LowdbStore(dir);
    expect(await store.get('c', 'a')).toEqual({ v: 3 });
    expect(await store.get('d', 'b')).toEqual({ v: 3 });
    expect(readdirSync(join(dir, '.journal'))).toEqual([]);
  });

  it('writes each document of a group once: the index names the files, it does not hold the documents', async () => {
    const dir = freshDir();
    const store = new LowdbStore(dir);
    const big = 'x'.repeat(100_000);
    // b cannot be renamed into place (a directory is there), so the group stays for inspection.
    mkdirSync(join(dir, 'c', 'b.json'), { recursive: true });
    await expect(store.putMany([{ collection: 'c', id: 'a', value: { big } }, { collection: 'c', id: 'b', value: { v: 1 } }])).rejects.toThrow();
    const [group] = readdirSync(join(dir, '.journal'));
    const index = readFileSync(join(dir, '.journal', group ?? '', 'index.json'), 'utf8');
    expect(index.length).toBeLessThan(1000);
    expect(index).not.toContain('xxx');
    expect(await store.get('c', 'a')).toEqual({ big });
  });
});
