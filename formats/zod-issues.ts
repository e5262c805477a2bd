/**
 * zod's issues as sentences a caller can act on: each names its field and says what is
 * expected ("days: expected a whole number, got 1.5"), where zod's defaults say "Invalid input"
 * (a union) or speak of its own types ("expected int, received number"). A union reports the
 * one alternative the body was evidently meant to be, else the union's own message.
 */
import type { z } from 'zod';

export interface FieldProblem {
  /** Dotted path of the field, '' for the body itself. */
  path: string;
  message: string;
}

type Issue = z.core.$ZodIssue;

const EXPECTED: Record<string, string> = {
  int: 'a whole number', number: 'a number', string: 'a string', boolean: 'true or false', array: 'a list', object: 'an object',
  bigint: 'a whole number', date: 'a date', null: 'null', literal: 'a fixed value',
};

/** The value at a path of the parsed body, to say what was sent instead. */
function at(value: unknown, path: readonly PropertyKey[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

function sent(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return `a${typeof value === 'object' ? 'n' : ''} ${typeof value}`;
}

function bound(issue: Extract<Issue, { code: 'too_small' | 'too_big' }>): string {
  const limit = issue.code === 'too_small' ? issue.minimum : issue.maximum;
  const word = issue.code === 'too_small' ? (issue.inclusive === false ? 'more than' : 'at least') : (issue.inclusive === false ? 'less than' : 'at most');
  const plural = Number(limit) === 1 ? '' : 's';
  const unit = issue.origin === 'string' ? ` character${plural}` : issue.origin === 'array' || issue.origin === 'set' ? ` item${plural}` : '';
  return issue.origin === 'number' || issue.origin === 'bigint' || issue.origin === 'int' ? `expected a number ${word} ${String(limit)}` : `expected ${word} ${String(limit)}${unit}`;
}

/** Does this alternative of a union fit the body's shape (no field missing, none unknown)? */
function fitsShape(issues: readonly Issue[], value: unknown, base: readonly PropertyKey[]): boolean {
  return issues.every((i) => i.code !== 'unrecognized_keys' && !(i.code === 'invalid_type' && at(value, [...base, ...i.path]) === undefined));
}

function describe(issue: Issue, value: unknown, base: readonly PropertyKey[]): FieldProblem[] {
  const path = [...base, ...issue.path];
  const name = path.map(String).join('.');
  const one = (message: string): FieldProblem[] => [{ path: name, message }];
  switch (issue.code) {
    case 'invalid_type': {
      const expected = EXPECTED[issue.expected] ?? issue.expected;
      const actual = at(value, path);
      return one(actual === undefined ? `required: ${expected}` : `expected ${expected}, got ${sent(actual)}`);
    }
    case 'too_small':
    case 'too_big':
      return one(bound(issue));
    case 'invalid_value':
      return one(`expected ${issue.values.length === 1 ? JSON.stringify(issue.values[0]) : `one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`}, got ${sent(at(value, path))}`);
    case 'unrecognized_keys':
      return one(`unknown field${issue.keys.length === 1 ? '' : 's'} ${issue.keys.join(', ')}: leave ${issue.keys.length === 1 ? 'it' : 'them'} out`);
    case 'invalid_union': {
      const custom = issue.message !== 'Invalid input';
      if ('options' in issue && Array.isArray(issue.options)) return one(`expected one of ${issue.options.map((o) => JSON.stringify(o)).join(', ')}, got ${sent(at(value, path))}`);
      const fitting = issue.errors.filter((branch) => fitsShape(branch, value, path));
      if (fitting.length === 1 && fitting[0]) {
        const specific = fitting[0].flatMap((i) => describe(i, value, path));
        return custom ? specific.map((p) => ({ ...p, message: `${p.message} (${issue.message})` })) : specific;
      }
      if (custom) return one(issue.message);
      return one(`matches none of the accepted forms: ${issue.errors.map((branch) => branch.flatMap((i) => describe(i, value, path)).map((p) => `${p.path || 'body'}: ${p.message}`).join(', ')).join(' — or — ')}`);
    }
    default:
      return one(issue.message);
  }
}

/** One problem per field, in zod's order. */
export function fieldProblems(error: z.ZodError, value: unknown): FieldProblem[] {
  return error.issues.flatMap((issue) => describe(issue, value, []));
}

/** The problem's `detail`: every field's problem, "days: expected a whole number, got 1.5; …". */
export function problemDetail(problems: readonly FieldProblem[]): string {
  return problems.map((p) => `${p.path || 'body'}: ${p.message}`).join('; ');
}
