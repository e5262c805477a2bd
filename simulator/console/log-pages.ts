/** Events and webhook deliveries, filterable with plain GET forms (no JavaScript needed). */
import type { BankEvent, WebhookDelivery } from '../engine/model.ts';
import { esc, tr } from './i18n.ts';
import { layout, sandboxPath, type ConsoleContext } from './layout.ts';

export const EVENT_TYPES: readonly BankEvent['type'][] = ['payment_file.status_changed', 'payment.status_changed', 'payment.cancellation_changed', 'report.available', 'incoming_payment.received'];

export interface EventFilter {
  type?: string;
  /** A file, payment or report id the event names. */
  ref?: string;
}

export function eventMatches(e: BankEvent, filter: EventFilter): boolean {
  if (filter.type && e.type !== filter.type) return false;
  if (filter.ref) {
    const ref = filter.ref;
    return ['fileId', 'paymentId', 'reportId', 'incomingPaymentId', 'endToEndId'].some((k) => e.data[k] === ref);
  }
  return true;
}

function idLinks(base: string, data: Record<string, unknown>): string {
  const parts: string[] = [];
  if (typeof data['fileId'] === 'string') parts.push(`<a href="${base}/files/${esc(data['fileId'])}">${esc(data['fileId'])}</a>`);
  if (typeof data['reportId'] === 'string') parts.push(`<a href="${base}/reports/${esc(data['reportId'])}">${esc(data['reportId'])}</a>`);
  if (typeof data['paymentId'] === 'string') parts.push(`<a href="${base}/payments/${esc(data['paymentId'])}">${esc(data['paymentId'])}</a>`);
  return parts.join(' ');
}

function typeSelect(selected: string | undefined, lang: ConsoleContext['lang']): string {
  return [`<option value="">${tr(lang, 'alla', 'all')}</option>`, ...EVENT_TYPES.map((t) => `<option value="${t}"${selected === t ? ' selected' : ''}>${t}</option>`)].join('');
}

export function eventsPage(ctx: ConsoleContext, events: BankEvent[], filter: EventFilter, total: number): string {
  const { lang } = ctx;
  const base = sandboxPath(ctx.sandbox?.id ?? '');
  const rows = [...events].reverse().slice(0, 1000).map((e) => `<tr data-testid="event" data-event-type="${esc(e.type)}"><td>${e.sequence}</td><td>${esc(e.createdAt.replace('T', ' '))}</td><td><code>${esc(e.type)}</code></td><td>${idLinks(base, e.data)}</td><td><code>${esc(JSON.stringify(e.data))}</code></td></tr>`).join('');
  const body = `<h1>${tr(lang, 'Händelser', 'Events')}</h1>
<form method="get" class="actions"><div><label for="type">${tr(lang, 'Typ', 'Type')}</label><select id="type" name="type">${typeSelect(filter.type, lang)}</select></div>
<div><label for="ref">${tr(lang, 'Fil, betalning eller rapport', 'File, payment or report')}</label><input id="ref" name="ref" type="text" value="${esc(filter.ref ?? '')}" placeholder="pf_000001"></div>
<div><button class="secondary" type="submit">${tr(lang, 'Filtrera', 'Filter')}</button></div></form>
<p data-testid="event-count">${events.length} ${tr(lang, 'av', 'of')} ${total} ${tr(lang, 'händelser', 'events')}</p>
${rows ? `<table><thead><tr><th scope="col">#</th><th scope="col">${tr(lang, 'Tid', 'Time')}</th><th scope="col">${tr(lang, 'Typ', 'Type')}</th><th scope="col">${tr(lang, 'Gäller', 'Concerns')}</th><th scope="col">Data</th></tr></thead><tbody>${rows}</tbody></table>` : ''}`;
  return layout(ctx, tr(lang, 'Händelser', 'Events'), body);
}

export interface DeliveryFilter {
  state?: string;
  type?: string;
}

export function webhooksPage(ctx: ConsoleContext, rows: { delivery: WebhookDelivery; event: BankEvent | undefined }[], filter: DeliveryFilter, total: number): string {
  const { lang } = ctx;
  const base = sandboxPath(ctx.sandbox?.id ?? '');
  const hook = ctx.sandbox?.webhook;
  const states = ['', 'pending', 'delivered', 'failed'].map((s) => `<option value="${s}"${filter.state === s ? ' selected' : ''}>${s || tr(lang, 'alla', 'all')}</option>`).join('');
  const list = [...rows].reverse().slice(0, 1000).map(({ delivery: d, event: e }) => `<tr data-testid="delivery" data-state="${esc(d.state)}"><td><code>${esc(d.eventId)}</code></td><td>${e ? `<code>${esc(e.type)}</code> ${idLinks(base, e.data)}` : ''}</td><td><span class="status ${esc(d.state)}">${esc(d.state)}</span></td>
<td>${d.attempts.length === 0 ? '—' : `<ol>${d.attempts.map((a) => `<li>${esc(a.at)} · ${a.status === 'error' ? `${tr(lang, 'fel', 'error')}: ${esc(a.error ?? '')}` : `HTTP ${esc(a.status)}`}</li>`).join('')}</ol>`}</td><td>${esc(d.url)}</td></tr>`).join('');
  const body = `<h1>Webhooks</h1>
<p>${hook ? `${tr(lang, 'Registrerad adress', 'Registered URL')}: <code>${esc(hook.url)}</code>` : tr(lang, 'Ingen webhook registrerad (<code>PUT /sandboxes/{id}/webhook</code>).', 'No webhook registered (<code>PUT /sandboxes/{id}/webhook</code>).')}</p>
<form method="get" class="actions"><div><label for="state">${tr(lang, 'Läge', 'State')}</label><select id="state" name="state">${states}</select></div>
<div><label for="type">${tr(lang, 'Händelsetyp', 'Event type')}</label><select id="type" name="type">${typeSelect(filter.type, lang)}</select></div>
<div><button class="secondary" type="submit">${tr(lang, 'Filtrera', 'Filter')}</button></div></form>
<p data-testid="delivery-count">${rows.length} ${tr(lang, 'av', 'of')} ${total} ${tr(lang, 'leveranser', 'deliveries')}</p>
${list ? `<table><thead><tr><th scope="col">${tr(lang, 'Händelse', 'Event')}</th><th scope="col">${tr(lang, 'Typ', 'Type')}</th><th scope="col">${tr(lang, 'Läge', 'State')}</th><th scope="col">${tr(lang, 'Försök', 'Attempts')}</th><th scope="col">URL</th></tr></thead><tbody>${list}</tbody></table>` : ''}`;
  return layout(ctx, 'Webhooks', body);
}
