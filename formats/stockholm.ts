/**
 * Swedish local time for an instant: `YYYY-MM-DDTHH:MM:SS` in Europe/Stockholm (CET/CEST).
 * Pure — the caller passes the instant; only the edges (main, the client) pass the real clock.
 */
const formatter = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });

export function stockholmDateTime(epochMs: number): string {
  const parts = Object.fromEntries(formatter.formatToParts(epochMs).map((p) => [p.type, p.value]));
  return `${parts['year']}-${parts['month']}-${parts['day']}T${parts['hour']}:${parts['minute']}:${parts['second']}`;
}

/**
 * The UTC offset Swedish local time has at a local date-time (`YYYY-MM-DDTHH:MM:SS`): +01:00
 * (CET) or +02:00 (CEST, from the last Sunday of March 02:00 to the last Sunday of October
 * 03:00). The hour that repeats in October is read as its first, summer-time occurrence; the
 * hour skipped in March does not occur on a simulated clock that reads local time.
 */
export function stockholmOffset(local: string): '+01:00' | '+02:00' {
  const [date = '', time = '00:00:00'] = local.split('T');
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const [hh, mm, ss] = time.slice(0, 8).split(':').map(Number) as [number, number, number];
  // Read the local time as if it were summer time; if Stockholm then shows the same wall
  // clock, summer time is in force there.
  const asSummer = Date.UTC(y, m - 1, d, hh, mm, ss ?? 0) - 2 * 3_600_000;
  return stockholmDateTime(asSummer) === `${date}T${time.slice(0, 8)}` ? '+02:00' : '+01:00';
}

/** A Swedish local date-time with its offset, as the banks write ISO 20022 timestamps. */
export function withStockholmOffset(local: string): string {
  if (/(Z|[+-]\d{2}:\d{2})$/.test(local)) return local;
  const seconds = local.length === 16 ? `${local}:00` : local.slice(0, 19);
  return `${seconds}${stockholmOffset(seconds)}`;
}
