/**
 * Charts as SVG drawn on the server: readable without JavaScript, printable, testable as text.
 * Y axis in kronor with round ticks, X axis the months; each mark carries its exact value.
 */
import { formatOreSwedish } from '../../formats/money.ts';
import { escapeHtml } from './html.ts';

export interface ChartSeries {
  name: string;
  kind: 'bar' | 'line';
  colour: string;
  valuesOre: number[];
}

export interface ChartInput {
  id: string;
  title: string;
  /** One label per x position ("jan", "feb" …) and the period each stands for. */
  labels: string[];
  periods: string[];
  series: ChartSeries[];
}

const WIDTH = 760;
const HEIGHT = 340;
const LEFT = 110;
const RIGHT = 20;
const TOP = 40;
const BOTTOM = 60;

function kronor(ore: number): string {
  return `${formatOreSwedish(Math.round(ore / 100) * 100).replace(/,00$/, '')} kr`;
}

/** Round tick step (1, 2 or 5 × 10ⁿ kronor) giving about five intervals. */
function ticks(minOre: number, maxOre: number): number[] {
  const lo = Math.min(0, minOre);
  const hi = Math.max(0, maxOre, lo + 100_00);
  const raw = (hi - lo) / 5;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = Math.floor(lo / step) * step; v <= hi + step / 2; v += step) out.push(v);
  if (out[out.length - 1]! < hi) out.push(out[out.length - 1]! + step);
  return out;
}

export function renderChart(input: ChartInput): string {
  const values = input.series.flatMap((s) => s.valuesOre);
  const axis = ticks(Math.min(0, ...values), Math.max(0, ...values));
  const lo = axis[0] ?? 0;
  const hi = axis[axis.length - 1] ?? 1;
  const plotW = WIDTH - LEFT - RIGHT;
  const plotH = HEIGHT - TOP - BOTTOM;
  const y = (ore: number) => TOP + plotH - ((ore - lo) / (hi - lo || 1)) * plotH;
  const slot = plotW / Math.max(1, input.labels.length);
  const x = (i: number) => LEFT + slot * (i + 0.5);
  const bars = input.series.filter((s) => s.kind === 'bar');
  const barW = Math.max(2, (slot * 0.7) / Math.max(1, bars.length));
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" id="${input.id}" class="chart" role="img" aria-labelledby="${input.id}-title" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" font-family="system-ui, sans-serif" font-size="12">`);
  parts.push(`<title id="${input.id}-title">${escapeHtml(input.title)}</title>`);
  parts.push(`<text x="${LEFT}" y="20" font-size="15" font-weight="bold">${escapeHtml(input.title)}</text>`);
  for (const t of axis) {
    parts.push(`<line x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${y(t).toFixed(1)}" y2="${y(t).toFixed(1)}" stroke="${t === 0 ? '#333' : '#ddd'}"/>`);
    parts.push(`<text class="y-tick" x="${LEFT - 8}" y="${(y(t) + 4).toFixed(1)}" text-anchor="end">${escapeHtml(kronor(t))}</text>`);
  }
  parts.push(`<text class="axis-title" transform="translate(16 ${TOP + plotH / 2}) rotate(-90)" text-anchor="middle">Belopp (kronor)</text>`);
  input.labels.forEach((label, i) => parts.push(`<text class="x-tick" x="${x(i).toFixed(1)}" y="${TOP + plotH + 18}" text-anchor="middle">${escapeHtml(label)}</text>`));
  parts.push(`<text class="axis-title" x="${LEFT + plotW / 2}" y="${HEIGHT - 22}" text-anchor="middle">Månad</text>`);
  bars.forEach((s, b) => {
    s.valuesOre.forEach((v, i) => {
      const left = x(i) - (barW * bars.length) / 2 + b * barW;
      const top = Math.min(y(v), y(0));
      const height = Math.abs(y(v) - y(0));
      parts.push(`<rect class="bar" data-series="${escapeHtml(s.name)}" data-period="${input.periods[i] ?? ''}" data-value-ore="${v}" x="${left.toFixed(1)}" y="${top.toFixed(1)}" width="${(barW - 1).toFixed(1)}" height="${height.toFixed(1)}" fill="${s.colour}"><title>${escapeHtml(`${s.name} ${input.labels[i] ?? ''}: ${kronor(v)}`)}</title></rect>`);
    });
  });
  for (const s of input.series.filter((l) => l.kind === 'line')) {
    parts.push(`<polyline fill="none" stroke="${s.colour}" stroke-width="2.5" points="${s.valuesOre.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ')}"/>`);
    s.valuesOre.forEach((v, i) => parts.push(`<circle class="point" data-series="${escapeHtml(s.name)}" data-period="${input.periods[i] ?? ''}" data-value-ore="${v}" cx="${x(i).toFixed(1)}" cy="${y(v).toFixed(1)}" r="3.5" fill="${s.colour}"><title>${escapeHtml(`${s.name} ${input.labels[i] ?? ''}: ${kronor(v)}`)}</title></circle>`));
  }
  input.series.forEach((s, i) => {
    const lx = LEFT + i * 170;
    parts.push(`<rect x="${lx}" y="${HEIGHT - 14}" width="12" height="12" fill="${s.colour}"/><text x="${lx + 18}" y="${HEIGHT - 4}">${escapeHtml(s.name)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('');
}
