import { describe, expect, it } from 'vitest';
import { XmlWriter } from './escape.ts';

describe('XmlWriter', () => {
  it('writes a long document (many chunks) exactly as its pieces in order, escaped and indented', () => {
    const writer = new XmlWriter().open('Document');
    const expected = ['<?xml version="1.0" encoding="UTF-8"?>\n', '<Document>\n'];
    for (let i = 0; i < 10_000; i++) {
      writer.open('Tx').leaf('Id', `E2E-${i} & <${i}>`).close('Tx');
      expected.push('  <Tx>\n', `    <Id>E2E-${i} &amp; &lt;${i}&gt;</Id>\n`, '  </Tx>\n');
    }
    writer.close('Document');
    expected.push('</Document>\n');
    expect(writer.toString()).toBe(expected.join(''));
  });
});
