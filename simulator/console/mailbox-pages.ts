/** The reports mailbox: every report listed, each readable (pretty XML, BgMax fields named) and downloadable raw. */
import type { ReportMeta } from '../engine/model.ts';
import { bgmaxHtml } from './fixed-width-view.ts';
import { esc, tr } from './i18n.ts';
import { layout, sandboxPath, type ConsoleContext } from './layout.ts';
import { prettyXmlHtml } from './xml-view.ts';

export const REPORT_TYPES: readonly ReportMeta['type'][] = ['pain.002', 'camt.052', 'camt.053', 'camt.054', 'camt.029', 'bgmax'];

export function reportsPage(ctx: ConsoleContext, reports: ReportMeta[], filter: { type?: string; fileId?: string }): string {
  const { lang } = ctx;
  const base = sandboxPath(ctx.sandbox?.id ?? '');
  const options = [`<option value="">${tr(lang, 'alla', 'all')}</option>`, ...REPORT_TYPES.map((t) => `<option value="${t}"${filter.type === t ? ' selected' : ''}>${t}</option>`)].join('');
  const rows = [...reports].reverse().map((r) => `<tr data-report-id="${esc(r.id)}"><td><a href="${base}/reports/${esc(r.id)}">${esc(r.id)}</a></td><td>${esc(r.message)}</td><td>${esc(r.createdAt.replace('T', ' '))}</td><td>${r.fileId ? `<a href="${base}/files/${esc(r.fileId)}">${esc(r.fileId)}</a>` : ''}</td><td>${esc(r.accountId ?? '')}</td><td class="num">${r.sizeBytes}</td><td><a href="${base}/reports/${esc(r.id)}/raw" download>${tr(lang, 'Ladda ned', 'Download')}</a></td></tr>`).join('');
  const body = `<h1>${tr(lang, 'Rapporter', 'Reports')}</h1>
<form method="get" class="actions"><div><label for="type">${tr(lang, 'Typ', 'Type')}</label><select id="type" name="type">${options}</select></div>
<div><label for="file">${tr(lang, 'Fil', 'File')}</label><input id="file" name="fileId" type="text" value="${esc(filter.fileId ?? '')}" placeholder="pf_000001"></div>
<div><button class="secondary" type="submit">${tr(lang, 'Filtrera', 'Filter')}</button></div></form>
<p>${reports.length} ${tr(lang, 'rapporter', 'reports')}</p>
${rows ? `<table data-testid="reports"><thead><tr><th scope="col">Id</th><th scope="col">${tr(lang, 'Meddelande', 'Message')}</th><th scope="col">${tr(lang, 'Skapad', 'Created')}</th><th scope="col">${tr(lang, 'Fil', 'File')}</th><th scope="col">${tr(lang, 'Konto', 'Account')}</th><th scope="col" class="num">${tr(lang, 'Byte', 'Bytes')}</th><th scope="col"><span class="visually-hidden">${tr(lang, 'Rå fil', 'Raw file')}</span></th></tr></thead><tbody>${rows}</tbody></table>` : `<p class="info">${tr(lang, 'Inga rapporter.', 'No reports.')}</p>`}`;
  return layout(ctx, tr(lang, 'Rapporter', 'Reports'), body);
}

export function reportPage(ctx: ConsoleContext, meta: ReportMeta, body: string): string {
  const { lang } = ctx;
  const base = sandboxPath(ctx.sandbox?.id ?? '');
  const rendered = meta.type === 'bgmax' ? bgmaxHtml(body, lang) : prettyXmlHtml(body);
  return layout(ctx, meta.id, `<h1>${esc(meta.message)} <small>${esc(meta.id)}</small></h1>
<p>${tr(lang, 'Skapad', 'Created')} ${esc(meta.createdAt.replace('T', ' '))}${meta.fileId ? ` · ${tr(lang, 'fil', 'file')} <a href="${base}/files/${esc(meta.fileId)}">${esc(meta.fileId)}</a>` : ''}${meta.accountId ? ` · ${tr(lang, 'konto', 'account')} ${esc(meta.accountId)}` : ''} · ${meta.sizeBytes} ${tr(lang, 'byte', 'bytes')} · <a href="${base}/reports/${esc(meta.id)}/raw" download data-testid="raw-link">${tr(lang, 'Ladda ned rå fil', 'Download raw')}</a></p>
${rendered}`);
}
