/**
 * A report's XML as readable HTML: re-indented by a saxes pass (whatever the producer's
 * layout), element names, attributes and values marked for colour, leaf elements on one line.
 * A document saxes cannot read is shown as it is, escaped.
 */
import { SaxesParser } from 'saxes';
import { esc } from './i18n.ts';

interface Open {
  name: string;
  attributes: string;
  text: string;
  hasChildren: boolean;
}

export function prettyXmlHtml(xml: string, maxLines = 20_000): string {
  const lines: string[] = [];
  const stack: Open[] = [];
  const tag = (name: string) => `<span class="x-tag">${esc(name)}</span>`;
  const openTag = (o: Open) => `&lt;${tag(o.name)}${o.attributes}&gt;`;
  const indent = (depth: number) => '  '.repeat(depth);
  const flushOpen = () => {
    const top = stack.at(-1);
    if (top && !top.hasChildren) {
      lines.push(`${indent(stack.length - 1)}${openTag(top)}`);
      top.hasChildren = true;
    }
  };
  const parser = new SaxesParser({ xmlns: false, position: false });
  let declaration = '';
  parser.on('xmldecl', (d) => {
    declaration = `<span class="x-decl">&lt;?xml version="${esc(d.version ?? '1.0')}"${d.encoding ? ` encoding="${esc(d.encoding)}"` : ''}?&gt;</span>`;
  });
  parser.on('opentag', (node) => {
    flushOpen();
    const attributes = Object.entries(node.attributes).map(([k, v]) => ` <span class="x-attr">${esc(k)}</span>="<span class="x-val">${esc(String(v))}</span>"`).join('');
    stack.push({ name: node.name, attributes, text: '', hasChildren: false });
  });
  parser.on('text', (text) => {
    const top = stack.at(-1);
    if (top && text.trim() !== '') top.text += text.trim();
  });
  parser.on('closetag', () => {
    const top = stack.pop();
    if (!top) return;
    const depth = stack.length;
    if (!top.hasChildren) lines.push(`${indent(depth)}${openTag(top)}<span class="x-text">${esc(top.text)}</span>&lt;/${tag(top.name)}&gt;`);
    else lines.push(`${indent(depth)}&lt;/${tag(top.name)}&gt;`);
    if (lines.length > maxLines) throw new RangeError('too long');
  });
  try {
    parser.write(xml).close();
  } catch {
    return `<pre class="xml" data-testid="report-body">${esc(xml)}</pre>`;
  }
  return `<pre class="xml" data-testid="report-body">${declaration ? `${declaration}\n` : ''}${lines.join('\n')}</pre>`;
}
