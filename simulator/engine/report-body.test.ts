/**
 * A report body is stored once as a gzip blob: a large one (a 100,000-payment pain.002) is
 * compressed a slice at a time; whatever its size and characters it reads back as written.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LowdbStore } from '../store/lowdb.ts';
import { MemoryStore } from '../store/memory.ts';
import { saveReportBody, storedReportBody } from './persistence.ts';
import type { StorePort } from './store-port.ts';

const stores: [string, () => StorePort][] = [
  ['memory', () => new MemoryStore()],
  ['lowdb', () => new LowdbStore(mkdtempSync(join(tmpdir(), 'sandbank-report-body-')))],
];

describe.each(stores)('report bodies on the %s store', (_name, make) => {
  it('read back exactly as written, small or sliced, with characters of every width across the slice edges', async () => {
    const store = make();
    const mib = 1 << 20;
    // '😀' is a surrogate pair: placed so one pair straddles the first slice edge.
    const large = `${'a'.repeat(mib - 1)}😀${'åäö<x/>'.repeat(300_000)}😀`;
    const small = '<Document>Trävaruhuset 😀</Document>';
    for (const [id, body] of [['rpt_000001', small], ['rpt_000002', large], ['rpt_000003', 'b'.repeat(mib)], ['rpt_000004', 'c'.repeat(mib + 1)]] as const) {
      await saveReportBody(store, 'sbx_1', id, body);
      expect(await storedReportBody(store, 'sbx_1', id)).toBe(body);
    }
    // Stored compressed, not as the text itself.
    expect((await store.getBlob('sandboxes/sbx_1/reports', 'rpt_000002'))?.length).toBeLessThan(large.length / 10);
  });
});
