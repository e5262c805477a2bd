/**
 * #KSUMMA (SIE 4B, section 10): CRC-32 (polynomial EDB88320, preset FFFFFFFF, inverted at the
 * end — the CRC zlib computes) over the records between the opening `#KSUMMA` and the closing
 * `#KSUMMA <sum>`: each record's label and fields in code page 437, without the spaces and tabs
 * between fields, the quotes around them, the braces around object lists and voucher blocks,
 * or the backslash before an escaped quote.
 */
import { crc32 } from 'node:zlib';
import iconv from 'iconv-lite';
import { tokenizeSieFields } from './tokenize.ts';

/** The characters of one record that the checksum covers. */
export function checksumText(line: string): string {
  const text = line.trim();
  if (text === '' || text === '{' || text === '}') return '';
  return tokenizeSieFields(text)
    .map((field) => (field.kind === 'objects' ? tokenizeSieFields(field.text).map((o) => o.text).join('') : field.text))
    .join('');
}

/** The checksum of these records (decoded text lines), as the closing `#KSUMMA` states it. */
export function sieChecksum(lines: readonly string[]): number {
  let crc = 0;
  for (const line of lines) {
    const text = checksumText(line);
    if (text !== '') crc = crc32(iconv.encode(text, 'cp437'), crc);
  }
  return crc;
}
