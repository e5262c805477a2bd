/** One payment file: its timeline (SVG), every step in words, and its payments. */
import type { Payment, PaymentFile } from '../engine/model.ts';
import { esc, tr, type Lang } from './i18n.ts';
import { kr, layout, sandboxPath, type ConsoleContext } from './layout.ts';
import { reasonWords } from './reason-words.ts';
import { statusBadge } from './sandbox-pages.ts';
import { channelText, paymentLabel, stepTitle } from './step-text.ts';
import type { Timeline, TimelineStep } from './timeline.ts';
import { timelineSvg } from './timeline-svg.ts';

const GOOD = new Set(['executed', 'signed', 'validated']);
const BAD = new Set(['rejected', 'file-rejected', 'payment-rejected-at-intake', 'cancellation-rejected']);

function stepClass(step: TimelineStep): string {
  if (step.kind === 'report') return 'report';
  if (step.kind === 'webhook') return 'webhook';
  return GOOD.has(step.kind) ? 'good' : BAD.has(step.kind) ? 'bad' : '';
}

function deliveryText(step: TimelineStep, lang: Lang): string {
  const d = step.delivery;
  if (!d) return tr(lang, 'ingen webhook registrerad', 'no webhook registered');
  const attempts = d.attempts.map((a) => (a.status === 'error' ? tr(lang, 'fel', 'error') : String(a.status))).join(', ');
  const state = d.state === 'delivered' ? tr(lang, 'levererad', 'delivered') : d.state === 'failed' ? tr(lang, 'misslyckad', 'failed') : tr(lang, 'väntar', 'pending');
  return `<span class="status ${esc(d.state)}">${esc(state)}</span> ${d.attempts.length} ${tr(lang, 'försök', d.attempts.length === 1 ? 'attempt' : 'attempts')}${attempts ? ` (HTTP ${esc(attempts)})` : ''}`;
}

function stepItem(step: TimelineStep, lang: Lang, base: string, payments: Map<string, Payment>, webhooks: Map<string, TimelineStep>): string {
  const payment = step.paymentId === undefined ? undefined : payments.get(step.paymentId);
  const parts: string[] = [`<strong>${esc(stepTitle(step.kind, lang))}</strong>`];
  if (payment) parts.push(`<a href="#${esc(payment.id)}">${esc(paymentLabel(payment))}</a>`);
  if (step.signature) parts.push(esc(tr(lang, `av ${step.signature.signedBy} ${channelText(step.signature.channel, lang)}`, `by ${step.signature.signedBy} ${channelText(step.signature.channel, lang)}`)));
  if (step.kind === 'scheduled' && step.executionDate) parts.push(esc(tr(lang, `för bankdag ${step.executionDate}`, `for bank day ${step.executionDate}`)));
  if (step.kind === 'retry' && step.executionDate) parts.push(esc(tr(lang, `nästa försök ${step.executionDate}`, `next attempt ${step.executionDate}`)));
  if (step.kind === 'executed' && step.executionDate) parts.push(esc(tr(lang, `bankdag ${step.executionDate}`, `bank day ${step.executionDate}`)));
  if (step.reason) parts.push(`<span class="reason" data-testid="reason">${esc(reasonWords(step.reason.code, lang))} <code>${esc(step.reason.code)}</code> — ${esc(step.reason.message)}</span>`);
  if (step.report) parts.push(`<a href="${base}/reports/${esc(step.report.id)}" data-testid="report-link">${esc(step.report.message)} ${esc(step.report.id)}</a>`);
  if (step.event) parts.push(`<code>${esc(step.event.type)}</code> ${deliveryText(step, lang)}`);
  const reports = step.reportIds.map((id) => `<a href="${base}/reports/${esc(id)}" data-testid="report-link">${esc(id)}</a>`);
  if (reports.length > 0) parts.push(`${tr(lang, 'rapport', reports.length === 1 ? 'report' : 'reports')}: ${reports.join(', ')}`);
  const hook = step.eventId === undefined ? undefined : webhooks.get(step.eventId);
  if (hook?.delivery) parts.push(`webhook ${deliveryText(hook, lang)}`);
  return `<li id="step-${step.index}" class="${stepClass(step)}" data-testid="step" data-kind="${step.kind}" data-lane="${esc(step.lane)}" data-at="${esc(step.at)}"${step.paymentId ? ` data-payment-id="${esc(step.paymentId)}"` : ''}><time datetime="${esc(step.at)}">${esc(step.at.replace('T', ' '))}</time> ${parts.join(' · ')}</li>`;
}

