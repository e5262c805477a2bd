/**
 * The stored form of many records of one shape (a file's payments): one column per field
 * (a nested object's fields get columns of their own), each column's most common value kept
 * once, and per record only what differs. A 10,000-payment file's payments are stored in
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

/** Undefined when the records hold something this form cannot say (a null field, an empty nested object). */
export function compactRecords(records: readonly Row[]): CompactRecords | undefined {
  const fields: string[] = [];
  const seen = new Set<string>();
  for (const record of records) {
    for (const field in record) {
      if (!seen.has(field)) {
        seen.add(field);
        fields.push(field);
      }
    }
  }
  const columns: string[] = [];
  const read: ((r: Row) => unknown)[] = [];
  for (const field of fields) {
    let nested = true;
    const subs: string[] = [];
    const subSeen = new Set<string>();
    for (const record of records) {
      const value = record[field];
      if (value === undefined) continue;
      if (value === null) return undefined;
      if (!isPlainObject(value)) {
        nested = false;
        break;
      }
      let empty = true;
      for (const sub in value) {
        empty = false;
        if (value[sub] === null) return undefined;
        if (!subSeen.has(sub)) {
          subSeen.add(sub);
          subs.push(sub);
        }
      }
      if (empty) return undefined;
    }
    if (nested && subs.length > 0) {
      for (const sub of subs) {
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
  // Each cell's value and identity are computed once (an object's identity is its JSON).
  const common: unknown[] = [];
  const cells: { values: unknown[]; keys: unknown[]; commonKey: unknown }[] = [];
  for (const reader of read) {
    const values = records.map(reader);
    const keys = values.map(keyOf);
    const counts = new Map<unknown, { n: number; value: unknown; key: unknown }>();
    let best: { n: number; value: unknown; key: unknown } | undefined;
    for (let r = 0; r < keys.length; r++) {
      const key = keys[r];
      let entry = counts.get(key);
      if (!entry) {
        entry = { n: 0, value: values[r], key };
        counts.set(key, entry);
      }
      entry.n++;
      if (!best || entry.n > best.n) best = entry;
    }
    common.push(best?.value ?? ABSENT);
    cells.push({ values, keys, commonKey: best?.key ?? ABSENT });
  }
  const rows = records.map((_, r) => {
    const row: unknown[] = [];
    let last = -1;
    for (let c = 0; c < cells.length; c++) {
      const cell = cells[c] as (typeof cells)[number];
      if (cell.keys[r] === cell.commonKey) row.push(null);
      else {
        row.push(cell.values[r]);
        last = c;
      }
    }
    row.length = last + 1;
    return row;
  });
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
