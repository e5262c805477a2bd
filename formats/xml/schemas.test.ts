import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HAS_SHARED } from '../../test/support/shared.ts';
import { PROJECT_XSD_DIR, SCHEMA_DIR, officialXsds, renderSchemaModule, schemaModuleName } from './generate-schemas.ts';

describe.skipIf(!HAS_SHARED)('compiled schema tables', () => {
  it('are up to date with the official XSDs (regenerate: npx tsx formats/xml/generate-schemas.ts)', () => {
    const xsds = officialXsds();
    expect(xsds.length).toBe(12);
    for (const [message, path] of xsds) {
      const committed = readFileSync(join(SCHEMA_DIR, schemaModuleName(message)), 'utf8');
      expect(committed, message).toBe(renderSchemaModule(readFileSync(path, 'utf8'), message));
    }
  });
});

describe('XSDs kept in the project (../shared lacks them)', () => {
  it('camt.052.001.08.xsd is the ISO 20022 release byte for byte (checksum recorded in formats/xml/xsd/README.md)', () => {
    const bytes = readFileSync(join(PROJECT_XSD_DIR, 'camt.052.001.08.xsd'));
    expect(createHash('sha256').update(bytes).digest('hex')).toBe('113d29938c45ba1c993f2d3e31610a214f3fb3e9ea0c6f2945750c0586567d15');
  });
});
