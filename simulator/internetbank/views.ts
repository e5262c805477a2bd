/**
 * Server-rendered pages of the simulated internet bank. Plain HTML with labels, landmarks and
 * keyboard-reachable controls; a few lines of CSS per bank flavour (name and colours only —
 * no real trademarks' images).
 */
import { formatBankgiro, formatPlusgiro } from '../../formats/identifiers/giro.ts';
import { formatIban } from '../../formats/identifiers/iban.ts';
import { formatOreSwedish } from '../../formats/money.ts';
import type { Balances } from '../engine/bank.ts';
import type { Entry, Payment, PaymentFile, SandboxCore } from '../engine/model.ts';

export type Lang = 'sv' | 'en';

export interface Flavour {
  name: string;
  logoText: string;
  primary: string;
  accent: string;
}

export const FLAVOURS: Record<string, Flavour> = {
  swedbank: { name: 'Swedbank', logoText: 'Swedbank (sandbox)', primary: '#ee7023', accent: '#512b2b' },
  sparbanken: { name: 'Sparbanken', logoText: 'Sparbanken (sandbox)', primary: '#d32f2f', accent: '#1f3a5f' },
};

/** The pages of no bank (an unknown bank's 404): sandbank's own, never dressed as another bank. */
export const NEUTRAL: Flavour = { name: 'sandbank', logoText: 'sandbank', primary: '#455a64', accent: '#263238' };

export const esc = (s: string | number | undefined | null): string =>
  String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

const tr = (lang: Lang, sv: string, en: string) => (lang === 'sv' ? sv : en);

export interface PageContext {
  bank: string;
  lang: Lang;
  /** Sandbox clock line; shown on every page once a user is known. */
  today?: string;
  csrf?: string;
  user?: string;
  message?: { kind: 'error' | 'info'; text: string };
}

export function layout(ctx: PageContext, title: string, body: string): string {
  const flavour = FLAVOURS[ctx.bank] ?? NEUTRAL;
  const base = `/internetbank/${ctx.bank}`;
  const nav = ctx.user
    ? `<nav aria-label="${tr(ctx.lang, 'Huvudmeny', 'Main menu')}"><ul>
<li><a href="${base}/files">${tr(ctx.lang, 'Att signera', 'To sign')}</a></li>
<li><a href="${base}/future">${tr(ctx.lang, 'Framtida betalningar', 'Future payments')}</a></li>
<li><a href="${base}/accounts">${tr(ctx.lang, 'Konton', 'Accounts')}</a></li>
<li><a href="${base}/enrol">${tr(ctx.lang, 'Autentiseringsapp', 'Authenticator app')}</a></li>
<li><form method="post" action="${base}/logout"><input type="hidden" name="_csrf" value="${esc(ctx.csrf)}"><button type="submit">${tr(ctx.lang, 'Logga ut', 'Log out')}</button></form></li>
</ul></nav>`
    : '';
  const other: Lang = ctx.lang === 'sv' ? 'en' : 'sv';
  return `<!doctype html>
<html lang="${ctx.lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} — ${esc(flavour.name)}</title>
<style>
:root{--primary:${flavour.primary};--accent:${flavour.accent}}
*{box-sizing:border-box}body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",sans-serif;color:#222;background:#faf7f5}
header{background:var(--primary);color:#fff;padding:.8rem 1.5rem;display:flex;gap:1.5rem;align-items:center;flex-wrap:wrap}
.logo{font-weight:700;font-size:1.3rem;letter-spacing:.02em}.clock{margin-left:auto;font-size:.9rem;background:rgba(0,0,0,.15);padding:.25rem .6rem;border-radius:1rem}
header a{color:#fff}nav ul{list-style:none;display:flex;gap:1rem;margin:0;padding:0;align-items:center}nav form{margin:0}
nav button{background:none;border:1px solid #fff;color:#fff;border-radius:.3rem;padding:.2rem .6rem;cursor:pointer}
main{max-width:60rem;margin:1.5rem auto;padding:0 1rem}h1{color:var(--accent)}
table{border-collapse:collapse;width:100%;background:#fff}th,td{padding:.45rem .6rem;border-bottom:1px solid #e5ded8;text-align:left}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.card{background:#fff;border:1px solid #e5ded8;border-radius:.5rem;padding:1rem 1.2rem;margin:1rem 0}
label{display:block;margin:.6rem 0 .2rem;font-weight:600}input[type=text],input[type=password]{font-size:1rem;padding:.45rem;border:1px solid #bbb;border-radius:.3rem;width:16rem}
button.primary{background:var(--primary);color:#fff;border:0;border-radius:.3rem;padding:.5rem 1.1rem;font-size:1rem;cursor:pointer;margin-top:.8rem}
button.secondary{background:#fff;color:var(--accent);border:1px solid var(--accent);border-radius:.3rem;padding:.45rem 1rem;cursor:pointer}
button:focus-visible,a:focus-visible,input:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
.error{background:#fdecea;border:1px solid #f5c2c0;color:#8a1c1c;padding:.6rem .8rem;border-radius:.3rem}.info{background:#eaf4fd;border:1px solid #b9d9f5;padding:.6rem .8rem;border-radius:.3rem}
.actions{display:flex;gap:.6rem;align-items:center}.actions button.primary{margin-top:0}.actions form{margin:0}code{background:#f1ece8;padding:.1rem .3rem;border-radius:.2rem;word-break:break-all}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
footer{max-width:60rem;margin:2rem auto;padding:0 1rem;color:#777;font-size:.85rem}
</style></head>
<body><header><span class="logo" aria-label="${esc(flavour.name)}">${esc(flavour.logoText)}</span>${nav}
${ctx.today ? `<span class="clock" role="status" aria-live="polite">${tr(ctx.lang, 'Idag är', 'Today is')} <time data-testid="sandbox-date">${esc(ctx.today)}</time> <small>(${tr(ctx.lang, 'simulerad tid', 'simulated time')})</small></span>` : ''}
</header>
<main id="main">${ctx.message ? `<p class="${ctx.message.kind}" role="${ctx.message.kind === 'error' ? 'alert' : 'status'}">${esc(ctx.message.text)}</p>` : ''}
${body}</main>
<footer>sandbank — ${tr(ctx.lang, 'en simulerad bank för test. Inga riktiga pengar.', 'a simulated bank for testing. No real money.')} <a href="?lang=${other}">${other === 'en' ? 'English' : 'Svenska'}</a></footer>
</body></html>`;
}

