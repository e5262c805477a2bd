import { describe, expect, it } from 'vitest';
import { dateTarget, nextBankDayStart, nextCutoff } from './clock-targets.ts';

describe('console clock targets', () => {
  it.each([
    ['2026-03-12T08:00:00', '2026-03-12T10:00:00', 'before today\'s cut-off: today\'s'],
    ['2026-03-12T10:00:00', '2026-03-13T10:00:00', 'at the cut-off: the next bank day\'s'],
    ['2026-03-13T12:00:00', '2026-03-16T10:00:00', 'Friday afternoon: Monday\'s'],
    ['2026-03-14T08:00:00', '2026-03-16T10:00:00', 'Saturday: Monday\'s'],
    ['2026-04-02T11:00:00', '2026-04-07T10:00:00', 'Maundy Thursday afternoon: past Good Friday and Easter Monday'],
  ])('next cut-off after %s is %s (%s)', (now, expected) => {
    expect(nextCutoff(now, '10:00')).toBe(expected);
  });

  it.each([
    ['2026-03-12T08:00:00', '2026-03-13T08:00:00'],
    ['2026-03-13T23:00:00', '2026-03-16T08:00:00'],
    ['2026-12-23T09:00:00', '2026-12-28T08:00:00'],
  ])('next bank day after %s starts %s', (now, expected) => {
    expect(nextBankDayStart(now)).toBe(expected);
  });

  it.each([
    ['2026-03-20', '2026-03-20T09:15:00'],
    ['2026-03-20 16:30', '2026-03-20T16:30:00'],
    ['2026-03-20T16:30:05', '2026-03-20T16:30:05'],
    ['20 March', undefined],
    ['2026-3-20', undefined],
  ])('a date field of %j moves to %s', (input, expected) => {
    expect(dateTarget('2026-03-12T09:15:00', input)).toBe(expected);
  });
});
