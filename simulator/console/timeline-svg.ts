/**
 * The timeline drawn as server-side SVG: one lane for the file, one per payment, one for
 * reports and one for webhooks, on a time axis of days. Days where something happened are
 * wide, idle days narrow, non-bank days shaded, each bank day's cut-off a dashed line. Every
 * marker links to its step in the list below (reports to the report itself), so the picture
 * works without JavaScript and the list says the same in words.
 */
import type { Payment } from '../engine/model.ts';
import { esc, tr, type Lang } from './i18n.ts';
import { paymentLabel, stepSummary } from './step-text.ts';
import type { StepKind, Timeline, TimelineStep } from './timeline.ts';

const LABEL_WIDTH = 200;
const BUSY_DAY = 130;
const IDLE_DAY = 26;
const HEADER = 46;
const LANE = 34;

const COLOURS: Partial<Record<StepKind, string>> & { default: string } = {
  executed: '#2e7d32', signed: '#2e7d32', validated: '#1565c0', 'awaiting-signature': '#f9a825', 'partially-accepted': '#f9a825', scheduled: '#1565c0',
  retry: '#ef6c00', rejected: '#c62828', 'file-rejected': '#c62828', 'payment-rejected-at-intake': '#c62828', cancelled: '#616161',
  'cancellation-requested': '#8e24aa', 'cancellation-rejected': '#c62828', received: '#1565c0', report: '#00695c', default: '#1565c0',
};

function secondsOfDay(at: string): number {
  const [h = '0', m = '0', s = '0'] = at.slice(11).split(':');
  return Number(h) * 3600 + Number(m) * 60 + Number(s);
}

export interface SvgLinks {
  report(reportId: string): string;
  step(index: number): string;
}

