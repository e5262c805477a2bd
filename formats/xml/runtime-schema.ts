/**
 * The compiled schema tables turned into linked runtime types once per schema: particles point
 * at their resolved types, and each content model has a name → position index, so the
 * streaming validator does one Map lookup per element instead of searching.
 */
import type { AttributeDecl, CompiledSchema } from './schema-model.ts';
import { simpleCheckFor, type SimpleCheck } from './simple-types.ts';

export interface RuntimeParticle {
  name: string;
  min: number;
  /** Infinity for unbounded. */
  max: number;
  /** Undefined for `xs:any` (lax: not validated). */
  type: RuntimeType | undefined;
}

export interface RuntimeType {
  name: string;
  kind: 'sequence' | 'choice' | 'simple' | 'simpleContent';
  particles: RuntimeParticle[];
  /** Element name → particle position (ISO 20022 models never repeat a name). */
  positions: Map<string, number>;
  /** Position of an `xs:any` particle, or -1. */
  anyPosition: number;
  check: SimpleCheck | undefined;
  attributes: AttributeDecl[];
}

export interface RuntimeSchema {
  schema: CompiledSchema;
  root: RuntimeType;
}

const cache = new WeakMap<CompiledSchema, RuntimeSchema>();

export function runtimeSchema(schema: CompiledSchema): RuntimeSchema {
  const cached = cache.get(schema);
  if (cached) return cached;
  const types = new Map<string, RuntimeType>();
  const resolve = (name: string): RuntimeType => {
    const existing = types.get(name);
    if (existing) return existing;
    const complex = schema.complexTypes[name];
    const type: RuntimeType = { name, kind: 'simple', particles: [], positions: new Map(), anyPosition: -1, check: undefined, attributes: [] };
    types.set(name, type);
    if (!complex) {
      type.check = simpleCheckFor(schema, name);
      return type;
    }
    if (complex.kind === 'simpleContent') {
      type.kind = 'simpleContent';
      type.check = simpleCheckFor(schema, complex.base);
      type.attributes = complex.attributes;
      return type;
    }
    type.kind = complex.kind;
    complex.particles.forEach((p, position) => {
      type.particles.push({ name: p.name, min: p.min, max: p.max === -1 ? Infinity : p.max, type: p.name === '*' ? undefined : resolve(p.type) });
      if (p.name === '*') type.anyPosition = position;
      else if (type.positions.has(p.name)) throw new Error(`${schema.message} ${name}: element ${p.name} appears twice in one content model`);
      else type.positions.set(p.name, position);
    });
    return type;
  };
  const result = { schema, root: resolve(schema.rootType) };
  cache.set(schema, result);
  return result;
}
