/**
 * Compiles an ISO 20022 XSD into a CompiledSchema. Run by `npm run schemas` against the
 * official XSDs; the output is committed under `formats/xml/schemas/` so the runtime never
 * needs the XSD files or an XSD engine. A test recompiles and compares when the XSDs are at hand.
 */
import { SaxesParser } from 'saxes';
import type { AttributeDecl, BuiltinType, CompiledSchema, ComplexType, Particle, SimpleType } from './schema-model.ts';

interface XsdNode {
  name: string;
  attrs: Record<string, string>;
  children: XsdNode[];
}

const XS = 'http://www.w3.org/2001/XMLSchema';

function parseXsdTree(text: string): XsdNode {
  const parser = new SaxesParser({ xmlns: true });
  const stack: XsdNode[] = [];
  let root: XsdNode | undefined;
  parser.on('opentag', (tag) => {
    if (tag.uri !== XS) throw new Error(`unexpected non-XSD element ${tag.name}`);
    const attrs: Record<string, string> = {};
    for (const [key, attr] of Object.entries(tag.attributes)) attrs[key] = attr.value;
    const node: XsdNode = { name: tag.local, attrs, children: [] };
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(node);
    else root = node;
    stack.push(node);
  });
  parser.on('closetag', () => void stack.pop());
  parser.write(text).close();
  if (!root) throw new Error('empty XSD');
  return root;
}

const BUILTINS: Record<string, BuiltinType> = {
  'xs:string': 'string',
  'xs:decimal': 'decimal',
  'xs:date': 'date',
  'xs:dateTime': 'dateTime',
  'xs:boolean': 'boolean',
  'xs:gYearMonth': 'gYearMonth',
};

function occurs(value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  return value === 'unbounded' ? -1 : Number(value);
}

function compileParticles(group: XsdNode, typeName: string): Particle[] {
  return group.children.map((child): Particle => {
    if (child.name === 'element') {
      const name = child.attrs['name'];
      const type = child.attrs['type'];
      if (!name || !type) throw new Error(`${typeName}: element without name/type`);
      return { name, type, min: occurs(child.attrs['minOccurs'], 1), max: occurs(child.attrs['maxOccurs'], 1) };
    }
    if (child.name === 'any') {
      return { name: '*', type: '*', min: occurs(child.attrs['minOccurs'], 1), max: occurs(child.attrs['maxOccurs'], 1) };
    }
    throw new Error(`${typeName}: unsupported particle xs:${child.name}`);
  });
}

function compileComplex(node: XsdNode, typeName: string): ComplexType {
  const [body, ...rest] = node.children;
  if (!body || rest.length > 0) throw new Error(`${typeName}: expected exactly one content model`);
  // Older ISO schemas (camt .02) wrap a choice in a one-item sequence: the same content model.
  const only = body.children[0];
  if (body.name === 'sequence' && body.children.length === 1 && only?.name === 'choice' && !only.attrs['minOccurs'] && !only.attrs['maxOccurs']) {
    return { kind: 'choice', particles: compileParticles(only, typeName) };
  }
  if (body.name === 'sequence' || body.name === 'choice') {
    if (body.attrs['minOccurs'] || body.attrs['maxOccurs']) throw new Error(`${typeName}: occurrence on a group is unsupported`);
    return { kind: body.name, particles: compileParticles(body, typeName) };
  }
  if (body.name === 'simpleContent') {
    const extension = body.children[0];
    if (!extension || extension.name !== 'extension') throw new Error(`${typeName}: simpleContent without extension`);
    const attributes = extension.children.map((attr): AttributeDecl => {
      const name = attr.attrs['name'];
      const type = attr.attrs['type'];
      if (attr.name !== 'attribute' || !name || !type) throw new Error(`${typeName}: unsupported simpleContent child`);
      return { name, type, required: attr.attrs['use'] === 'required' };
    });
    return { kind: 'simpleContent', base: extension.attrs['base'] ?? '', attributes };
  }
  throw new Error(`${typeName}: unsupported complex content xs:${body.name}`);
}

function compileSimple(node: XsdNode, typeName: string): SimpleType {
  const restriction = node.children[0];
  if (!restriction || restriction.name !== 'restriction') throw new Error(`${typeName}: only restrictions are supported`);
  const base = BUILTINS[restriction.attrs['base'] ?? ''];
  if (!base) throw new Error(`${typeName}: unsupported base ${restriction.attrs['base']}`);
  const type: SimpleType = { base };
  for (const facet of restriction.children) {
    const value = facet.attrs['value'] ?? '';
    switch (facet.name) {
      case 'minLength': type.minLength = Number(value); break;
      case 'maxLength': type.maxLength = Number(value); break;
      case 'length': type.minLength = type.maxLength = Number(value); break;
      case 'pattern': (type.patterns ??= []).push(value); break;
      case 'enumeration': (type.enumeration ??= []).push(value); break;
      case 'totalDigits': type.totalDigits = Number(value); break;
      case 'fractionDigits': type.fractionDigits = Number(value); break;
      case 'minInclusive': type.minInclusive = value; break;
      default: throw new Error(`${typeName}: unsupported facet xs:${facet.name}`);
    }
  }
  return type;
}

export function compileXsd(text: string, message: string): CompiledSchema {
  const root = parseXsdTree(text);
  const namespace = root.attrs['targetNamespace'];
  if (!namespace) throw new Error('XSD without targetNamespace');
  if (root.attrs['elementFormDefault'] !== 'qualified') throw new Error('only elementFormDefault="qualified" is supported');
  const complexTypes: Record<string, ComplexType> = {};
  const simpleTypes: Record<string, SimpleType> = {};
  let rootElement: string | undefined;
  let rootType: string | undefined;
  for (const node of root.children) {
    const name = node.attrs['name'] ?? '';
    if (node.name === 'element') {
      rootElement = name;
      rootType = node.attrs['type'];
    } else if (node.name === 'complexType') complexTypes[name] = compileComplex(node, name);
    else if (node.name === 'simpleType') simpleTypes[name] = compileSimple(node, name);
    else throw new Error(`unsupported top-level xs:${node.name}`);
  }
  if (!rootElement || !rootType) throw new Error('XSD without a root element');
  return { message, namespace, rootElement, rootType, complexTypes, simpleTypes };
}
