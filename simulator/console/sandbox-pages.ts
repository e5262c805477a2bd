/** Log-in, the list of sandboxes, and one sandbox's overview with its controls. */
import type { Balances } from '../engine/bank.ts';
import type { FaultRule, PaymentFile, SandboxCore } from '../engine/model.ts';
import { esc, tr } from './i18n.ts';
import { CONSOLE_BASE, csrfField, kr, layout, sandboxPath, type ConsoleContext } from './layout.ts';

export interface SandboxSummary {
  core: SandboxCore;
  balances: Balances[];
}

export function loginPage(ctx: ConsoleContext, csrf: string, operatorEnabled: boolean): string {
  const { lang } = ctx;
  return layout(ctx, tr(lang, 'Logga in', 'Log in'), `<h1>${tr(lang, 'Logga in i konsolen', 'Log in to the console')}</h1>
<form class="card" method="post" action="${CONSOLE_BASE}/login">
<input type="hidden" name="_csrf" value="${esc(csrf)}">
<label for="key">${operatorEnabled ? tr(lang, 'API-nyckel eller operatörsnyckel', 'API key or operator key') : tr(lang, 'Sandlådans API-nyckel', "The sandbox's API key")}</label>
<input id="key" name="key" type="password" autocomplete="off" required autofocus>
<p><button class="primary" type="submit">${tr(lang, 'Logga in', 'Log in')}</button></p></form>
<p>${tr(lang, 'API-nyckeln (<code>sk_test_…</code>) skrivs ut när sandbank startar och när en sandlåda skapas. Med operatörsnyckeln (<code>sandbank start --operator-key</code>) ser du alla sandlådor.', 'The API key (<code>sk_test_…</code>) is printed when sandbank starts and when a sandbox is created. With the operator key (<code>sandbank start --operator-key</code>) you see every sandbox.')}</p>`);
}

function accountRows(s: SandboxSummary, lang: ConsoleContext['lang']): string {
  return s.core.accounts.map((a, i) => {
    const b = s.balances[i];
    return `<tr data-account-id="${esc(a.id)}"><td>${esc(a.name)}${a.primary ? ` <small>(${tr(lang, 'huvudkonto', 'primary')})</small>` : ''}<br><small>${esc(a.clearing)}-${esc(a.accountNumber)} · ${esc(a.iban)}</small></td>
<td class="num" data-testid="booked-${esc(a.id)}">${esc(kr(b?.bookedOre ?? a.bookedOre))}</td><td class="num" data-testid="reserved-${esc(a.id)}">${esc(kr(b?.reservedOre ?? 0))}</td><td class="num" data-testid="available-${esc(a.id)}">${esc(kr(b?.availableOre ?? a.bookedOre))}</td></tr>`;
  }).join('');
}

function accountsTable(s: SandboxSummary, lang: ConsoleContext['lang']): string {
  return `<table><thead><tr><th scope="col">${tr(lang, 'Konto', 'Account')}</th><th scope="col" class="num">${tr(lang, 'Bokfört', 'Booked')}</th><th scope="col" class="num">${tr(lang, 'Reserverat', 'Reserved')}</th><th scope="col" class="num">${tr(lang, 'Disponibelt', 'Available')}</th></tr></thead><tbody>${accountRows(s, lang)}</tbody></table>`;
}

export function sandboxesPage(ctx: ConsoleContext, sandboxes: SandboxSummary[]): string {
  const { lang } = ctx;
  const cards = sandboxes.map((s) => `<section class="card" data-testid="sandbox" data-sandbox-id="${esc(s.core.id)}" aria-labelledby="h-${esc(s.core.id)}">
<h2 id="h-${esc(s.core.id)}"><a href="${sandboxPath(s.core.id)}">${esc(s.core.company.name)}</a> <small>${esc(s.core.bank === 'swedbank' ? 'Swedbank' : 'Sparbanken')} · ${esc(s.core.id)}</small></h2>
<p>${tr(lang, 'Klockan', 'Clock')} <time data-testid="clock-${esc(s.core.id)}">${esc(s.core.now.replace('T', ' '))}</time> · ${tr(lang, 'org.nr', 'org no')} ${esc(s.core.company.organisationNumber)} · bankgiro ${esc(s.core.company.bankgiro)}</p>
${accountsTable(s, lang)}</section>`).join('');
  const heading = ctx.scope?.kind === 'operator' ? tr(lang, 'Alla sandlådor', 'All sandboxes') : tr(lang, 'Din sandlåda', 'Your sandbox');
  return layout(ctx, tr(lang, 'Sandlådor', 'Sandboxes'), `<h1>${heading}</h1>${cards || `<p class="info">${tr(lang, 'Inga sandlådor.', 'No sandboxes.')}</p>`}`);
}

