/**
 * The CRC-32 under #KSUMMA cross-checked with another implementation: SheetJS's `crc-32`
 * (pure JavaScript, its own tables) against the zlib one sandbank uses, over random bytes fed
 * in random pieces (sieChecksum chains one record at a time) and over random SIE records.
 * Which bytes the checksum covers is checked against an independent SIE importer in
 * test/overview/ksumma-reference.test.ts.
 */
import CRC32 from 'crc-32';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { checksumText, sieChecksum } from './index.ts';

const seed = Date.now() % 100000;
console.log(`CRC-32 cross-check seed=${seed}`);

/** The reference: SheetJS's CRC-32 over all the bytes at once, unsigned as #KSUMMA writes it. */
const reference = (bytes: Uint8Array) => CRC32.buf(bytes) >>> 0;

describe('the CRC-32 of #KSUMMA agrees with SheetJS crc-32', () => {
  it('the published check value: CRC-32 of "123456789" is CBF43926', () => {
    const check = new TextEncoder().encode('123456789');
    expect(crc32(check)).toBe(0xcbf43926);
    expect(reference(check)).toBe(0xcbf43926);
  });

  it('over random bytes fed in random pieces, chained the way sieChecksum chains records', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4096 }), fc.array(fc.nat(), { maxLength: 8 }), (bytes, cuts) => {
        const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
        let crc = 0;
        let from = 0;
        for (const to of [...points, bytes.length]) {
          crc = crc32(bytes.subarray(from, to), crc);
          from = to;
        }
        expect(crc).toBe(reference(bytes));
      }),
      { seed, numRuns: 300 },
    );
  });

  it('over random SIE records: sieChecksum is the CRC-32 of the covered CP437 bytes, one after the other', () => {
    const field = fc.oneof(
      fc.stringMatching(/^[0-9A-Za-zÅÄÖåäö.-]{1,12}$/),
      fc.stringMatching(/^[ 0-9A-Za-zÅÄÖåäöé&]{0,20}$/).map((s) => `"${s}"`),
      fc.constantFrom('{}', '{1 "Kontor 1"}', '"Kassa \\"special\\""'),
    );
    const record = fc.tuple(fc.constantFrom('#KONTO', '#VER', '#TRANS', '#IB', '#PSALDO', '#FNAMN'), fc.array(field, { maxLength: 6 }), fc.constantFrom(' ', '\t', '  '))
      .map(([label, fields, gap]) => [label, ...fields].join(gap));
    fc.assert(
      fc.property(fc.array(fc.oneof(record, fc.constantFrom('{', '}', '')), { maxLength: 40 }), (records) => {
        const covered = iconv.encode(records.map(checksumText).join(''), 'cp437');
        expect(sieChecksum(records)).toBe(reference(new Uint8Array(covered)));
      }),
      { seed, numRuns: 200 },
    );
  });
});
