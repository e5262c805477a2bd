import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseBgMax } from './bgmax.ts';
import { BGMAX_RECORDS } from './bgmax-layout.ts';
import { field } from './fixed-width.ts';

const sample = readFileSync(new URL('./testdata/incoming.bgmax.txt', import.meta.url), 'latin1');
const records = sample.split(/\r?\n/).filter((l) => l.trim() !== '').map((l) => l.padEnd(80));
const value = (record: string, name: string) => {
  const f = BGMAX_RECORDS[record.slice(0, 2)]?.fields.find((x) => x.en === name);
  if (!f) throw new Error(`no field ${name}`);
  return field(record, f.from, f.to).trim();
};

describe('BgMax record layouts as data', () => {
  it('name every record type the parser reads, each field inside the 80 characters', () => {
    for (const layout of Object.values(BGMAX_RECORDS)) {
      for (const f of layout.fields) expect(f.from <= f.to && f.to <= 80).toBe(true);
    }
    for (const r of records) expect(BGMAX_RECORDS[r.slice(0, 2)], r.slice(0, 2)).toBeDefined();
  });

  it('read the same values as the parser', () => {
    const parsed = parseBgMax(sample).value;
    if (!parsed) throw new Error('sample does not parse');
    const payment = parsed.sections[0]?.payments[0];
    const firstPayment = records.find((r) => r.startsWith('20')) as string;
    expect(Number(value(firstPayment, 'Amount (öre)'))).toBe(payment?.amountOre);
    expect(value(firstPayment, 'Reference')).toBe(payment?.reference);
    expect(value(firstPayment, 'BGC serial number')).toBe(payment?.bgcSerialNumber);
    const deposit = records.find((r) => r.startsWith('15')) as string;
    expect(Number(value(deposit, 'Deposit amount (öre)'))).toBe(parsed.sections[0]?.deposit?.amountOre);
    const end = records.find((r) => r.startsWith('70')) as string;
    expect(Number(value(end, 'Number of payment records'))).toBe(parsed.trailer.paymentCount);
  });
});