export function loginPage(ctx: PageContext, csrf: string): string {
  const { lang } = ctx;
  return layout(ctx, tr(lang, 'Logga in', 'Log in'), `<h1>${tr(lang, 'Logga in', 'Log in')}</h1>
<form class="card" method="post" action="/internetbank/${ctx.bank}/login">
<input type="hidden" name="_csrf" value="${esc(csrf)}">
<label for="userId">${tr(lang, 'Användar-id', 'User id')}</label><input id="userId" name="userId" type="text" autocomplete="username" required autofocus>
<label for="password">${tr(lang, 'Lösenord', 'Password')}</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<div><button class="primary" type="submit">${tr(lang, 'Fortsätt', 'Continue')}</button></div></form>
<p>${tr(lang, 'Inloggningsuppgifterna skrivs ut när du startar sandbank (<code>npm start</code>).', 'The credentials are printed when sandbank starts (<code>npm start</code>).')}</p>`);
}

export function totpPage(ctx: PageContext): string {
  const { lang } = ctx;
  return layout(ctx, tr(lang, 'Säkerhetskod', 'Security code'), `<h1>${tr(lang, 'Ange säkerhetskod', 'Enter security code')}</h1>
<form class="card" method="post" action="/internetbank/${ctx.bank}/login/totp">
<input type="hidden" name="_csrf" value="${esc(ctx.csrf)}">
<label for="code">${tr(lang, 'Sexsiffrig kod från din autentiseringsapp', 'Six-digit code from your authenticator app')}</label>
<input id="code" name="code" type="text" inputmode="numeric" pattern="[0-9]{6}" maxlength="6" autocomplete="one-time-code" required autofocus>
<div><button class="primary" type="submit">${tr(lang, 'Logga in', 'Log in')}</button></div></form>
<p>${tr(lang, 'Nyckeln till autentiseringsappen skrivs ut när sandbank startar och finns i sandlådans API (<code>GET /sandboxes/{id}</code>). Efter inloggning visas den som QR-kod under Autentiseringsapp.', "The authenticator key is printed when sandbank starts and is in the sandbox's API (<code>GET /sandboxes/{id}</code>). Once logged in, Authenticator app shows it as a QR code.")}</p>`);
}

