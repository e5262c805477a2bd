import type { Fields } from './stream.ts';

export function first(fields: Fields, key: string): string | undefined {
  const value = fields.get(key);
  return typeof value === 'string' ? value : value?.[0];
}

export function all(fields: Fields, key: string): string[] {
  const value = fields.get(key);
  return value === undefined ? [] : typeof value === 'string' ? [value] : value;
}

