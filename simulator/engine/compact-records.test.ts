import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compactRecords, expandRecords } from './compact-records.ts';

const value = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.array(fc.record({ at: fc.string(), status: fc.constantFrom('RECEIVED', 'SCHEDULED') })));
const nested = fc.dictionary(fc.constantFrom('kind', 'account', 'name'), value, { minKeys: 1 });
const record = fc.record({
  id: fc.string(), status: fc.constantFrom('RECEIVED', 'EXECUTED'), amountOre: fc.integer(), retries: fc.constantFrom(0, 1),
  creditor: nested, reference: fc.option(nested, { nil: undefined }), history: fc.array(fc.record({ at: fc.string(), status: fc.string() }), { maxLength: 3 }),
  note: fc.option(value, { nil: undefined }),
}, { requiredKeys: ['id', 'status', 'amountOre', 'retries', 'creditor', 'history'] });

describe('compact records (a file\'s payments as stored)', () => {
  it('expands to exactly the records it was made from', () => {
    const seed = Date.now() % 100000;
    console.log(`compact records property seed=${seed}`);
    fc.assert(fc.property(fc.array(record, { maxLength: 30 }), (records) => {
      const compact = compactRecords(records);
      expect(compact).toBeDefined();
      expect(expandRecords(JSON.parse(JSON.stringify(compact)))).toEqual(records);
    }), { seed, numRuns: 200 });
  });

  it('keeps a common value once and gives every expanded record its own copy', () => {
    const history = [{ at: '2026-03-12T08:00:00', status: 'RECEIVED' }];
    const records = Array.from({ length: 100 }, (_, i) => ({ id: `pmt_${i}`, history: structuredClone(history), creditor: { kind: 'bankgiro', account: String(i) } }));
    const compact = compactRecords(records);
    expect(JSON.stringify(compact).length).toBeLessThan(JSON.stringify(records).length / 3);
    const expanded = expandRecords<{ history: unknown[] }>(JSON.parse(JSON.stringify(compact)));
    expanded[0]?.history.push({ at: 'later', status: 'EXECUTED' });
    expect(expanded[1]?.history).toEqual(history);
  });

  it('declines what it cannot say (null fields, empty nested objects), so the records are stored as they are', () => {
    expect(compactRecords([{ a: null }])).toBeUndefined();
    expect(compactRecords([{ a: {} }])).toBeUndefined();
  });
});