export function enrolPage(ctx: PageContext, uri: string, qrSvg: string, secret: string): string {
  const { lang } = ctx;
  return layout(ctx, tr(lang, 'Autentiseringsapp', 'Authenticator app'), `<h1>${tr(lang, 'Ställ in autentiseringsappen', 'Set up the authenticator app')}</h1>
<div class="card"><p>${tr(lang, 'Skanna QR-koden med en autentiseringsapp (TOTP, 6 siffror, 30 s).', 'Scan the QR code with an authenticator app (TOTP, 6 digits, 30 s).')}</p>
<figure aria-label="QR code">${qrSvg}</figure>
<p>${tr(lang, 'Eller ange nyckeln', 'Or enter the key')}: <code data-testid="totp-secret">${esc(secret)}</code></p>
<p><code data-testid="otpauth-uri">${esc(uri)}</code></p></div>
<p><a href="/internetbank/${ctx.bank}/files">${tr(lang, 'Tillbaka', 'Back')}</a></p>`);
}

/** The internet bank's own error page (never a framework's, never a stack trace). */
export function errorPage(ctx: PageContext, status: number, text: string): string {
  const login = FLAVOURS[ctx.bank]
    ? `<a href="/internetbank/${ctx.bank}/">${tr(ctx.lang, 'Till inloggningen', 'To log in')}</a>`
    : `${tr(ctx.lang, 'Internetbankerna', 'The internet banks')}: ${Object.entries(FLAVOURS).map(([id, f]) => `<a href="/internetbank/${id}/">${esc(f.name)}</a>`).join(', ')}`;
  return layout(ctx, String(status), `<h1>${status}</h1><p class="error" role="alert">${esc(text)}</p>
<p>${login}</p>`);
}

function creditorText(p: Payment): string {
  const c = p.creditor;
  const account = c.kind === 'bankgiro' ? `BG ${formatBankgiro(c.account)}` : c.kind === 'plusgiro' ? `PG ${formatPlusgiro(c.account)}` : c.kind === 'iban' ? formatIban(c.account) : c.account;
  return c.name ? `${c.name}, ${account}` : account;
}

const kr = (ore: number) => `${formatOreSwedish(ore)} kr`;

export function filesPage(ctx: PageContext, files: PaymentFile[]): string {
  const { lang } = ctx;
  const base = `/internetbank/${ctx.bank}`;
  const cards = files.map((f) => {
    const waiting = f.payments.filter((p) => p.status === 'AWAITING_SIGNATURE');
    const total = waiting.reduce((s, p) => s + p.amountOre, 0);
    const rows = waiting.map((p) => `<tr><td>${esc(creditorText(p))}</td><td>${esc(p.reference?.value ?? '')}</td><td>${esc(p.requestedExecutionDate || tr(lang, 'snarast', 'as soon as possible'))}</td><td class="num">${esc(kr(p.amountOre))}</td></tr>`).join('');
    return `<section class="card" aria-labelledby="h-${esc(f.id)}" data-file-id="${esc(f.id)}">
<h2 id="h-${esc(f.id)}">${tr(lang, 'Betalningsfil', 'Payment file')} ${esc(f.messageId || f.id)}</h2>
<p>${tr(lang, 'Mottagen', 'Received')} ${esc(f.receivedAt.replace('T', ' '))} · ${waiting.length} ${tr(lang, 'betalningar', 'payments')} · ${tr(lang, 'Totalt', 'Total')} <strong>${esc(kr(total))}</strong></p>
<table><caption class="visually-hidden">${tr(lang, 'Betalningar i filen', 'Payments in the file')}</caption>
<thead><tr><th scope="col">${tr(lang, 'Mottagare', 'Payee')}</th><th scope="col">${tr(lang, 'OCR/meddelande', 'OCR/message')}</th><th scope="col">${tr(lang, 'Datum', 'Date')}</th><th scope="col" class="num">${tr(lang, 'Belopp', 'Amount')}</th></tr></thead>
<tbody>${rows}</tbody></table>
<div class="actions">
<form method="post" action="${base}/files/${esc(f.id)}/sign"><input type="hidden" name="_csrf" value="${esc(ctx.csrf)}"><button class="primary" type="submit">${tr(lang, 'Signera', 'Sign')}</button></form>
<form method="post" action="${base}/files/${esc(f.id)}/reject"><input type="hidden" name="_csrf" value="${esc(ctx.csrf)}"><button class="secondary" type="submit">${tr(lang, 'Avvisa', 'Reject')}</button></form>
</div></section>`;
  }).join('');
  return layout(ctx, tr(lang, 'Att signera', 'To sign'), `<h1>${tr(lang, 'Betalningsfiler att signera', 'Payment files to sign')}</h1>
${cards || `<p class="info">${tr(lang, 'Inga filer väntar på signering.', 'No files are awaiting signature.')}</p>`}`);
}

