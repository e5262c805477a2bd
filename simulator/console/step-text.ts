/** A timeline step in words, for the list under the time axis and the SVG's tooltips. */
import { formatOreSwedish } from '../../formats/money.ts';
import type { Payment } from '../engine/model.ts';
import { tr, type Lang } from './i18n.ts';
import { reasonWords } from './reason-words.ts';
import type { StepKind, TimelineStep } from './timeline.ts';

const TITLES: Record<StepKind, { sv: string; en: string }> = {
  received: { sv: 'Mottagen av banken', en: 'Received by the bank' },
  validated: { sv: 'Validerad', en: 'Validated' },
  'awaiting-signature': { sv: 'Väntar på signering', en: 'Awaiting signature' },
  'partially-accepted': { sv: 'Delvis godkänd, väntar på signering', en: 'Partially accepted, awaiting signature' },
  'file-rejected': { sv: 'Filen avvisad', en: 'File rejected' },
  signed: { sv: 'Signerad', en: 'Signed' },
  'payment-rejected-at-intake': { sv: 'Betalningen avvisad vid kontrollen', en: 'Payment rejected at validation' },
  scheduled: { sv: 'Schemalagd', en: 'Scheduled' },
  retry: { sv: 'Nytt försök', en: 'Retried' },
  executed: { sv: 'Genomförd', en: 'Executed' },
  rejected: { sv: 'Avvisad', en: 'Rejected' },
  'cancellation-requested': { sv: 'Makulering begärd', en: 'Cancellation requested' },
  cancelled: { sv: 'Makulerad', en: 'Cancelled' },
  'cancellation-rejected': { sv: 'Makulering nekad', en: 'Cancellation refused' },
  report: { sv: 'Rapport', en: 'Report' },
  webhook: { sv: 'Webhook', en: 'Webhook' },
};

export function stepTitle(kind: StepKind, lang: Lang): string {
  return TITLES[kind][lang];
}

export function channelText(channel: 'in-app' | 'internet-bank', lang: Lang): string {
  return channel === 'in-app' ? tr(lang, 'i appen (tvåstegsverifiering)', 'in the app (two-step verification)') : tr(lang, 'i internetbanken', 'in the internet bank');
}

export function paymentLabel(p: Payment): string {
  return `${p.endToEndId} · ${formatOreSwedish(p.amountOre)} kr`;
}

/** One line that says what happened and why. */
export function stepSummary(step: TimelineStep, lang: Lang, payments: Map<string, Payment>): string {
  const parts = [stepTitle(step.kind, lang)];
  const payment = step.paymentId === undefined ? undefined : payments.get(step.paymentId);
  if (payment) parts.push(paymentLabel(payment));
  if (step.signature) parts.push(tr(lang, `av ${step.signature.signedBy} ${channelText(step.signature.channel, lang)}`, `by ${step.signature.signedBy} ${channelText(step.signature.channel, lang)}`));
  if (step.kind === 'scheduled' && step.executionDate) parts.push(tr(lang, `för ${step.executionDate}`, `for ${step.executionDate}`));
  if (step.kind === 'retry' && step.executionDate) parts.push(tr(lang, `nästa försök ${step.executionDate}`, `next attempt ${step.executionDate}`));
  if (step.kind === 'executed' && step.executionDate) parts.push(tr(lang, `bankdag ${step.executionDate}`, `bank day ${step.executionDate}`));
  if (step.reason) parts.push(`${reasonWords(step.reason.code, lang)} (${step.reason.code}): ${step.reason.message}`);
  if (step.report) parts.push(`${step.report.message} ${step.report.id}`);
  if (step.event) parts.push(step.event.type);
  return parts.join(' — ');
}
