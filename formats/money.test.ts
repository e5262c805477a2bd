import { describe, expect, it } from 'vitest';
import { formatOre, formatOreSwedish, parseAmountToOre, parseUserAmountToOre } from './money.ts';

describe('money in integer öre', () => {
  it.each([
    ['0.01', 1], ['1', 100], ['1.5', 150], ['1234.50', 123450], ['0.10', 10], ['10.500', 1050],
    ['99999999999.99', 9999999999999], ['-12.34', -1234],
  ])('parses %s exactly', (text, ore) => {
    expect(parseAmountToOre(text)).toEqual({ ok: true, ore });
  });

  it('never goes through floating point (0.29 * 100 is 28.999999999999996 in floats)', () => {
    expect(parseAmountToOre('0.29')).toEqual({ ok: true, ore: 29 });
    expect(parseAmountToOre('1.13')).toEqual({ ok: true, ore: 113 });
  });

  it.each([['1.234', 'decimals'], ['abc', 'syntax'], ['1,50', 'syntax'], ['', 'syntax'], ['1e5', 'syntax']])('refuses %s (%s)', (text, reason) => {
    expect(parseAmountToOre(text)).toEqual({ ok: false, reason });
  });

  it('formats öre as ISO decimal and for people', () => {
    expect(formatOre(123450)).toBe('1234.50');
    expect(formatOre(5)).toBe('0.05');
    expect(formatOre(-1234)).toBe('-12.34');
    expect(formatOreSwedish(123456789)).toBe('1\u00a0234\u00a0567,89');
    expect(parseUserAmountToOre('1 234,50')).toEqual({ ok: true, ore: 123450 });
  });

  it('round-trips every öre value in a range', () => {
    for (let ore = 0; ore < 20_000; ore += 7) expect(parseAmountToOre(formatOre(ore))).toEqual({ ok: true, ore });
  });
});
