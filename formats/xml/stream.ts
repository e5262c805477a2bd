/**
 * Streaming ISO 20022 reader: one saxes pass that both validates the document against a
 * compiled XSD (content models, occurrences, facets, attributes) and hands flat records to a
 * message-specific builder. No DOM is built, so a 100,000-payment file costs its records, not
 * a tree of a million nodes; no DTD is processed, so no entity can expand.
 *
 * This is the bank's hot path (see bench/formats.ts): frames are reused, paths for issues are
 * built only when an issue is raised, and record-relative field keys are interned.
 */
import { SaxesParser } from 'saxes';
import { issue, type FormatIssue, type IssueCode } from '../issues.ts';
import { runtimeSchema, type RuntimeParticle, type RuntimeType } from './runtime-schema.ts';
import type { CompiledSchema } from './schema-model.ts';
import { simpleCheckFor } from './simple-types.ts';

/** Explicit limits; documented in the README ("Limits"). */
export const XML_LIMITS = {
  /** ISO 20022 documents nest about 12 deep; anything past this is hostile or broken. */
  maxDepth: 48,
  /** Issues beyond this are summarised: a garbage file must not build a huge error list. */
  maxIssues: 1000,
  /** The longest simple value in these schemas is 2,048 characters (Max2048Text). */
  maxTextLength: 10_000,
} as const;

/**
 * Relative path within a record → its value, or its values in document order when the element
 * repeats (most occur once; not allocating an array for each keeps the garbage collector quiet).
 * Attributes as `Amt/InstdAmt@Ccy`. Read with `first` / `all` from fields.ts.
 */
export type Fields = Map<string, string | string[]>;

export interface RecordLocation {
  /** Indexed XPath-like path of the record element. */
  path: string;
  line: number;
}

export interface RecordHandler {
  /** Absolute element paths without indexes, e.g. `Document/CstmrCdtTrfInitn/PmtInf`. */
  boundaries: ReadonlySet<string>;
  open?(absPath: string, at: RecordLocation): void;
  close(absPath: string, fields: Fields, at: RecordLocation): void;
  /**
   * The handler reads `fields` inside `close` and keeps no reference to it, so one Map per
   * record type can be cleared and reused (fewer allocations on 100,000-payment files).
   */
  reuseFields?: boolean;
}

export interface ReadResult {
  schema: CompiledSchema | undefined;
  issues: FormatIssue[];
  /** False when the document could not be read to its end (malformed XML, DOCTYPE, limits). */
  complete: boolean;
}

interface TrieNode {
  children: Map<string, TrieNode>;
  /** Set when this element is a record boundary. */
  absPath: string | undefined;
  /** A cleared Map to reuse for the next record here (RecordHandler.reuseFields). */
  spare: Fields | undefined;
}

/**
 * One node per distinct element path met in the document (indexes aside). Everything the
 * validator needs to know about an element follows from its path, so it is worked out once
 * and found again with a single Map lookup for every later occurrence.
 */
interface PathNode {
  type: RuntimeType;
  /** Record-relative key for collected fields; '' at a record element. */
  relPath: string;
  trie: TrieNode | undefined;
  /** Child nodes by particle position in this element's content model. */
  children: (PathNode | undefined)[];
}

interface Frame {
  name: string;
  /** Occurrence within the parent, shown as `[n]` in paths when the element may repeat. */
  occurrence: number;
  repeatable: boolean;
  type: RuntimeType | undefined;
  /** Inside `xs:any` or an unknown element: nothing below is validated or collected. */
  skip: boolean;
  /** sequence: position of the current particle; choice: the chosen one or -1. */
  position: number;
  count: number;
  text: string;
  fields: Fields | undefined;
  /** Path relative to the innermost record; '' at the record element itself. */
  relPath: string;
  node: PathNode | undefined;
  isRecord: boolean;
  /** In-scope namespace prefixes ('' = default namespace); shared with the parent unless it declares any. */
  scope: Map<string, string>;
}

class StopReading extends Error {}

/** A record's location whose path string is built only when read (a prototype getter: cheap to create). */
class LazyLocation implements RecordLocation {
  constructor(readonly line: number, private readonly level: number, private readonly pathTo: (level: number) => string) {}

  get path(): string {
    return this.pathTo(this.level);
  }
}

