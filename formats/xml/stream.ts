/**
 * Streaming ISO 20022 reader: one saxes pass that both validates the document against a
 * compiled XSD (content models, occurrences, facets, attributes) and hands flat records to a
 * message-specific builder. No DOM is built, so a 100,000-payment file costs its records, not
 * a tree of a million nodes; no DTD is processed, so no entity can expand.
 */
import { SaxesParser, type SaxesTagNS } from 'saxes';
import { issue, type FormatIssue } from '../issues.ts';
import type { CompiledSchema, ComplexType, Particle } from './schema-model.ts';
import { simpleCheckFor, type SimpleCheck } from './simple-types.ts';

/** Explicit limits; documented in the README ("Limits"). */
export const XML_LIMITS = {
  /** ISO 20022 documents nest about 12 deep; anything past this is hostile or broken. */
  maxDepth: 48,
  /** Issues beyond this are summarised: a garbage file must not build a huge error list. */
  maxIssues: 1000,
  /** The longest simple value in these schemas is 2,048 characters (Max2048Text). */
  maxTextLength: 10_000,
} as const;

/** Relative path within a record → values in document order. Attributes as `Amt/InstdAmt@Ccy`. */
export type Fields = Map<string, string[]>;

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
}

export interface ReadResult {
  schema: CompiledSchema | undefined;
  issues: FormatIssue[];
  /** False when the document could not be read to its end (malformed XML, DOCTYPE, limits). */
  complete: boolean;
}

interface ModelState {
  /** sequence: index of the current particle; choice: index of the chosen particle or -1. */
  index: number;
  count: number;
}

interface Frame {
  name: string;
  path: string;
  absPath: string;
  /** Path relative to the innermost record; '' at the record element itself. */
  relPath: string;
  /** Complex content model, or undefined for simple/skipped content. */
  complex: ComplexType | undefined;
  simple: SimpleCheck | undefined;
  /** Inside `xs:any` or an unknown element: nothing below is validated or collected. */
  skip: boolean;
  state: ModelState;
  text: string;
  fields: Fields | undefined;
}

class StopReading extends Error {}

const XSI = 'http://www.w3.org/2001/XMLSchema-instance';

function describe(particles: readonly Particle[]): string {
  return particles.map((p) => p.name).join(', ');
}

