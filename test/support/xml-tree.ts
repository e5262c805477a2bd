/** A minimal XML tree for mutation tests: parse, mutate, serialize. */
import { SaxesParser } from 'saxes';

export interface XmlNode {
  name: string;
  attributes: [string, string][];
  children: XmlNode[];
  text: string;
}

export function parseTree(xml: string): XmlNode {
  const parser = new SaxesParser();
  const stack: XmlNode[] = [];
  let root: XmlNode | undefined;
  parser.on('opentag', (tag) => {
    const node: XmlNode = { name: tag.name, attributes: Object.entries(tag.attributes as Record<string, string>), children: [], text: '' };
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(node);
    else root = node;
    stack.push(node);
  });
  parser.on('text', (text) => {
    const top = stack[stack.length - 1];
    if (top) top.text += text;
  });
  parser.on('closetag', () => void stack.pop());
  parser.write(xml).close();
  if (!root) throw new Error('empty document');
  return root;
}

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function serializeTree(node: XmlNode): string {
  const attrs = node.attributes.map(([k, v]) => ` ${k}="${escape(v)}"`).join('');
  const inner = node.children.length > 0 ? node.children.map(serializeTree).join('') : escape(node.text);
  return `<${node.name}${attrs}>${inner}</${node.name}>`;
}

export function cloneTree(node: XmlNode): XmlNode {
  return { name: node.name, attributes: node.attributes.map(([k, v]) => [k, v]), children: node.children.map(cloneTree), text: node.text };
}

/** Every node with its parent, depth-first. */
export function walk(node: XmlNode, parent: XmlNode | undefined = undefined, out: { node: XmlNode; parent: XmlNode | undefined }[] = []) {
  out.push({ node, parent });
  for (const child of node.children) walk(child, node, out);
  return out;
}
