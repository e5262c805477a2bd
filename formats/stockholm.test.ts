import { describe, expect, it } from 'vitest';
import { stockholmDateTime, stockholmOffset, withStockholmOffset } from './stockholm.ts';

describe('Swedish local time', () => {
  it('is UTC+1 in winter and UTC+2 in summer', () => {
    expect(stockholmDateTime(Date.UTC(2026, 0, 15, 12, 0, 0))).toBe('2026-01-15T13:00:00');
    expect(stockholmDateTime(Date.UTC(2026, 6, 15, 12, 0, 0))).toBe('2026-07-15T14:00:00');
    expect(stockholmDateTime(Date.UTC(2026, 11, 31, 23, 30, 0))).toBe('2027-01-01T00:30:00');
  });
});

describe('Swedish local time with its UTC offset', () => {
  it('is +01:00 in winter, +02:00 in summer, switching on the last Sundays of March and October', () => {
    expect(withStockholmOffset('2026-01-15T13:00:00')).toBe('2026-01-15T13:00:00+01:00');
    expect(withStockholmOffset('2026-07-15T14:00:00')).toBe('2026-07-15T14:00:00+02:00');
    expect(stockholmOffset('2026-03-29T01:59:59')).toBe('+01:00');
    expect(stockholmOffset('2026-03-29T03:00:00')).toBe('+02:00');
    expect(stockholmOffset('2026-10-25T01:59:59')).toBe('+02:00');
    expect(stockholmOffset('2026-10-25T02:30:00')).toBe('+02:00');
    expect(stockholmOffset('2026-10-25T03:00:00')).toBe('+01:00');
  });

  it('keeps a timestamp that already has an offset', () => {
    expect(withStockholmOffset('2026-07-15T14:00:00+02:00')).toBe('2026-07-15T14:00:00+02:00');
  });
});
