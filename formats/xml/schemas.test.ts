import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HAS_SHARED } from '../../test/support/shared.ts';
import { SCHEMA_DIR, XSD_DIR, renderSchemaModule, schemaModuleName } from './generate-schemas.ts';

describe.skipIf(!HAS_SHARED)('compiled schema tables', () => {
  it('are up to date with the official XSDs (regenerate: npx tsx formats/xml/generate-schemas.ts)', () => {
    const xsds = readdirSync(XSD_DIR).filter((f) => f.endsWith('.xsd'));
    expect(xsds.length).toBe(11);
    for (const file of xsds) {
      const message = file.replace(/\.xsd$/, '');
      const committed = readFileSync(join(SCHEMA_DIR, schemaModuleName(message)), 'utf8');
      expect(committed, message).toBe(renderSchemaModule(readFileSync(join(XSD_DIR, file), 'utf8'), message));
    }
  });
});
