import { describe, expect, it } from 'vitest';
import { stockholmDateTime } from './stockholm.ts';

describe('Swedish local time', () => {
  it('is UTC+1 in winter and UTC+2 in summer', () => {
    expect(stockholmDateTime(Date.UTC(2026, 0, 15, 12, 0, 0))).toBe('2026-01-15T13:00:00');
    expect(stockholmDateTime(Date.UTC(2026, 6, 15, 12, 0, 0))).toBe('2026-07-15T14:00:00');
    expect(stockholmDateTime(Date.UTC(2026, 11, 31, 23, 30, 0))).toBe('2027-01-01T00:30:00');
  });
});
