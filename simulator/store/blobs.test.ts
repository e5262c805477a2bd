/**
 * Blobs on both stores, through the port: nothing is visible before `commit`, `abort` leaves
 * nothing, deleting a document or a collection takes its blobs; on disk, a blob that was still
 * being written when the process died is gone when the directory is opened again.
 */
import { mkdtempSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { StorePort } from '../engine/store-port.ts';
import { LowdbStore } from './lowdb.ts';
import { MemoryStore } from './memory.ts';

const stores: [string, () => StorePort][] = [
  ['memory', () => new MemoryStore()],
  ['lowdb', () => new LowdbStore(mkdtempSync(join(tmpdir(), 'sandbank-blobs-')))],
];

describe.each(stores)('blobs on the %s store', (_name, make) => {
  it('are visible only once committed, whole, under their id', async () => {
    const store = make();
    const blob = await store.openBlob('sandboxes/s1/raw');
    await blob.write(Buffer.from('<Document>'));
    await blob.write(Buffer.from('</Document>'));
    expect(await store.getBlob('sandboxes/s1/raw', 'pf_1')).toBeUndefined();
    await blob.commit('pf_1');
    expect(Buffer.from((await store.getBlob('sandboxes/s1/raw', 'pf_1')) ?? []).toString()).toBe('<Document></Document>');
    // Blobs are not documents: listing the collection does not show them.
    expect(await store.list('sandboxes/s1/raw')).toEqual([]);
  });

  it('leave nothing when aborted', async () => {
    const store = make();
    const blob = await store.openBlob('sandboxes/s1/raw');
    await blob.write(Buffer.from('half a file'));
    await blob.abort();
    expect(await store.getBlob('sandboxes/s1/raw', 'pf_1')).toBeUndefined();
  });

  it('go with their document and with their collection', async () => {
    const store = make();
    for (const id of ['pf_1', 'pf_2']) {
      const blob = await store.openBlob('sandboxes/s1/raw');
      await blob.write(Buffer.from(id));
      await blob.commit(id);
    }
    await store.delete('sandboxes/s1/raw', 'pf_1');
    expect(await store.getBlob('sandboxes/s1/raw', 'pf_1')).toBeUndefined();
    expect(await store.getBlob('sandboxes/s1/raw', 'pf_2')).toBeDefined();
    await store.putMany([{ collection: 'sandboxes/s1/files', id: 'pf_2', value: {} }]);
    await store.deleteCollection('sandboxes/s1');
    expect(await store.getBlob('sandboxes/s1/raw', 'pf_2')).toBeUndefined();
    expect(await store.get('sandboxes/s1/files', 'pf_2')).toBeUndefined();
  });
});

describe('blobs on disk after a crash', () => {
  it('a blob still being written is removed when the directory is opened again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sandbank-blobs-'));
    // What a kill -9 mid-upload leaves: a temporary file, never renamed under an id.
    mkdirSync(join(dir, '.uploads'));
    writeFileSync(join(dir, '.uploads', 'a1b2c3.tmp'), 'half a file');
    const store = new LowdbStore(dir);
    expect(await store.list('sandboxes')).toEqual([]);
    expect(readdirSync(dir).includes('.uploads') ? readdirSync(join(dir, '.uploads')) : []).toEqual([]);
  });
});