export function readIsoXml(input: string, schemas: readonly CompiledSchema[], handler: RecordHandler | undefined): ReadResult {
  const issues: FormatIssue[] = [];
  let schema: CompiledSchema | undefined;
  let complete = true;
  const stack: Frame[] = [];
  let recordFields: Fields | undefined;
  const recordStack: Fields[] = [];
  let truncated = false;

  const parser = new SaxesParser({ xmlns: true, position: true });

  const add = (found: FormatIssue) => {
    if (issues.length < XML_LIMITS.maxIssues) issues.push(found);
    else if (!truncated) {
      truncated = true;
      issues.push(issue('XML_LIMIT_EXCEEDED', '/', `more than ${XML_LIMITS.maxIssues} issues; the rest are not listed`, { severity: 'error' }));
    }
  };
  const at = (code: Parameters<typeof issue>[0], path: string, message: string, value?: string) =>
    add(issue(code, path, message, value === undefined ? { line: parser.line } : { value, line: parser.line }));
  const stop = (code: Parameters<typeof issue>[0], message: string): never => {
    at(code, stack[stack.length - 1]?.path ?? '/', message);
    complete = false;
    throw new StopReading(message);
  };

  const typeOf = (typeName: string): { complex?: ComplexType; simple?: SimpleCheck } => {
    if (!schema) return {};
    const complex = schema.complexTypes[typeName];
    if (complex) return complex.kind === 'simpleContent' ? { complex, simple: simpleCheckFor(schema, complex.base) } : { complex };
    return { simple: simpleCheckFor(schema, typeName) };
  };

  /** Advances the parent's content model by one child; returns the matched particle. */
  const accept = (parent: Frame, name: string, path: string): Particle | undefined => {
    const model = parent.complex;
    if (!model || model.kind === 'simpleContent') {
      at('SCHEMA_UNEXPECTED_ELEMENT', path, `element ${name} is not allowed in ${parent.name}, which holds only text`);
      return undefined;
    }
    const { particles } = model;
    const state = parent.state;
    if (model.kind === 'choice') {
      if (state.index === -1) {
        const index = particles.findIndex((p) => p.name === name || p.name === '*');
        if (index === -1) {
          at('SCHEMA_UNEXPECTED_ELEMENT', path, `element ${name} is not allowed in ${parent.name}; expected one of ${describe(particles)}`);
          return undefined;
        }
        state.index = index;
        state.count = 1;
        return particles[index];
      }
      const chosen = particles[state.index];
      if (chosen && (chosen.name === name || chosen.name === '*')) {
        state.count++;
        if (chosen.max !== -1 && state.count > chosen.max) at('SCHEMA_TOO_MANY', path, `${name} occurs more than ${chosen.max} time(s) in ${parent.name}`);
        return chosen;
      }
      at('SCHEMA_UNEXPECTED_ELEMENT', path, `element ${name} is not allowed in ${parent.name}: only one of ${describe(particles)} may be given`);
      return undefined;
    }
    const current = particles[state.index];
    if (current && (current.name === name || (current.name === '*' && state.count < (current.max === -1 ? Infinity : current.max)))) {
      state.count++;
      if (current.max !== -1 && state.count > current.max) at('SCHEMA_TOO_MANY', path, `${name} occurs more than ${current.max} time(s) in ${parent.name}`);
      return current;
    }
    for (let j = state.index + 1; j < particles.length; j++) {
      const candidate = particles[j];
      if (!candidate || (candidate.name !== name && candidate.name !== '*')) continue;
      // Everything skipped over must have been optional.
      for (let k = state.index; k < j; k++) {
        const skipped = particles[k];
        const seen = k === state.index ? state.count : 0;
        if (skipped && seen < skipped.min) at('SCHEMA_MISSING_ELEMENT', parent.path, `${parent.name} is missing ${skipped.name} (before ${name})`);
      }
      state.index = j;
      state.count = 1;
      return candidate;
    }
    const earlier = particles.slice(0, state.index).some((p) => p.name === name);
    at(
      'SCHEMA_UNEXPECTED_ELEMENT',
      path,
      earlier ? `element ${name} is out of order in ${parent.name}` : `element ${name} is not allowed in ${parent.name}`,
    );
    return undefined;
  };

  const finishModel = (frame: Frame) => {
    const model = frame.complex;
    if (!model || model.kind === 'simpleContent') return;
    if (model.kind === 'choice') {
      if (frame.state.index === -1) at('SCHEMA_MISSING_ELEMENT', frame.path, `${frame.name} must contain one of ${describe(model.particles)}`);
      return;
    }
    for (let k = frame.state.index; k < model.particles.length; k++) {
      const particle = model.particles[k];
      const seen = k === frame.state.index ? frame.state.count : 0;
      if (particle && seen < particle.min) at('SCHEMA_MISSING_ELEMENT', frame.path, `${frame.name} is missing ${particle.name}`);
    }
  };

  const checkAttributes = (tag: SaxesTagNS, frame: Frame) => {
    const declared = frame.complex?.kind === 'simpleContent' ? frame.complex.attributes : [];
    const seen = new Set<string>();
    for (const attr of Object.values(tag.attributes)) {
      if (attr.prefix === 'xmlns' || attr.name === 'xmlns' || attr.uri === XSI) continue;
      const decl = attr.uri === '' ? declared.find((d) => d.name === attr.local) : undefined;
      if (!decl) {
        if (!frame.skip) at('SCHEMA_UNEXPECTED_ATTRIBUTE', `${frame.path}/@${attr.name}`, `attribute ${attr.name} is not allowed on ${frame.name}`, attr.value);
        continue;
      }
      seen.add(decl.name);
      const problem = schema ? simpleCheckFor(schema, decl.type)(attr.value) : undefined;
      if (problem) at(problem.code, `${frame.path}/@${decl.name}`, `${frame.name}/@${decl.name} ${problem.message}`, attr.value);
      if (frame.fields) {
        const key = `${frame.relPath}@${decl.name}`;
        const list = frame.fields.get(key);
        if (list) list.push(attr.value);
        else frame.fields.set(key, [attr.value]);
      }
    }
    for (const decl of declared) {
      if (decl.required && !seen.has(decl.name)) at('SCHEMA_MISSING_ATTRIBUTE', frame.path, `${frame.name} needs attribute ${decl.name}`);
    }
  };

  parser.on('doctype', () => stop('XML_DOCTYPE_FORBIDDEN', 'a DOCTYPE is not allowed: DTDs and entities are never processed'));
  parser.on('error', (error) => stop('XML_MALFORMED', `malformed XML: ${error.message.replace(/^.*?:\d+:\d+: /, '')}`));
  parser.on('opentag', (tag) => {
    const parent = stack[stack.length - 1];
    if (stack.length >= XML_LIMITS.maxDepth) stop('XML_LIMIT_EXCEEDED', `elements nest deeper than ${XML_LIMITS.maxDepth}`);
    const name = tag.local;
    if (!parent) {
      schema = schemas.find((s) => s.namespace === tag.uri);
      if (!schema) {
        const known = schemas.map((s) => s.message).join(', ');
        stop(tag.uri ? 'XML_WRONG_NAMESPACE' : 'XML_UNKNOWN_ROOT', `root ${name} in namespace "${tag.uri}" is not one of ${known}`);
      }
      const rootSchema = schema as CompiledSchema;
      if (name !== rootSchema.rootElement) stop('XML_UNKNOWN_ROOT', `root element must be ${rootSchema.rootElement}, got ${name}`);
      const { complex, simple } = typeOf(rootSchema.rootType);
      const frame: Frame = { name, path: `/${name}`, absPath: name, relPath: '', complex, simple, skip: false, state: { index: 0, count: 0 }, text: '', fields: undefined };
      if (complex?.kind === 'choice') frame.state.index = -1;
      stack.push(frame);
      checkAttributes(tag, frame);
      return;
    }
    let particle: Particle | undefined;
    let path: string;
    if (parent.skip) {
      path = `${parent.path}/${name}`;
    } else {
      if (tag.uri !== schema?.namespace) {
        path = `${parent.path}/${name}`;
        at('XML_WRONG_NAMESPACE', path, `element ${name} is in namespace "${tag.uri}", expected "${schema?.namespace}"`);
      } else {
        path = `${parent.path}/${name}`;
        particle = accept(parent, name, path);
        // A repeatable element's index in the path is its occurrence count within the parent.
        if (particle && particle.max !== 1) path = `${parent.path}/${name}[${parent.state.count}]`;
      }
    }
    const skip = parent.skip || !particle || particle.name === '*';
    const absPath = `${parent.absPath}/${name}`;
    const isRecord = !skip && handler !== undefined && handler.boundaries.has(absPath);
    const { complex, simple } = skip ? {} : typeOf(particle?.type ?? '');
    let fields = parent.fields;
    let relPath = parent.relPath === '' ? name : `${parent.relPath}/${name}`;
    if (isRecord) {
      fields = new Map();
      relPath = '';
      if (recordFields) recordStack.push(recordFields);
      recordFields = fields;
      handler.open?.(absPath, { path, line: parser.line });
    }
    const frame: Frame = {
      name, path, absPath, relPath, complex, simple, skip,
      state: { index: complex?.kind === 'choice' ? -1 : 0, count: 0 },
      text: '', fields: skip ? undefined : fields,
    };
    stack.push(frame);
    checkAttributes(tag, frame);
  });
  parser.on('text', (text) => {
    const frame = stack[stack.length - 1];
    if (!frame || frame.skip) return;
    if (frame.simple) {
      frame.text += text;
      if (frame.text.length > XML_LIMITS.maxTextLength) stop('XML_LIMIT_EXCEEDED', `text of ${frame.name} is longer than ${XML_LIMITS.maxTextLength} characters`);
    } else if (/\S/.test(text)) {
      at('SCHEMA_UNEXPECTED_TEXT', frame.path, `${frame.name} holds elements, not text`, text.trim().slice(0, 40));
    }
  });
  parser.on('closetag', () => {
    const frame = stack.pop();
    if (!frame) return;
    if (frame.skip) return;
    if (frame.simple) {
      const problem = frame.simple(frame.text);
      if (problem) at(problem.code, frame.path, `${frame.name} ${problem.message}`, frame.text.slice(0, 80));
      if (frame.fields && frame.relPath !== '') {
        const list = frame.fields.get(frame.relPath);
        if (list) list.push(frame.text);
        else frame.fields.set(frame.relPath, [frame.text]);
      }
    } else {
      finishModel(frame);
    }
    if (handler && frame.relPath === '' && frame.fields && recordFields === frame.fields) {
      handler.close(frame.absPath, frame.fields, { path: frame.path, line: parser.line });
      recordFields = recordStack.pop();
    }
  });

  try {
    parser.write(input).close();
    if (!schema) stop('XML_MALFORMED', 'no root element');
  } catch (error) {
    if (!(error instanceof StopReading)) throw error;
  }
  return { schema, issues, complete };
}