const XSI = 'http://www.w3.org/2001/XMLSchema-instance';
const XML_NS = 'http://www.w3.org/XML/1998/namespace';
const EMPTY_SCOPE: Map<string, string> = new Map([['xml', XML_NS]]);

function buildTrie(boundaries: ReadonlySet<string>): TrieNode {
  const root: TrieNode = { children: new Map(), absPath: undefined, spare: undefined };
  for (const path of boundaries) {
    let node = root;
    for (const name of path.split('/')) {
      let next = node.children.get(name);
      if (!next) {
        next = { children: new Map(), absPath: undefined, spare: undefined };
        node.children.set(name, next);
      }
      node = next;
    }
    node.absPath = path;
  }
  return root;
}

function isWhitespace(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 10 && c !== 13 && c !== 9) return false;
  }
  return true;
}

function describe(type: RuntimeType): string {
  return type.particles.map((p) => p.name).join(', ');
}

/** A reader fed text in pieces (an upload as it arrives): one pass, whatever the chunking. */
/**
 * A value as a string of its own. saxes hands text as slices of the piece being parsed, and
 * V8 keeps a slice's whole parent alive: the payments of a 100,000-payment file held every
 * 64 KiB piece of the document (about the file's size) for as long as they lived. Strings
 * shorter than V8's shortest slice (13) are copies already.
 */
function ownCopy(text: string): string {
  return text.length < 13 ? text : (' ' + text).slice(1);
}

export interface IsoXmlReader {
  /** Feeds the next piece of the document; ignored once reading has stopped (see `complete`). */
  write(text: string): void;
  /** Ends the document and returns what was found. */
  close(): ReadResult;
}

export function readIsoXml(input: string, schemas: readonly CompiledSchema[], handler: RecordHandler | undefined): ReadResult {
  const reader = createIsoXmlReader(schemas, handler);
  reader.write(input);
  return reader.close();
}