const FILE_STATUS_WORDS: Record<string, { sv: string; en: string }> = {
  RECEIVED: { sv: 'Mottagen', en: 'Received' },
  AWAITING_SIGNATURE: { sv: 'Väntar på signering', en: 'Awaiting signature' },
  PARTIALLY_ACCEPTED: { sv: 'Delvis godkänd', en: 'Partially accepted' },
  SIGNED: { sv: 'Signerad', en: 'Signed' },
  REJECTED: { sv: 'Avvisad', en: 'Rejected' },
};

export function statusBadge(status: string, lang: ConsoleContext['lang']): string {
  const words = FILE_STATUS_WORDS[status] ?? PAYMENT_STATUS_WORDS[status];
  return `<span class="status ${esc(status)}">${esc(words ? words[lang] : status)}</span>`;
}

const PAYMENT_STATUS_WORDS: Record<string, { sv: string; en: string }> = {
  SCHEDULED: { sv: 'Schemalagd', en: 'Scheduled' },
  EXECUTED: { sv: 'Genomförd', en: 'Executed' },
  CANCELLED: { sv: 'Makulerad', en: 'Cancelled' },
};

export function sandboxPage(ctx: ConsoleContext, summary: SandboxSummary, files: PaymentFile[]): string {
  const { lang } = ctx;
  const core = summary.core;
  const base = sandboxPath(core.id);
  const rows = [...files].reverse().map((f) => {
    const counts = new Map<string, number>();
    for (const p of f.payments) counts.set(p.status, (counts.get(p.status) ?? 0) + 1);
    const byStatus = [...counts].map(([s, n]) => `${n} ${statusBadge(s, lang)}`).join(' ');
    return `<tr data-file-id="${esc(f.id)}"><td><a href="${base}/files/${esc(f.id)}">${esc(f.id)}</a></td><td>${esc(f.messageId)}</td><td>${esc(f.format)}</td><td>${esc(f.receivedAt.replace('T', ' '))}</td><td>${statusBadge(f.status, lang)}</td><td>${byStatus}</td><td class="num">${esc(kr(f.controlSumOre))}</td></tr>`;
  }).join('');
  const faults = core.faults.length === 0 ? '' : JSON.stringify({ rules: core.faults.map((f: FaultRule) => ({ match: f.match, action: f.action })) }, null, 2);
  const body = `<h1>${esc(core.company.name)} <small>${esc(core.id)}</small></h1>
<p>${esc(core.bank === 'swedbank' ? 'Swedbank' : 'Sparbanken')} · ${tr(lang, 'org.nr', 'org no')} ${esc(core.company.organisationNumber)} · bankgiro ${esc(core.company.bankgiro)} · seed ${esc(core.seed)} · <a href="${base}/export" download data-testid="export-link">${tr(lang, 'Exportera sandlådan (en fil, utan hemligheter)', 'Export the sandbox (one file, no secrets)')}</a></p>
${accountsTable(summary, lang)}
<h2>${tr(lang, 'Betalningsfiler', 'Payment files')}</h2>
${rows ? `<table data-testid="files"><thead><tr><th scope="col">${tr(lang, 'Fil', 'File')}</th><th scope="col">MsgId</th><th scope="col">${tr(lang, 'Format', 'Format')}</th><th scope="col">${tr(lang, 'Mottagen', 'Received')}</th><th scope="col">Status</th><th scope="col">${tr(lang, 'Betalningar', 'Payments')}</th><th scope="col" class="num">${tr(lang, 'Summa', 'Total')}</th></tr></thead><tbody>${rows}</tbody></table>` : `<p class="info">${tr(lang, 'Inga filer ännu.', 'No files yet.')}</p>`}
<h2>${tr(lang, 'Styrning', 'Controls')}</h2>
<div class="grid">
<section class="card" aria-labelledby="h-clock"><h3 id="h-clock">${tr(lang, 'Klockan', 'The clock')}</h3>
<p>${tr(lang, 'Allt som händer på vägen körs i ordning: brytpunkter, dagsavslut, rapporter.', 'Everything on the way runs in order: cut-offs, end of day, reports.')}</p>
<div class="actions">
<form method="post" action="${base}/clock">${csrfField(ctx)}<input type="hidden" name="to" value="next-cutoff"><button class="primary" type="submit">${tr(lang, 'Till nästa brytpunkt', 'To the next cut-off')}</button></form>
<form method="post" action="${base}/clock">${csrfField(ctx)}<input type="hidden" name="to" value="next-bank-day"><button class="secondary" type="submit">${tr(lang, 'Till nästa bankdag', 'To the next bank day')}</button></form>
</div>
<form method="post" action="${base}/clock">${csrfField(ctx)}<input type="hidden" name="to" value="date">
<label for="clock-date">${tr(lang, 'Till datum (ÅÅÅÅ-MM-DD eller ÅÅÅÅ-MM-DD TT:MM)', 'To a date (YYYY-MM-DD or YYYY-MM-DD HH:MM)')}</label>
<div class="actions"><input id="clock-date" name="date" type="text" required pattern="\\d{4}-\\d{2}-\\d{2}([ T]\\d{2}:\\d{2}(:\\d{2})?)?" placeholder="${esc(core.now.slice(0, 10))}"><button class="secondary" type="submit">${tr(lang, 'Flytta klockan', 'Move the clock')}</button></div></form>
</section>
<section class="card" aria-labelledby="h-incoming"><h3 id="h-incoming">${tr(lang, 'Inbetalning', 'Incoming payment')}</h3>
<form method="post" action="${base}/incoming-payments">${csrfField(ctx)}
<label for="in-amount">${tr(lang, 'Belopp (kr)', 'Amount (kr)')}</label><input id="in-amount" name="amount" type="text" required placeholder="1 250,00">
<label for="in-ref">${tr(lang, 'OCR eller meddelande', 'OCR or message')}</label><input id="in-ref" name="reference" type="text" required>
<label for="in-payer">${tr(lang, 'Betalare', 'Payer')}</label><input id="in-payer" name="payerName" type="text" placeholder="Kund AB">
<p><button class="primary" type="submit">${tr(lang, 'Lägg till inbetalning', 'Add incoming payment')}</button></p></form>
</section>
<section class="card" aria-labelledby="h-faults"><h3 id="h-faults">${tr(lang, 'Felregler', 'Fault rules')}</h3>
<p>${tr(lang, 'Samma regler som <code>PUT /sandboxes/{id}/faults</code>. Första matchande regel gäller.', 'The same rules as <code>PUT /sandboxes/{id}/faults</code>. The first matching rule wins.')}</p>
<form method="post" action="${base}/faults">${csrfField(ctx)}
<label for="faults">${tr(lang, 'Regler (JSON)', 'Rules (JSON)')}</label>
<textarea id="faults" name="rules" rows="7" placeholder='{"rules":[{"match":{"endToEndId":"E2E-2"},"action":{"type":"reject","reasonCode":"AC01"}}]}'>${esc(faults)}</textarea>
<div class="actions"><button class="primary" type="submit" name="op" value="set">${tr(lang, 'Spara regler', 'Set rules')}</button><button class="secondary" type="submit" name="op" value="clear">${tr(lang, 'Ta bort alla', 'Clear all')}</button></div></form>
<p data-testid="fault-count">${core.faults.length} ${tr(lang, 'regler aktiva', 'rules active')}</p>
</section>
</div>`;
  return layout(ctx, core.company.name, body);
}
