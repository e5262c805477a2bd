/**
 * Swedish local time for an instant: `YYYY-MM-DDTHH:MM:SS` in Europe/Stockholm (CET/CEST).
 * Pure — the caller passes the instant; only the edges (main, the client) pass the real clock.
 */
const formatter = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });

export function stockholmDateTime(epochMs: number): string {
  const parts = Object.fromEntries(formatter.formatToParts(epochMs).map((p) => [p.type, p.value]));
  return `${parts['year']}-${parts['month']}-${parts['day']}T${parts['hour']}:${parts['minute']}:${parts['second']}`;
}
