/** The README lists every bureau scenario step a scenario writer can use; a step added to the DSL is added there. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bureau } from './bureau-dsl.ts';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8').replace(/\s+/g, '');

describe('the bureau scenario steps in the README', () => {
  it.each(['given', 'when', 'then'] as const)('bureau.%s lists every step', (kind) => {
    const listed = new RegExp(`bureau\\.${kind}\\.([\\w/]+)`).exec(readme)?.[1]?.split('/') ?? [];
    expect(listed.sort()).toEqual(Object.keys(bureau[kind]).sort());
  });
});