export function timelineSvg(t: Timeline, lang: Lang, links: SvgLinks): string {
  const dayX = new Map<string, { x: number; w: number; bankDay: boolean; busy: boolean }>();
  let x = LABEL_WIDTH;
  for (const d of t.days) {
    const w = d.busy ? BUSY_DAY : IDLE_DAY;
    dayX.set(d.date, { x, w, bankDay: d.bankDay, busy: d.busy });
    x += w;
  }
  const width = x + 12;
  const xAt = (at: string): number => {
    const day = dayX.get(at.slice(0, 10));
    if (!day) return x;
    return day.x + (secondsOfDay(at) / 86400) * day.w;
  };
  const payments = new Map<string, Payment>(t.paymentLanes.map((p) => [p.id, p]));
  const lanes: { id: string; label: string }[] = [
    { id: 'file', label: tr(lang, 'Filen', 'File') },
    ...t.paymentLanes.map((p) => ({ id: p.id, label: paymentLabel(p) })),
    { id: 'reports', label: tr(lang, 'Rapporter', 'Reports') },
    { id: 'webhooks', label: 'Webhooks' },
  ];
  const laneY = new Map(lanes.map((l, i) => [l.id, HEADER + i * LANE + LANE / 2]));
  const height = HEADER + lanes.length * LANE + 22;
  const cutoffSeconds = secondsOfDay(`0000-00-00T${t.cutoffTime}:00`);

  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" class="timeline" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="tl-title" data-testid="timeline">`);
  out.push(`<title id="tl-title">${esc(tr(lang, `Tidslinje för ${t.fileId}`, `Timeline of ${t.fileId}`))}</title>`);
  for (const d of t.days) {
    const day = dayX.get(d.date) as { x: number; w: number };
    out.push(`<g class="day" data-date="${d.date}" data-bank-day="${d.bankDay}">`);
    out.push(`<rect x="${day.x}" y="0" width="${day.w}" height="${height - 20}" fill="${d.bankDay ? '#ffffff' : '#eceff1'}" stroke="#cfd8dc" stroke-width="0.5"/>`);
    const label = d.busy ? d.date : d.date.slice(8);
    out.push(`<text x="${day.x + 4}" y="14" font-size="11" fill="#37474f">${esc(label)}</text>`);
    if (d.busy) out.push(`<text x="${day.x + 4}" y="28" font-size="10" fill="#78909c">${esc(d.bankDay ? tr(lang, 'bankdag', 'bank day') : tr(lang, 'ej bankdag', 'not a bank day'))}</text>`);
    if (d.bankDay) {
      const cx = day.x + (cutoffSeconds / 86400) * day.w;
      out.push(`<line class="cutoff" x1="${cx.toFixed(1)}" y1="${d.busy ? 32 : 18}" x2="${cx.toFixed(1)}" y2="${height - 20}" stroke="#d84315" stroke-width="1" stroke-dasharray="4 3"/>`);
      if (d.busy) out.push(`<text x="${(cx + 3).toFixed(1)}" y="41" font-size="9" fill="#d84315">${esc(tr(lang, `brytpunkt ${t.cutoffTime}`, `cut-off ${t.cutoffTime}`))}</text>`);
    }
    out.push('</g>');
  }
  lanes.forEach((lane) => {
    const y = laneY.get(lane.id) as number;
    out.push(`<line x1="${LABEL_WIDTH}" y1="${y}" x2="${width - 12}" y2="${y}" stroke="#b0bec5" stroke-width="1"/>`);
    out.push(`<text x="6" y="${y + 4}" font-size="11" fill="#263238">${esc(lane.label.length > 32 ? `${lane.label.slice(0, 31)}…` : lane.label)}</text>`);
  });
  const nowX = xAt(t.now);
  out.push(`<line class="now" x1="${nowX.toFixed(1)}" y1="${HEADER - 4}" x2="${nowX.toFixed(1)}" y2="${height - 20}" stroke="#212121" stroke-width="2"/>`);
  out.push(`<text x="${(nowX + 3).toFixed(1)}" y="${height - 6}" font-size="10" fill="#212121">${esc(tr(lang, `nu ${t.now.replace('T', ' ')}`, `now ${t.now.replace('T', ' ')}`))}</text>`);

  // A payment still scheduled: where it is due to execute (the cut-off of its bank day).
  for (const p of t.paymentLanes) {
    if (p.status !== 'SCHEDULED' || !p.executionDate) continue;
    const y = laneY.get(p.id) as number;
    const due = xAt(`${p.executionDate}T${t.cutoffTime}:00`);
    out.push(`<circle class="due" cx="${due.toFixed(1)}" cy="${y}" r="6" fill="#ffffff" stroke="#1565c0" stroke-width="2" stroke-dasharray="2 2"><title>${esc(tr(lang, `Ska genomföras ${p.executionDate}`, `Due to execute on ${p.executionDate}`))}</title></circle>`);
  }

  const taken = new Map<string, number>();
  for (const step of t.steps) {
    const y = laneY.get(step.lane);
    if (y === undefined) continue;
    const key = `${step.lane}@${step.at}`;
    const nth = taken.get(key) ?? 0;
    taken.set(key, nth + 1);
    const cx = xAt(step.at) + nth * 11;
    out.push(marker(step, cx, y, lang, payments, links));
  }
  out.push('</svg>');
  return out.join('\n');
}

function marker(step: TimelineStep, cx: number, cy: number, lang: Lang, payments: Map<string, Payment>, links: SvgLinks): string {
  const title = `<title>${esc(`${step.at.replace('T', ' ')} — ${stepSummary(step, lang, payments)}`)}</title>`;
  const attrs = `class="marker" data-testid="marker" data-step="${step.index}" data-kind="${step.kind}" data-lane="${esc(step.lane)}" data-at="${esc(step.at)}" data-x="${cx.toFixed(1)}"`;
  const colour = COLOURS[step.kind] ?? COLOURS.default;
  let shape: string;
  if (step.kind === 'report') {
    shape = `<rect x="${(cx - 5).toFixed(1)}" y="${cy - 7}" width="10" height="13" rx="1" fill="${colour}"/>`;
  } else if (step.kind === 'webhook') {
    const failed = step.delivery?.state === 'failed';
    const fill = step.delivery === undefined ? '#b0bec5' : failed ? '#c62828' : step.delivery.state === 'pending' ? '#f9a825' : '#2e7d32';
    shape = `<path d="M ${cx.toFixed(1)} ${cy - 6} l 6 6 l -6 6 l -6 -6 z" fill="${fill}"/>`;
  } else {
    shape = `<circle cx="${cx.toFixed(1)}" cy="${cy}" r="6" fill="${colour}" stroke="#ffffff" stroke-width="1.5"/>`;
  }
  const href = step.report ? links.report(step.report.id) : links.step(step.index);
  return `<a href="${esc(href)}" ${attrs}>${title}${shape}</a>`;
}
