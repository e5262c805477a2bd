/** A day's processing points, as a flat table: bank days have cut-off and end of day, other days only the release of held reports. */
import { describe, expect, it } from 'vitest';
import { processingPoints } from './clock.ts';

const rows: { day: string; cutoff: string; points: string[] }[] = [
  { day: '2026-03-12', cutoff: '10:00', points: ['2026-03-12T00:00:00 release-held', '2026-03-12T10:00:00 cut-off', '2026-03-12T23:59:59 end-of-day'] },
  { day: '2026-03-12', cutoff: '09:30', points: ['2026-03-12T00:00:00 release-held', '2026-03-12T09:30:00 cut-off', '2026-03-12T23:59:59 end-of-day'] },
  { day: '2026-03-14', cutoff: '10:00', points: ['2026-03-14T00:00:00 release-held'] },
  { day: '2026-04-03', cutoff: '10:00', points: ['2026-04-03T00:00:00 release-held'] },
  { day: '2026-12-24', cutoff: '10:00', points: ['2026-12-24T00:00:00 release-held'] },
];

describe('processingPoints', () => {
  it.each(rows)('$day (cut-off $cutoff)', ({ day, cutoff, points }) => {
    expect(processingPoints(day, cutoff).map((p) => `${p.at} ${p.kind}`)).toEqual(points);
  });
});
