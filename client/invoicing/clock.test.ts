import { describe, expect, it } from 'vitest';
import { controllableClock, normaliseLocalDateTime } from './clock.ts';

describe('the invoicing service\'s controllable clock', () => {
  it.each([
    ['2026-01-15T09:00:00', '2026-01-15T09:00:00'], ['2026-01-15T09:00', '2026-01-15T09:00:00'], ['2026-01-15', '2026-01-15T00:00:00'],
    ['2026-02-30T09:00:00', undefined], ['2026-01-15T24:00:00', undefined], ['15/1 2026', undefined],
  ])('%s → %s', (text, expected) => expect(normaliseLocalDateTime(text)).toBe(expected));

  it('shows its start, moves forward only, by days keeping the time of day, at most 3,660 days a call', () => {
    const clock = controllableClock('2026-01-31T09:30:00');
    expect(clock.now()).toBe('2026-01-31T09:30:00');
    expect(clock.advance({ days: 29 })).toEqual({ ok: true, now: '2026-03-01T09:30:00' });
    expect(clock.advance({ to: '2026-03-01T09:29:59' })).toEqual({ ok: false, message: 'the clock only moves forward: it shows 2026-03-01T09:30:00, 2026-03-01T09:29:59 is before that' });
    expect(clock.advance({ to: '2046-03-01T00:00:00' })).toMatchObject({ ok: false, message: expect.stringContaining('at most 3660 days') });
    expect(clock.advance({ days: 0 })).toMatchObject({ ok: false });
    expect(clock.advance({ to: '2026-04-01' })).toEqual({ ok: true, now: '2026-04-01T00:00:00' });
    expect(clock.now()).toBe('2026-04-01T00:00:00');
    expect(() => controllableClock('soon')).toThrow(/not a date-time/);
  });
});
