/**
 * A compiled form of an ISO 20022 XSD: just what the streaming validator needs. ISO 20022
 * message schemas are regular: every complex type is one `sequence` or one `choice` of
 * elements (or `xs:any`), or simple content with attributes; every simple type is a
 * restriction of a built-in with facets. The compiler (`xsd-compile.ts`) refuses anything
 * else, so the validator can be small and exact.
 */
export type BuiltinType = 'string' | 'decimal' | 'date' | 'dateTime' | 'boolean' | 'gYearMonth';

export interface Particle {
  /** Local element name; `*` for `xs:any` (lax, any namespace). */
  name: string;
  type: string;
  min: number;
  /** -1 for unbounded. */
  max: number;
}

export interface AttributeDecl {
  name: string;
  type: string;
  required: boolean;
}

export type ComplexType =
  | { kind: 'sequence'; particles: Particle[] }
  | { kind: 'choice'; particles: Particle[] }
  | { kind: 'simpleContent'; base: string; attributes: AttributeDecl[] };

export interface SimpleType {
  base: BuiltinType;
  minLength?: number;
  maxLength?: number;
  patterns?: string[];
  enumeration?: string[];
  totalDigits?: number;
  fractionDigits?: number;
  minInclusive?: string;
}

export interface CompiledSchema {
  /** e.g. `pain.001.001.03` */
  message: string;
  namespace: string;
  rootElement: string;
  rootType: string;
  complexTypes: Record<string, ComplexType>;
  simpleTypes: Record<string, SimpleType>;
}
