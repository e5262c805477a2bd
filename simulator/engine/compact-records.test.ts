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

  it('expands exactly when the common value is chosen from a sample (files of more records than it looks at)', () => {
    const seed = Date.now() % 100000;
    console.log(`compact records sampled property seed=${seed}`);
    // Few distinct values, so most cells are a column's common value and the rest differ from it in small ways.
    const small = fc.record({
      id: fc.string({ maxLength: 3 }), status: fc.constantFrom('RECEIVED', 'EXECUTED'), retries: fc.constantFrom(0, 1),
      creditor: fc.record({ kind: fc.constantFrom('iban', 'bankgiro'), account: fc.constantFrom('1', '2') }, { requiredKeys: ['kind'] }),
      history: fc.array(fc.constantFrom({ at: 't', status: 'RECEIVED' }, { status: 'RECEIVED', at: 't' }, { at: 't', status: 'RECEIVED', reason: 'r' }), { maxLength: 2 }),
    }, { requiredKeys: ['id', 'status', 'creditor'] });
    fc.assert(fc.property(fc.array(small, { minLength: 300, maxLength: 1500 }), (records) => {
      const compact = compactRecords(records);
      expect(compact).toBeDefined();
      const expanded = expandRecords<Record<string, unknown>>(JSON.parse(JSON.stringify(compact)));
      expect(expanded).toEqual(records);
      // A value kept whole reads back with its keys in their order (its JSON is the same).
      expect(expanded.map((r) => JSON.stringify(r['history']))).toEqual(records.map((r) => JSON.stringify(r.history)));
    }), { seed, numRuns: 25 });
  });

  it('a value that occurs once, outside the records looked at for the common value, is kept', () => {
    const records = Array.from({ length: 10_000 }, (_, i) => ({ id: `pmt_${i}`, status: i === 4_321 ? 'REJECTED' : 'AWAITING_SIGNATURE', reasons: i === 4_321 ? [{ code: 'AC01', message: 'x' }] : [] }));
    const expanded = expandRecords<(typeof records)[number]>(JSON.parse(JSON.stringify(compactRecords(records))));
    expect(expanded[4_321]).toEqual({ id: 'pmt_4321', status: 'REJECTED', reasons: [{ code: 'AC01', message: 'x' }] });
    expect(expanded).toEqual(records);
  });

  it('declines a null wherever it is in a field (also after values that are not objects)', () => {
    expect(compactRecords([{ a: 1 }, { a: null }])).toBeUndefined();
    expect(compactRecords([{ a: { b: 1 } }, { a: { b: null } }])).toBeUndefined();
  });

  it('declines what it cannot say (null fields, empty nested objects), so the records are stored as they are', () => {
    expect(compactRecords([{ a: null }])).toBeUndefined();
    expect(compactRecords([{ a: {} }])).toBeUndefined();
  });
});