export function filePage(ctx: ConsoleContext, file: PaymentFile, timeline: Timeline, options: { showWebhookSteps: boolean }): string {
  const { lang } = ctx;
  const core = ctx.sandbox;
  const base = core ? sandboxPath(core.id) : '';
  const payments = new Map(file.payments.map((p) => [p.id, p]));
  const webhooks = new Map(timeline.steps.filter((s) => s.kind === 'webhook' && s.event).map((s) => [s.event?.id as string, s]));
  const svg = timelineSvg(timeline, lang, { report: (id) => `${base}/reports/${id}`, step: (i) => `#step-${i}` });
  const listed = timeline.steps.filter((s) => options.showWebhookSteps || s.kind !== 'webhook');
  const paymentRows = file.payments.slice(0, 2000).map((p) => {
    const reason = p.reasons.at(-1);
    return `<tr id="${esc(p.id)}" data-payment-id="${esc(p.id)}"><td>${esc(p.id)}</td><td>${esc(p.endToEndId)}</td><td>${esc(p.creditor.name ?? '')} <small>${esc(p.creditor.kind)} ${esc(p.creditor.account)}</small></td><td>${esc(p.requestedExecutionDate)}</td><td>${esc(p.executionDate ?? '')}</td><td class="num">${esc(kr(p.amountOre))}</td><td>${statusBadge(p.status, lang)}${reason && (p.status === 'REJECTED' || p.status === 'CANCELLED') ? `<br><small>${esc(reasonWords(reason.code, lang))} <code>${esc(reason.code)}</code></small>` : ''}${p.cancellation ? `<br><small>${tr(lang, 'makulering', 'cancellation')}: ${esc(p.cancellation.status)}</small>` : ''}</td></tr>`;
  }).join('');
  const signature = file.signature ? `${tr(lang, 'Signerad', 'Signed')} ${esc(file.signature.at.replace('T', ' '))} ${tr(lang, 'av', 'by')} ${esc(file.signature.signedBy)} ${esc(channelText(file.signature.channel, lang))}` : tr(lang, 'Inte signerad', 'Not signed');
  const issues = file.issues.length === 0 ? '' : `<h2>${tr(lang, 'Valideringsfynd', 'Validation issues')}</h2><table><thead><tr><th scope="col">${tr(lang, 'Plats', 'Path')}</th><th scope="col">${tr(lang, 'Kod', 'Code')}</th><th scope="col">${tr(lang, 'Meddelande', 'Message')}</th></tr></thead><tbody>${file.issues.slice(0, 200).map((i) => `<tr><td><code>${esc(i.path)}</code></td><td>${esc(i.code)}</td><td>${esc(i.message)}</td></tr>`).join('')}</tbody></table>`;
  const fileReasons = file.reasons.length === 0 ? '' : `<p class="error" data-testid="file-reasons">${file.reasons.map((r) => `${esc(reasonWords(r.code, lang))} <code>${esc(r.code)}</code> — ${esc(r.message)}`).join('<br>')}</p>`;
  const body = `<h1>${tr(lang, 'Betalningsfil', 'Payment file')} ${esc(file.id)} ${statusBadge(file.status, lang)}</h1>
<p>MsgId <code>${esc(file.messageId)}</code> · ${esc(file.format)} · ${file.numberOfTransactions} ${tr(lang, 'betalningar', 'payments')} · ${esc(kr(file.controlSumOre))} · ${tr(lang, 'mottagen', 'received')} ${esc(file.receivedAt.replace('T', ' '))} · ${signature}</p>
${fileReasons}
<h2>${tr(lang, 'Tidslinje', 'Timeline')}</h2>
<p class="legend"><span>${tr(lang, 'Streckad linje: bankens brytpunkt', 'Dashed line: the bank’s cut-off')} (${esc(timeline.cutoffTime)})</span><span>${tr(lang, 'Grått: ej bankdag', 'Grey: not a bank day')}</span><span>${tr(lang, 'Svart linje: sandlådans klocka', 'Black line: the sandbox clock')}</span></p>
<div class="scroll">${svg}</div>
${timeline.hiddenPayments > 0 ? `<p class="info">${tr(lang, `Tidslinjen visar de första ${timeline.paymentLanes.length} betalningarna; ${timeline.hiddenPayments} till finns i listan.`, `The timeline shows the first ${timeline.paymentLanes.length} payments; ${timeline.hiddenPayments} more are in the list.`)}</p>` : ''}
<h2>${tr(lang, 'Steg för steg', 'Step by step')}</h2>
<p>${options.showWebhookSteps ? `<a href="?webhooks=0">${tr(lang, 'Dölj webhooks', 'Hide webhooks')}</a>` : `<a href="?webhooks=1">${tr(lang, 'Visa varje webhook som ett eget steg', 'Show each webhook as a step of its own')}</a>`}</p>
<ol class="steps" data-testid="steps">${listed.map((s) => stepItem(s, lang, base, payments, webhooks)).join('\n')}</ol>
<h2>${tr(lang, 'Betalningar', 'Payments')}</h2>
<table data-testid="payments"><thead><tr><th scope="col">Id</th><th scope="col">EndToEndId</th><th scope="col">${tr(lang, 'Mottagare', 'Payee')}</th><th scope="col">${tr(lang, 'Begärd dag', 'Requested')}</th><th scope="col">${tr(lang, 'Bankdag', 'Bank day')}</th><th scope="col" class="num">${tr(lang, 'Belopp', 'Amount')}</th><th scope="col">Status</th></tr></thead><tbody>${paymentRows}</tbody></table>
${issues}`;
  return layout(ctx, `${file.id}`, body);
}
