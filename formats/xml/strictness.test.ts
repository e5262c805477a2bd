/**
 * "At least as strict as the schema": mutate valid documents and assert that whatever the
 * official XSD (libxml2) rejects, our streaming validator rejects too.
 */
import { describe, expect, it } from 'vitest';
import { HAS_SHARED } from '../../test/support/shared.ts';
import { xsdErrors } from '../../test/support/xsd.ts';
import { cloneTree, parseTree, serializeTree, walk, type XmlNode } from '../../test/support/xml-tree.ts';
import { parsePain001, samplePain001, writePain001 } from '../pain001/index.ts';
import { readFileSync } from 'node:fs';

type Mutation = { name: string; apply: (root: XmlNode) => boolean };

function mutationsFor(index: number): Mutation[] {
  const target = (root: XmlNode) => walk(root)[index];
  return [
    { name: `drop #${index}`, apply: (root) => { const t = target(root); if (!t?.parent) return false; t.parent.children.splice(t.parent.children.indexOf(t.node), 1); return true; } },
    { name: `duplicate #${index}`, apply: (root) => { const t = target(root); if (!t?.parent) return false; t.parent.children.splice(t.parent.children.indexOf(t.node), 0, cloneTree(t.node)); return true; } },
    { name: `swap with previous #${index}`, apply: (root) => {
      const t = target(root); if (!t?.parent) return false;
      const i = t.parent.children.indexOf(t.node); if (i < 1) return false;
      const prev = t.parent.children[i - 1] as XmlNode; t.parent.children[i - 1] = t.node; t.parent.children[i] = prev; return true;
    } },
    { name: `over-long text #${index}`, apply: (root) => { const t = target(root); if (!t || t.node.children.length > 0) return false; t.node.text += 'X'.repeat(150); return true; } },
    { name: `mistyped text #${index}`, apply: (root) => { const t = target(root); if (!t || t.node.children.length > 0) return false; t.node.text = 'not-a-value!'; return true; } },
    { name: `empty text #${index}`, apply: (root) => { const t = target(root); if (!t || t.node.children.length > 0) return false; t.node.text = ''; return true; } },
    { name: `rename #${index}`, apply: (root) => { const t = target(root); if (!t?.parent) return false; t.node.name = `${t.node.name}x`; return true; } },
    { name: `text in complex #${index}`, apply: (root) => { const t = target(root); if (!t || t.node.children.length === 0) return false; t.node.children.push({ name: 'Ustrd', attributes: [], children: [], text: 'stray' }); return true; } },
  ];
}

function checkStrictness(message: 'pain.001.001.03' | 'pain.001.001.09', xml: string) {
  const tree = parseTree(xml);
  const count = walk(tree).length;
  const misses: string[] = [];
  let rejectedByXsd = 0;
  for (let index = 0; index < count; index++) {
    for (const mutation of mutationsFor(index)) {
      const root = cloneTree(tree);
      if (!mutation.apply(root)) continue;
      const mutated = `<?xml version="1.0" encoding="UTF-8"?>\n${serializeTree(root)}`;
      if (xsdErrors(message, mutated).length === 0) continue;
      rejectedByXsd++;
      const ours = parsePain001(mutated);
      if (ours.ok) misses.push(`${mutation.name} (${walk(tree)[index]?.node.name}): XSD says ${xsdErrors(message, mutated)[0]}`);
    }
  }
  return { misses, rejectedByXsd };
}

describe.skipIf(!HAS_SHARED)('validator is at least as strict as the official XSD', () => {
  it('pain.001.001.03: golden file mutations', () => {
    const golden = readFileSync(new URL('../pain001/testdata/swedbank-supplier-payments.pain001.03.xml', import.meta.url), 'utf8');
    const { misses, rejectedByXsd } = checkStrictness('pain.001.001.03', golden);
    expect(rejectedByXsd).toBeGreaterThan(300);
    expect(misses).toEqual([]);
  });

  it('pain.001.001.09: generated document mutations', () => {
    const xml = writePain001(samplePain001({ seed: 11, transactions: 3, version: 'pain.001.001.09' }));
    const { misses, rejectedByXsd } = checkStrictness('pain.001.001.09', xml);
    expect(rejectedByXsd).toBeGreaterThan(200);
    expect(misses).toEqual([]);
  });
});
