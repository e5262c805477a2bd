/**
 * The stored form of many records of one shape (a file's payments): one column per field
 * (a nested object's fields get columns of their own), each column's common value (the most
 * frequent in a sample of the records) kept once, and per record only what differs. A 10,000-payment file's payments are stored in
 * about a tenth of the bytes of their JSON, which is most of what an upload writes besides
 * its own raw bytes; in memory the records are the same plain objects as before.
 */

/** Marks a field the record does not have (no value read from XML or LB text contains NUL). */
const ABSENT = '\u0000';

export interface CompactRecords {
  compact: 1;
  /** `field` or `field.sub` (a nested object's field). */
  columns: string[];
  /** Each column's most common value (ABSENT: most records lack it). */
  common: unknown[];
  /** Per record, per column: null when the common value, else the value; trailing nulls cut. */
  rows: unknown[][];
}

type Row = Record<string, unknown>;

const isPlainObject = (v: unknown): v is Row => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A value's identity for counting: primitives by themselves, objects and arrays by their JSON. */
function keyOf(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  // Most payments' reasons are empty: no JSON needed to say so.
  return Array.isArray(value) && value.length === 0 ? '\u0001[]' : `\u0001${JSON.stringify(value)}`;
}

/**
 * How many records are looked at to choose a column's common value. The choice only decides
 * how small the stored form is, never what it expands to; counting every record (with an
 * object's JSON as its identity) was most of the cost of storing a 100,000-payment file.
 */
const SAMPLE = 257;

/**
 * A test for "equals this value" that allocates nothing: a record's cell is compared with the
 * column's common value for every record. Objects must have the same keys in the same order
 * (their JSON is then the same), so an expanded record reads back exactly as it was.
 */
function equalsTo(expected: unknown): (value: unknown) => boolean {
  if (typeof expected !== 'object' || expected === null) return (value) => value === expected;
  if (Array.isArray(expected)) {
    const items = expected.map(equalsTo);
    return (value) => {
      if (!Array.isArray(value) || value.length !== items.length) return false;
      for (let i = 0; i < items.length; i++) if (!(items[i] as (v: unknown) => boolean)(value[i])) return false;
      return true;
    };
  }
  const keys = Object.keys(expected);
  const fields = keys.map((key) => equalsTo((expected as Row)[key]));
  return (value) => {
    if (!isPlainObject(value)) return false;
    let i = 0;
    for (const key in value) {
      if (key !== keys[i] || !(fields[i] as (v: unknown) => boolean)(value[key])) return false;
      i++;
    }
    return i === keys.length;
  };
}

interface FieldShape {
  /** Every value present is a plain object: its fields get columns of their own. */
  nested: boolean;
  subs: string[];
  subSeen: Set<string>;
  /** A nested value with no fields, or with a null field: not sayable as columns. */
  unsayable: boolean;
}

/** Undefined when the records hold something this form cannot say (a null field, an empty nested object). */
export function compactRecords(records: readonly Row[]): CompactRecords | undefined {
  // One pass for the shape: the fields in order of first appearance, which of them nest.
  const shapes = new Map<string, FieldShape>();
  for (const record of records) {
    for (const field in record) {
      const value = record[field];
      let shape = shapes.get(field);
      if (!shape) {
        shape = { nested: true, subs: [], subSeen: new Set(), unsayable: false };
        shapes.set(field, shape);
      }
      if (value === undefined) continue;
      if (value === null) return undefined;
      if (!shape.nested) continue;
      if (!isPlainObject(value)) {
        shape.nested = false;
        continue;
      }
      let empty = true;
      for (const sub in value) {
        empty = false;
        if (value[sub] === null) shape.unsayable = true;
        if (!shape.subSeen.has(sub)) {
          shape.subSeen.add(sub);
          shape.subs.push(sub);
        }
      }
      if (empty) shape.unsayable = true;
    }
  }
  const columns: string[] = [];
  const read: ((r: Row) => unknown)[] = [];
  for (const [field, shape] of shapes) {
    if (shape.nested && shape.unsayable) return undefined;
    if (shape.nested && shape.subs.length > 0) {
      for (const sub of shape.subs) {
        columns.push(`${field}.${sub}`);
        read.push((r) => {
          const v = (r[field] as Row | undefined)?.[sub];
          return v === undefined ? ABSENT : v;
        });
      }
    } else {
      columns.push(field);
      read.push((r) => (r[field] === undefined ? ABSENT : r[field]));
    }
  }
  // Each column's common value: the most frequent in an evenly spread sample of the records.
  const step = Math.max(1, Math.ceil(records.length / SAMPLE));
  const common: unknown[] = [];
  const isCommon: ((value: unknown) => boolean)[] = [];
  for (const reader of read) {
    const counts = new Map<unknown, { n: number; value: unknown }>();
    let best: { n: number; value: unknown } | undefined;
    for (let r = 0; r < records.length; r += step) {
      const value = reader(records[r] as Row);
      const key = keyOf(value);
      let entry = counts.get(key);
      if (!entry) {
        entry = { n: 0, value };
        counts.set(key, entry);
      }
      entry.n++;
      if (!best || entry.n > best.n) best = entry;
    }
    const value = best ? best.value : ABSENT;
    common.push(value);
    isCommon.push(equalsTo(value));
  }
  const rows: unknown[][] = new Array(records.length);
  for (let r = 0; r < records.length; r++) {
    const record = records[r] as Row;
    const row: unknown[] = [];
    let last = -1;
    for (let c = 0; c < read.length; c++) {
      const value = (read[c] as (r: Row) => unknown)(record);
      if ((isCommon[c] as (v: unknown) => boolean)(value)) row.push(null);
      else {
        row.push(value);
        last = c;
      }
    }
    row.length = last + 1;
    rows[r] = row;
  }
  return { compact: 1, columns, common, rows };
}

export function isCompactRecords(value: unknown): value is CompactRecords {
  return isPlainObject(value) && value['compact'] === 1 && Array.isArray(value['rows']);
}

export function expandRecords<T>(stored: CompactRecords): T[] {
  const { columns, common } = stored;
  const paths = columns.map((c) => {
    const dot = c.indexOf('.');
    return dot === -1 ? [c] : [c.slice(0, dot), c.slice(dot + 1)];
  });
  return stored.rows.map((row) => {
    const record: Row = {};
    for (let c = 0; c < columns.length; c++) {
      const cell = c < row.length ? row[c] : null;
      // Each record gets its own copy of a shared common value (records are mutated in place).
      const value = cell === null ? structuredCloneIfObject(common[c]) : cell;
      if (value === ABSENT) continue;
      const [field, sub] = paths[c] as [string, string | undefined];
      if (sub === undefined) record[field] = value;
      else ((record[field] ??= {}) as Row)[sub] = value;
    }
    return record as T;
  });
}

function structuredCloneIfObject(value: unknown): unknown {
  return typeof value === 'object' && value !== null ? structuredClone(value) : value;
}
