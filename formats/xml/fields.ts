import type { Fields } from './stream.ts';

export function first(fields: Fields, key: string): string | undefined {
  return fields.get(key)?.[0];
}

export function all(fields: Fields, key: string): string[] {
  return fields.get(key) ?? [];
}

/** Prefix helper: `at(fields, 'Cdtr')('Nm')` reads `Cdtr/Nm`. */
export function scoped(fields: Fields, prefix: string): (key: string) => string | undefined {
  return (key) => fields.get(`${prefix}/${key}`)?.[0];
}
