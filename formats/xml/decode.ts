import { issue, type FormatIssue } from '../issues.ts';

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * ISO 20022 files to Swedish banks are UTF-8. Bytes are decoded strictly: an invalid
 * sequence is an issue, not a replacement character that silently changes a payee's name.
 */
export function decodeXml(input: string | Uint8Array): { ok: true; text: string } | { ok: false; issue: FormatIssue } {
  let text: string;
  if (typeof input === 'string') {
    text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  } else {
    try {
      text = utf8.decode(input);
    } catch {
      return { ok: false, issue: issue('ENCODING_INVALID', '/', 'the file is not valid UTF-8') };
    }
  }
  const declaration = /^<\?xml[^?]*encoding\s*=\s*["']([^"']+)["']/.exec(text);
  const encoding = declaration?.[1]?.toLowerCase();
  if (encoding && encoding !== 'utf-8' && encoding !== 'utf8') {
    return { ok: false, issue: issue('ENCODING_INVALID', '/', `declared encoding ${declaration?.[1]} is not supported: use UTF-8`, { value: declaration?.[1] }) };
  }
  return { ok: true, text };
}