export function createIsoXmlReader(schemas: readonly CompiledSchema[], handler: RecordHandler | undefined): IsoXmlReader {
  const issues: FormatIssue[] = [];
  let schema: CompiledSchema | undefined;
  let complete = true;
  let truncated = false;
  const frames: Frame[] = [];
  let depth = 0;
  const trie = handler ? buildTrie(handler.boundaries) : undefined;

  // Namespaces are resolved here rather than by saxes' xmlns mode: ISO 20022 files declare one
  // default namespace on the root, so a scope map per declaring element is all it takes.
  const parser = new SaxesParser<{ xmlns: false; position: true }>({ xmlns: false, position: true });

  const pathTo = (level: number): string => {
    let path = '';
    for (let i = 0; i < level; i++) {
      const f = frames[i] as Frame;
      path += f.repeatable ? `/${f.name}[${f.occurrence}]` : `/${f.name}`;
    }
    return path || '/';
  };
  const add = (code: IssueCode, path: string, message: string, value?: string) => {
    if (issues.length < XML_LIMITS.maxIssues) {
      issues.push(issue(code, path, message, value === undefined ? { line: parser.line } : { value, line: parser.line }));
    } else if (!truncated) {
      truncated = true;
      issues.push(issue('XML_LIMIT_EXCEEDED', '/', `more than ${XML_LIMITS.maxIssues} issues; the rest are not listed`));
    }
  };
  /** The path is built only if the handler asks for it (it does so only to report an issue). */
  const locationAt = (level: number): RecordLocation => new LazyLocation(parser.line, level, pathTo);
  const stop = (code: IssueCode, message: string): never => {
    add(code, pathTo(depth), message);
    complete = false;
    throw new StopReading(message);
  };

  const childNode = (parent: PathNode, name: string, type: RuntimeType): PathNode => {
    const trie = parent.trie?.children.get(name);
    const relPath = trie?.absPath !== undefined ? '' : parent.relPath === '' ? name : `${parent.relPath}/${name}`;
    return { type, relPath, trie, children: [] };
  };

  const pushValue = (fields: Fields, key: string, value: string) => {
    const existing = fields.get(key);
    if (existing === undefined) fields.set(key, value);
    else if (typeof existing === 'string') fields.set(key, [existing, value]);
    else existing.push(value);
  };

  /**
   * Finds `name` among the particles, starting at the current position: elements nearly always
   * come in schema order, so comparing a few short names beats hashing every tag name.
   */
  const positionOf = (type: RuntimeType, from: number, name: string): number => {
    const particles = type.particles;
    for (let k = from < 0 ? 0 : from; k < particles.length; k++) if ((particles[k] as RuntimeParticle).name === name) return k;
    for (let k = 0; k < from && k < particles.length; k++) if ((particles[k] as RuntimeParticle).name === name) return k;
    return -1;
  };

  /** Advances the parent's content model by one child; returns the matched particle's position, or -1. */
  const accept = (parent: Frame, child: Frame, name: string): number => {
    const type = parent.type as RuntimeType;
    if (type.kind === 'simple' || type.kind === 'simpleContent') {
      add('SCHEMA_UNEXPECTED_ELEMENT', `${pathTo(depth)}/${name}`, `element ${name} is not allowed in ${parent.name}, which holds only text`);
      return -1;
    }
    const particles = type.particles;
    let position = positionOf(type, parent.position, name);
    if (type.kind === 'choice') {
      if (parent.position === -1) {
        if (position === -1) position = type.anyPosition;
        if (position === -1) {
          add('SCHEMA_UNEXPECTED_ELEMENT', `${pathTo(depth)}/${name}`, `element ${name} is not allowed in ${parent.name}; expected one of ${describe(type)}`);
          return -1;
        }
        parent.position = position;
        parent.count = 0;
      } else if (position !== parent.position && !(position === -1 && type.anyPosition === parent.position)) {
        add('SCHEMA_UNEXPECTED_ELEMENT', `${pathTo(depth)}/${name}`, `element ${name} is not allowed in ${parent.name}: only one of ${describe(type)} may be given`);
        return -1;
      }
    } else if (position === -1 || position < parent.position) {
      const any = type.anyPosition;
      if (any !== -1 && any >= parent.position) position = any;
      else {
        const earlier = position !== -1;
        add('SCHEMA_UNEXPECTED_ELEMENT', `${pathTo(depth)}/${name}`, earlier ? `element ${name} is out of order in ${parent.name}` : `element ${name} is not allowed in ${parent.name}`);
        return -1;
      }
    }
    if (position !== parent.position) {
      // Everything skipped over in a sequence must have been optional.
      for (let k = parent.position; k < position; k++) {
        const skipped = particles[k];
        const seen = k === parent.position ? parent.count : 0;
        if (skipped && seen < skipped.min) add('SCHEMA_MISSING_ELEMENT', pathTo(depth), `${parent.name} is missing ${skipped.name} (before ${name})`);
      }
      parent.position = position;
      parent.count = 0;
    }
    const particle = particles[position] as RuntimeParticle;
    parent.count++;
    child.occurrence = parent.count;
    child.repeatable = particle.max !== 1;
    if (parent.count > particle.max) add('SCHEMA_TOO_MANY', `${pathTo(depth)}/${name}`, `${name} occurs more than ${particle.max} time(s) in ${parent.name}`);
    return position;
  };

  const finishModel = (frame: Frame, level: number) => {
    const type = frame.type;
    if (!type || type.kind === 'simple' || type.kind === 'simpleContent') return;
    if (type.kind === 'choice') {
      if (frame.position === -1) add('SCHEMA_MISSING_ELEMENT', pathTo(level), `${frame.name} must contain one of ${describe(type)}`);
      return;
    }
    for (let k = frame.position; k < type.particles.length; k++) {
      const particle = type.particles[k];
      const seen = k === frame.position ? frame.count : 0;
      if (particle && seen < particle.min) add('SCHEMA_MISSING_ELEMENT', pathTo(level), `${frame.name} is missing ${particle.name}`);
    }
  };

  /** Applies xmlns declarations to the frame's scope; returns false when there are none. */
  const declareNamespaces = (attributes: Record<string, string>, frame: Frame, parentScope: Map<string, string>): void => {
    frame.scope = parentScope;
    for (const key in attributes) {
      if (key !== 'xmlns' && !key.startsWith('xmlns:')) continue;
      if (frame.scope === parentScope) frame.scope = new Map(parentScope);
      frame.scope.set(key === 'xmlns' ? '' : key.slice(6), attributes[key] ?? '');
    }
  };

  /** Results of `resolve` (kept in two variables: it runs for every tag). */
  let resolvedLocal = '';
  let resolvedUri = '';
  /** Splits a qualified name and resolves its prefix; an undeclared prefix is malformed XML. */
  const resolve = (qname: string, scope: Map<string, string>, isAttribute: boolean): void => {
    const colon = qname.indexOf(':');
    if (colon === -1) {
      resolvedLocal = qname;
      resolvedUri = isAttribute ? '' : (scope.get('') ?? '');
      return;
    }
    const prefix = qname.slice(0, colon);
    const uri = scope.get(prefix);
    if (uri === undefined) stop('XML_MALFORMED', `malformed XML: namespace prefix ${prefix} is not declared`);
    resolvedLocal = qname.slice(colon + 1);
    resolvedUri = uri ?? '';
  };

  const checkAttributes = (attributes: Record<string, string>, frame: Frame) => {
    const declared = frame.type?.attributes ?? [];
    let seen = 0;
    for (const name in attributes) {
      if (name === 'xmlns' || name.startsWith('xmlns:')) continue;
      const value = attributes[name] ?? '';
      resolve(name, frame.scope, true);
      if (resolvedUri === XSI) continue;
      const local = resolvedLocal;
      const decl = resolvedUri === '' ? declared.find((d) => d.name === local) : undefined;
      if (!decl) {
        if (!frame.skip) add('SCHEMA_UNEXPECTED_ATTRIBUTE', `${pathTo(depth)}/@${name}`, `attribute ${name} is not allowed on ${frame.name}`, value);
        continue;
      }
      seen++;
      const problem = schema ? simpleCheckFor(schema, decl.type)(value) : undefined;
      if (problem) add(problem.code, `${pathTo(depth)}/@${decl.name}`, `${frame.name}/@${decl.name} ${problem.message}`, value);
      if (frame.fields) pushValue(frame.fields, `${frame.relPath}@${decl.name}`, ownCopy(value));
    }
    if (seen < declared.length) {
      for (const decl of declared) {
        if (decl.required && !(decl.name in attributes)) add('SCHEMA_MISSING_ATTRIBUTE', pathTo(depth), `${frame.name} needs attribute ${decl.name}`);
      }
    }
  };

  parser.on('doctype', () => stop('XML_DOCTYPE_FORBIDDEN', 'a DOCTYPE is not allowed: DTDs and entities are never processed'));
  parser.on('error', (error) => stop('XML_MALFORMED', `malformed XML: ${error.message.replace(/^.*?:\d+:\d+: /, '')}`));
  parser.on('opentag', (tag) => {
    if (depth >= XML_LIMITS.maxDepth) stop('XML_LIMIT_EXCEEDED', `elements nest deeper than ${XML_LIMITS.maxDepth}`);
    let frame = frames[depth];
    if (!frame) {
      frame = { name: '', occurrence: 1, repeatable: false, type: undefined, skip: false, position: 0, count: 0, text: '', fields: undefined, relPath: '', node: undefined, isRecord: false, scope: EMPTY_SCOPE };
      frames[depth] = frame;
    }
    const parent = depth > 0 ? frames[depth - 1] : undefined;
    const attributes = tag.attributes;
    let hasAttributes = false;
    for (const _ in attributes) {
      hasAttributes = true;
      break;
    }
    if (hasAttributes) declareNamespaces(attributes, frame, parent?.scope ?? EMPTY_SCOPE);
    else frame.scope = parent?.scope ?? EMPTY_SCOPE;
    resolve(tag.name, frame.scope, false);
    const name = resolvedLocal;
    const uri = resolvedUri;
    frame.name = name;
    frame.occurrence = 1;
    frame.repeatable = false;
    frame.text = '';
    frame.count = 0;
    frame.isRecord = false;
    if (!parent) {
      schema = schemas.find((s) => s.namespace === uri);
      if (!schema) {
        stop(uri ? 'XML_WRONG_NAMESPACE' : 'XML_UNKNOWN_ROOT', `root ${name} in namespace "${uri}" is not one of ${schemas.map((s) => s.message).join(', ')}`);
      }
      const found = schema as CompiledSchema;
      if (name !== found.rootElement) stop('XML_UNKNOWN_ROOT', `root element must be ${found.rootElement}, got ${name}`);
      // The schema's own string from here on: every element's namespace check is then an identity test.
      if (frame.scope.get('') === found.namespace && frame.scope !== EMPTY_SCOPE) frame.scope.set('', found.namespace);
      frame.type = runtimeSchema(found).root;
      frame.skip = false;
      frame.fields = undefined;
      frame.relPath = '';
      frame.node = { type: frame.type, relPath: '', trie: trie?.children.get(name), children: [] };
    } else if (parent.skip) {
      frame.type = undefined;
      frame.skip = true;
      frame.fields = undefined;
      frame.node = undefined;
    } else {
      let node: PathNode | undefined;
      if (uri !== schema?.namespace) {
        add('XML_WRONG_NAMESPACE', `${pathTo(depth)}/${name}`, `element ${name} is in namespace "${uri}", expected "${schema?.namespace}"`);
      } else {
        // undefined: not allowed here, or inside xs:any — either way not validated further.
        const position = accept(parent, frame, name);
        const type = position === -1 ? undefined : parent.type?.particles[position]?.type;
        if (type && parent.node) {
          let cached = parent.node.children[position];
          if (!cached) {
            cached = childNode(parent.node, name, type);
            parent.node.children[position] = cached;
          }
          node = cached;
        }
      }
      frame.node = node;
      frame.type = node?.type;
      frame.skip = node === undefined;
      frame.fields = frame.skip ? undefined : parent.fields;
      frame.relPath = node ? node.relPath : '';
      const boundary = node?.trie?.absPath;
      if (!frame.skip && handler && boundary !== undefined) {
        frame.isRecord = true;
        const trieNode = node?.trie;
        if (handler.reuseFields && trieNode?.spare) {
          frame.fields = trieNode.spare;
          trieNode.spare = undefined;
        } else frame.fields = new Map();
        handler.open?.(boundary, locationAt(depth + 1));
      }
    }
    frame.position = frame.type?.kind === 'choice' ? -1 : 0;
    depth++;
    if (hasAttributes || (frame.type?.attributes.length ?? 0) > 0) checkAttributes(attributes, frame);
  });
  parser.on('text', (text) => {
    const frame = frames[depth - 1];
    if (!frame || frame.skip) return;
    const kind = frame.type?.kind;
    if (kind === 'simple' || kind === 'simpleContent') {
      frame.text += text;
      if (frame.text.length > XML_LIMITS.maxTextLength) stop('XML_LIMIT_EXCEEDED', `text of ${frame.name} is longer than ${XML_LIMITS.maxTextLength} characters`);
    } else if (!isWhitespace(text)) {
      add('SCHEMA_UNEXPECTED_TEXT', pathTo(depth), `${frame.name} holds elements, not text`, text.trim().slice(0, 40));
    }
  });
  parser.on('closetag', () => {
    const frame = frames[depth - 1];
    if (!frame) return;
    if (!frame.skip) {
      const type = frame.type;
      if (type?.check) {
        const problem = type.check(frame.text);
        if (problem) add(problem.code, pathTo(depth), `${frame.name} ${problem.message}`, frame.text.slice(0, 80));
        if (frame.fields && frame.relPath !== '') pushValue(frame.fields, frame.relPath, ownCopy(frame.text));
      } else {
        finishModel(frame, depth);
      }
      const boundary = frame.node?.trie?.absPath;
      if (frame.isRecord && handler && frame.fields && boundary !== undefined) {
        handler.close(boundary, frame.fields, locationAt(depth));
        const trieNode = frame.node?.trie;
        if (handler.reuseFields && trieNode) {
          frame.fields.clear();
          trieNode.spare = frame.fields;
        }
      }
    }
    depth--;
  });

  let stopped = false;
  const guarded = (step: () => void) => {
    if (stopped) return;
    try {
      step();
    } catch (error) {
      if (!(error instanceof StopReading)) throw error;
      stopped = true;
    }
  };
  return {
    write: (text) => guarded(() => void parser.write(text)),
    close: () => {
      guarded(() => {
        parser.close();
        if (!schema) stop('XML_MALFORMED', 'no root element');
      });
      return { schema, issues, complete };
    },
  };
}
