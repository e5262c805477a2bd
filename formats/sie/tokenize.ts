/**
 * SIE's field syntax, shared by the parser and the #KSUMMA checksum: fields separated by
 * spaces or tabs, quoted strings with \\" escapes, {object lists}.
 */

export interface SieField {
  kind: 'word' | 'quoted' | 'objects';
  /** Quoted strings without their quotes and escapes; object lists as the text inside the braces. */
  text: string;
}

/** Splits one SIE line into fields: quoted strings (with \\" escapes), {object lists}, bare words. */
export function tokenizeSieFields(line: string): SieField[] {
  const fields: SieField[] = [];
  let i = 0;
  while (i < line.length) {
    const c = line[i];
    if (c === ' ' || c === '\t') { i++; continue; }
    if (c === '"') {
      let value = '';
      i++;
      while (i < line.length && line[i] !== '"') {
        if (line[i] === '\\' && i + 1 < line.length) i++;
        value += line[i];
        i++;
      }
      i++;
      fields.push({ kind: 'quoted', text: value });
    } else if (c === '{') {
      const end = line.indexOf('}', i);
      const close = end === -1 ? line.length : end;
      fields.push({ kind: 'objects', text: line.slice(i + 1, close).trim() });
      i = close + 1;
    } else {
      let value = '';
      while (i < line.length && line[i] !== ' ' && line[i] !== '\t' && !(line[i] === '{' && value !== '')) value += line[i++];
      fields.push({ kind: 'word', text: value });
    }
  }
  return fields;
}

/** The fields of one line as strings; object lists keep their braces (`{1 "2"}`). */
export function tokenizeSieLine(line: string): string[] {
  return tokenizeSieFields(line).map((f) => (f.kind === 'objects' ? `{${f.text}}` : f.text));
}

