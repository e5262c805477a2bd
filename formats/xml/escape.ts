const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

export function escapeXml(text: string): string {
  return /[&<>"']/.test(text) ? text.replace(/[&<>"']/g, (c) => XML_ESCAPES[c] ?? c) : text;
}

/**
 * A tiny, fast XML writer: writers emit elements in schema order themselves, so a builder
 * library would only add allocation. Optional values are skipped, which keeps the writers flat.
 */
const INDENTS = Array.from({ length: 64 }, (_, i) => '  '.repeat(i));

/** Pieces joined into one chunk at a time: a 100,000-transaction pain.002 is ~1.2 M pieces, which held to the end cost more than the document itself. */
const PIECES_PER_CHUNK = 4096;

export class XmlWriter {
  private parts: string[] = ['<?xml version="1.0" encoding="UTF-8"?>\n'];
  private readonly chunks: string[] = [];
  private depth = 0;

  private push(piece: string): void {
    this.parts.push(piece);
    if (this.parts.length >= PIECES_PER_CHUNK) {
      this.chunks.push(this.parts.join(''));
      this.parts = [];
    }
  }

  private indent(): string {
    return INDENTS[this.depth] ?? '  '.repeat(this.depth);
  }

  open(name: string, attributes = ''): this {
    this.push(`${this.indent()}<${name}${attributes}>\n`);
    this.depth++;
    return this;
  }

  close(name: string): this {
    this.depth--;
    this.push(`${this.indent()}</${name}>\n`);
    return this;
  }

  /** Writes `<name>text</name>` when text is defined. */
  leaf(name: string, text: string | undefined, attributes = ''): this {
    if (text !== undefined) this.push(`${this.indent()}<${name}${attributes}>${escapeXml(text)}</${name}>\n`);
    return this;
  }

  /** Opens `name`, runs `body`, closes — only when `when` holds. */
  group(name: string, when: unknown, body: () => void): this {
    if (!when) return this;
    this.open(name);
    body();
    return this.close(name);
  }

  /** One join: `chunks.join('') + rest` made a second copy of a 35 MB report when the result was first read. */
  toString(): string {
    return this.parts.length === 0 ? this.chunks.join('') : [...this.chunks, this.parts.join('')].join('');
  }
}
