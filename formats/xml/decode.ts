import { issue, type FormatIssue } from '../issues.ts';

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

const DECLARATION = /^<\?xml[^?]*encoding\s*=\s*["']([^"']+)["']/;

function declaredEncodingIssue(text: string): FormatIssue | undefined {
  const declaration = DECLARATION.exec(text);
  const encoding = declaration?.[1]?.toLowerCase();
  if (encoding && encoding !== 'utf-8' && encoding !== 'utf8') {
    return issue('ENCODING_INVALID', '/', `declared encoding ${declaration?.[1]} is not supported: use UTF-8`, { value: declaration?.[1] });
  }
  return undefined;
}

const INVALID_UTF8 = () => issue('ENCODING_INVALID', '/', 'the file is not valid UTF-8');

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
      return { ok: false, issue: INVALID_UTF8() };
    }
  }
  const problem = declaredEncodingIssue(text);
  return problem ? { ok: false, issue: problem } : { ok: true, text };
}

/** The XML declaration is looked for in this much text; it must be at the very start anyway. */
const DECLARATION_WINDOW = 256;

/**
 * The same strict decoding for a document arriving in pieces: a multi-byte character split
 * across two pieces is joined, the declared encoding is checked once the head has arrived.
 * After the first problem `decode` returns '' and `problem` says why.
 */
export interface XmlDecoder {
  decode(piece: Uint8Array, last?: boolean): string;
  readonly problem: FormatIssue | undefined;
}

export function createXmlDecoder(): XmlDecoder {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  let problem: FormatIssue | undefined;
  let head = '';
  let headChecked = false;
  return {
    get problem() {
      return problem;
    },
    decode(piece, last = false) {
      if (problem) return '';
      let text: string;
      try {
        text = decoder.decode(piece, { stream: !last });
      } catch {
        problem = INVALID_UTF8();
        return '';
      }
      if (!headChecked) {
        // Held back until the declaration can be judged, so nothing is parsed in a wrong encoding.
        head += text;
        if (head.length < DECLARATION_WINDOW && !last && !head.includes('?>')) return '';
        headChecked = true;
        problem = declaredEncodingIssue(head);
        text = problem ? '' : head;
        head = '';
      }
      return text;
    },
  };
}
