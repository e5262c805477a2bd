/**
 * The reference client stands alone, as a real integration must: it imports nothing of the
 * simulator (only the neutral formats/, which imports nothing of either), and outside the CLI's
 * documented sandbox-clock convenience it calls no test-helper endpoint (/sandboxes/…).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/cli.ts';

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
    .map((f) => join(dir, f));
}

const imports = (file: string) => [...readFileSync(join(ROOT, file), 'utf8').matchAll(/(?:from|import\()\s*'([^']+)'/g)].map((m) => m[1] ?? '');

describe('the reference client stands alone', () => {
  it('nothing client/ imports, directly or through other modules, is simulator code', () => {
    const seen = new Set<string>();
    const reach = (file: string, via: string[]): string[] => {
      if (seen.has(file)) return [];
      seen.add(file);
      if (file.startsWith('simulator/')) return [[...via, file].join(' → ')];
      // Static value imports only: `import type` is erased, a dynamic import() runs only in the command that needs it.
      const statics = [...readFileSync(join(ROOT, file), 'utf8').matchAll(/^(?:import|export)(?! type )[^;]*?from\s*'([^']+)'/gm)].map((m) => m[1] ?? '');
      return statics.filter((path) => path.startsWith('.')).flatMap((path) => reach(relative(ROOT, join(ROOT, file, '..', path)), [...via, file]));
    };
    expect(sources('client').flatMap((file) => reach(file, []))).toEqual([]);
  });

  it('formats/ (shared by bank and client) imports neither', () => {
    const offending = sources('formats').flatMap((file) => imports(file).filter((path) => /\/(simulator|client|cli)\//.test(path)).map((path) => `${file} → ${path}`));
    expect(offending).toEqual([]);
  });

  it('no test-helper endpoint in the client library', () => {
    const calling = sources('client').filter((file) => file !== 'client/sandbox-clock.ts' && /['`]\/sandboxes\//.test(readFileSync(join(ROOT, file), 'utf8')));
    expect(calling).toEqual([]);
  });
});
