import { describe, expect, it } from 'vitest';
import { addBankDays, addDays, bankDaysBetween, dayNumber, fromDayNumber, isBankDay, nextBankDay, rollToBankDay, weekday } from './calendar.ts';

describe('Swedish bank-day calendar', () => {
  it.each([
    ['2026-01-01', false, 'New Year'], ['2026-01-06', false, 'Epiphany'], ['2026-04-03', false, 'Good Friday'],
    ['2026-04-06', false, 'Easter Monday'], ['2026-05-01', false, 'May Day'], ['2026-05-14', false, 'Ascension'],
    ['2026-06-06', false, 'National Day (a Saturday)'], ['2026-06-19', false, 'Midsummer Eve'], ['2026-12-24', false, 'Christmas Eve'],
    ['2026-12-25', false, 'Christmas'], ['2026-12-26', false, 'Boxing Day'], ['2026-12-31', false, "New Year's Eve"],
    ['2026-03-14', false, 'a Saturday'], ['2026-03-15', false, 'a Sunday'],
    ['2026-03-16', true, 'a Monday'], ['2026-04-02', true, 'Maundy Thursday'], ['2026-06-18', true, 'day before Midsummer Eve'],
    ['2025-06-20', false, 'Midsummer Eve 2025'], ['2027-03-26', false, 'Good Friday 2027'],
  ])('%s is a bank day: %s (%s)', (date, expected) => {
    expect(isBankDay(date)).toBe(expected);
  });

  it('rolls to the next bank day across Easter', () => {
    expect(rollToBankDay('2026-04-03')).toBe('2026-04-07');
    expect(nextBankDay('2026-04-02')).toBe('2026-04-07');
    expect(addBankDays('2026-12-23', 1)).toBe('2026-12-28');
  });

  it('day numbers round-trip and weekdays are right', () => {
    for (let n = dayNumber('1999-12-25'); n < dayNumber('2031-01-10'); n += 3) expect(dayNumber(fromDayNumber(n))).toBe(n);
    expect(dayNumber('1970-01-01')).toBe(0);
    expect(weekday('2026-03-16')).toBe(0);
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
  });

  it('lists the bank days of March 2026 (22)', () => {
    expect(bankDaysBetween('2026-02-28', '2026-03-31')).toHaveLength(22);
  });
});

describe('a text that is not a date', () => {
  it.each(['tomorrow', '2026-13-45', '2026-02-30', '', '2026-3-4'])('is refused by rollToBankDay and nextBankDay instead of looping: %j', (text) => {
    expect(() => rollToBankDay(text)).toThrow(/is not a date: give YYYY-MM-DD/);
    expect(() => nextBankDay(text)).toThrow(RangeError);
  });
});