export function futurePage(ctx: PageContext, payments: Payment[]): string {
  const { lang } = ctx;
  const base = `/internetbank/${ctx.bank}`;
  const rows = payments.map((p) => `<tr data-payment-id="${esc(p.id)}"><td>${esc(p.executionDate)}</td><td>${esc(creditorText(p))}</td><td>${esc(p.reference?.value ?? '')}</td><td class="num">${esc(kr(p.amountOre))}</td>
<td><form method="post" action="${base}/payments/${esc(p.id)}/delete"><input type="hidden" name="_csrf" value="${esc(ctx.csrf)}"><button class="secondary" type="submit" aria-label="${tr(lang, 'Ta bort betalning till', 'Delete payment to')} ${esc(p.creditor.name ?? p.creditor.account)}">${tr(lang, 'Ta bort', 'Delete')}</button></form></td></tr>`).join('');
  return layout(ctx, tr(lang, 'Framtida betalningar', 'Future payments'), `<h1>${tr(lang, 'Framtida betalningar', 'Future payments')}</h1>
<p>${tr(lang, 'Signerade betalningar som ännu inte är genomförda. De syns inte i kontoöversikten.', 'Signed payments not yet executed. They are not shown on the account overview.')}</p>
${rows ? `<table><thead><tr><th scope="col">${tr(lang, 'Betalningsdag', 'Payment date')}</th><th scope="col">${tr(lang, 'Mottagare', 'Payee')}</th><th scope="col">${tr(lang, 'OCR/meddelande', 'OCR/message')}</th><th scope="col" class="num">${tr(lang, 'Belopp', 'Amount')}</th><th scope="col"><span class="visually-hidden">${tr(lang, 'Åtgärd', 'Action')}</span></th></tr></thead><tbody>${rows}</tbody></table>` : `<p class="info">${tr(lang, 'Inga framtida betalningar.', 'No future payments.')}</p>`}`);
}

export function accountsPage(ctx: PageContext, core: SandboxCore, balances: Balances[], entries: Entry[]): string {
  const { lang } = ctx;
  const cards = core.accounts.map((a, i) => {
    const b = balances[i] as Balances;
    const recent = entries.filter((e) => e.accountId === a.id).slice(-10).reverse();
    const rows = recent.map((e) => `<tr><td>${esc(e.bookingDate)}</td><td>${esc(e.counterpartyName ?? '')}</td><td>${esc(e.reference?.value ?? e.endToEndId ?? '')}</td><td class="num">${esc(kr(e.creditDebit === 'DBIT' ? -e.amountOre : e.amountOre))}</td></tr>`).join('');
    return `<section class="card" aria-labelledby="acc-${esc(a.id)}" data-account-id="${esc(a.id)}">
<h2 id="acc-${esc(a.id)}">${esc(a.name)}${a.primary ? ` <small>(${tr(lang, 'huvudkonto', 'primary')})</small>` : ''}</h2>
<p>${esc(a.clearing)}-${esc(a.accountNumber)} · IBAN ${esc(formatIban(a.iban))}</p>
<dl>
<dt>${tr(lang, 'Bokfört saldo', 'Booked balance')}</dt><dd data-testid="booked-${esc(a.id)}">${esc(kr(b.bookedOre))}</dd>
<dt>${tr(lang, 'Reserverat för framtida betalningar', 'Reserved for future payments')}</dt><dd data-testid="reserved-${esc(a.id)}">${esc(kr(b.reservedOre))}</dd>
<dt>${tr(lang, 'Disponibelt belopp', 'Available')}</dt><dd data-testid="available-${esc(a.id)}">${esc(kr(b.availableOre))}</dd>
</dl>
${rows ? `<table><thead><tr><th scope="col">${tr(lang, 'Datum', 'Date')}</th><th scope="col">${tr(lang, 'Motpart', 'Counterparty')}</th><th scope="col">${tr(lang, 'Referens', 'Reference')}</th><th scope="col" class="num">${tr(lang, 'Belopp', 'Amount')}</th></tr></thead><tbody>${rows}</tbody></table>` : `<p>${tr(lang, 'Inga transaktioner ännu.', 'No transactions yet.')}</p>`}
</section>`;
  }).join('');
  return layout(ctx, tr(lang, 'Konton', 'Accounts'), `<h1>${tr(lang, 'Konton', 'Accounts')}</h1><p>${esc(core.company.name)}</p>${cards}`);
}
