import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fieldProblems, problemDetail } from './zod-issues.ts';
import { schemas } from '../simulator/http/schemas.ts';

function detail(schema: z.ZodType, value: unknown): string {
  const parsed = schema.safeParse(value);
  if (parsed.success) throw new Error('expected a refusal');
  return problemDetail(fieldProblems(parsed.error, value));
}

describe('zod issues as sentences naming the field and what is expected', () => {
  it.each([
    [{ days: 1.5 }, /^days: expected a whole number, got 1\.5 \(give days \(a whole number 0–\d+\) or to/],
    [{ days: '2' }, /^days: expected a number, got the string "2" \(give days/],
    [{}, /^body: give days \(a whole number 0–\d+\) or to \(YYYY-MM-DD or YYYY-MM-DDThh:mm\[:ss\]\)$/],
    [{ days: 1, to: '2026-04-01' }, /^body: give days \(a whole number 0–\d+\) or to/],
    [{ days: -1 }, /^days: expected a number at least 0/],
    [{ to: '2026-02-30' }, /^to: a real date and time/],
  ])('clock advance %j', (body, expected) => {
    const text = detail(schemas.advanceClock, body);
    expect(text).toMatch(expected);
    expect(text).not.toContain('Invalid input');
  });

  it('objects, enums, lengths, unknown fields and discriminated unions', () => {
    expect(detail(schemas.createSandbox, { bank: 'nordea', companyName: '', extra: 1 })).toBe('bank: expected one of "swedbank", "sparbanken", got the string "nordea"; companyName: expected at least 1 character; body: unknown field extra: leave it out');
    expect(detail(schemas.faults, { rules: [{ action: { type: 'explode' } }] })).toBe('rules.0.action.type: expected one of "reject", "delay-report", "drop-report", "duplicate-report", "http-error", "latency", "fail-webhook", got the string "explode"');
    expect(detail(schemas.faults, { rules: [{ action: { type: 'latency' } }] })).toBe('rules.0.action.ms: required: a number');
  });

  it('a union without its own message lists the forms it accepts', () => {
    const either = z.union([z.object({ a: z.string() }).strict(), z.object({ b: z.number() }).strict()]);
    expect(detail(either, {})).toBe('body: matches none of the accepted forms: a: required: a string — or — b: required: a number');
  });
});
