/** The console's page frame: header with the sandbox clock, navigation, language switch. */
import { formatOreSwedish } from '../../formats/money.ts';
import type { SandboxCore } from '../engine/model.ts';
import { esc, tr, type Lang } from './i18n.ts';
import type { ConsoleScope } from './sessions.ts';

export const CONSOLE_BASE = '/console';

export interface ConsoleContext {
  lang: Lang;
  csrf?: string;
  scope?: ConsoleScope;
  /** The sandbox the page is about (its clock is shown, its pages are in the menu). */
  sandbox?: SandboxCore;
  message?: { kind: 'error' | 'info'; text: string };
  /** The page's own path (for the language switch). */
  path?: string;
}

export const kr = (ore: number): string => `${formatOreSwedish(ore)} kr`;

export const sandboxPath = (id: string): string => `${CONSOLE_BASE}/sandboxes/${encodeURIComponent(id)}`;

export function csrfField(ctx: ConsoleContext): string {
  return `<input type="hidden" name="_csrf" value="${esc(ctx.csrf)}">`;
}

const STYLE = `
*{box-sizing:border-box}body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",sans-serif;color:#1d2329;background:#f4f6f8}
header{background:#263238;color:#fff;padding:.7rem 1.5rem;display:flex;gap:1.2rem;align-items:center;flex-wrap:wrap}
header a{color:#fff}.logo{font-weight:700;font-size:1.15rem}.clock{margin-left:auto;font-size:.9rem;background:rgba(255,255,255,.12);padding:.25rem .6rem;border-radius:1rem}
nav ul{list-style:none;display:flex;gap:1rem;margin:0;padding:0;align-items:center;flex-wrap:wrap}nav form{margin:0}
nav button{background:none;border:1px solid #fff;color:#fff;border-radius:.3rem;padding:.2rem .6rem;cursor:pointer}
main{max-width:78rem;margin:1.2rem auto;padding:0 1rem}h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:1.6rem}
table{border-collapse:collapse;width:100%;background:#fff}th,td{padding:.4rem .55rem;border-bottom:1px solid #dde3e8;text-align:left;vertical-align:top}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.card{background:#fff;border:1px solid #dde3e8;border-radius:.5rem;padding:1rem 1.2rem;margin:1rem 0}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(18rem,1fr));gap:1rem}
label{display:block;margin:.5rem 0 .2rem;font-weight:600}input[type=text],input[type=password],select,textarea{font-size:.95rem;padding:.4rem;border:1px solid #b0bec5;border-radius:.3rem}
textarea{width:100%;font-family:ui-monospace,monospace}input[type=password]{width:100%}
button.primary{background:#1565c0;color:#fff;border:0;border-radius:.3rem;padding:.45rem 1rem;font-size:.95rem;cursor:pointer}
button.secondary{background:#fff;color:#1565c0;border:1px solid #1565c0;border-radius:.3rem;padding:.4rem .9rem;cursor:pointer}
button:focus-visible,a:focus-visible,input:focus-visible,select:focus-visible,textarea:focus-visible{outline:3px solid #f9a825;outline-offset:2px}
.error{background:#fdecea;border:1px solid #f5c2c0;color:#8a1c1c;padding:.6rem .8rem;border-radius:.3rem}.info{background:#e8f4fd;border:1px solid #b9d9f5;padding:.6rem .8rem;border-radius:.3rem}
.actions{display:flex;gap:.6rem;align-items:flex-end;flex-wrap:wrap}.actions form{margin:0}
code{background:#eceff1;padding:.05rem .3rem;border-radius:.2rem;word-break:break-all}
.scroll{overflow-x:auto;background:#fff;border:1px solid #dde3e8;border-radius:.5rem;padding:.4rem}
.status{display:inline-block;padding:.05rem .45rem;border-radius:.8rem;font-size:.85rem;background:#eceff1}
.status.EXECUTED,.status.SIGNED,.status.delivered{background:#e3f2e5;color:#1b5e20}.status.REJECTED,.status.failed{background:#fdecea;color:#8a1c1c}
.status.SCHEDULED,.status.AWAITING_SIGNATURE,.status.PARTIALLY_ACCEPTED,.status.pending{background:#fff8e1;color:#7a5200}.status.CANCELLED{background:#eceff1;color:#37474f}
ol.steps{list-style:none;padding:0}ol.steps li{background:#fff;border-left:4px solid #90a4ae;margin:.35rem 0;padding:.45rem .7rem}
ol.steps li.bad{border-left-color:#c62828}ol.steps li.good{border-left-color:#2e7d32}ol.steps li.report{border-left-color:#00695c}ol.steps li.webhook{border-left-color:#b0bec5}
ol.steps time{font-variant-numeric:tabular-nums;color:#455a64;margin-right:.5rem}
pre.xml,pre.record-raw{background:#fff;border:1px solid #dde3e8;border-radius:.4rem;padding:.8rem;overflow-x:auto;font-size:.85rem;line-height:1.35}
.x-tag{color:#1565c0}.x-attr{color:#6a1b9a}.x-val{color:#2e7d32}.x-text{color:#212121;font-weight:600}.x-decl{color:#78909c}
section.record{margin:.6rem 0}section.record h3{font-size:1rem;margin:.5rem 0 .2rem}table.fields{max-width:48rem}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
footer{max-width:78rem;margin:2rem auto;padding:0 1rem;color:#6b7780;font-size:.85rem}
.legend span{margin-right:1rem}`;

export function layout(ctx: ConsoleContext, title: string, body: string): string {
  const { lang } = ctx;
  const sandbox = ctx.sandbox;
  const menu: string[] = [];
  if (ctx.scope) {
    menu.push(`<li><a href="${CONSOLE_BASE}/sandboxes">${tr(lang, 'Sandlådor', 'Sandboxes')}</a></li>`);
    if (sandbox) {
      const base = sandboxPath(sandbox.id);
      menu.push(`<li><a href="${base}">${tr(lang, 'Översikt', 'Overview')}</a></li>`);
      menu.push(`<li><a href="${base}/reports">${tr(lang, 'Rapporter', 'Reports')}</a></li>`);
      menu.push(`<li><a href="${base}/events">${tr(lang, 'Händelser', 'Events')}</a></li>`);
      menu.push(`<li><a href="${base}/webhooks">Webhooks</a></li>`);
    }
    menu.push(`<li><form method="post" action="${CONSOLE_BASE}/logout">${csrfField(ctx)}<button type="submit">${tr(lang, 'Logga ut', 'Log out')}</button></form></li>`);
  }
  const other: Lang = lang === 'sv' ? 'en' : 'sv';
  const clock = sandbox
    ? `<span class="clock" role="status">${esc(sandbox.bank === 'swedbank' ? 'Swedbank' : 'Sparbanken')} · ${tr(lang, 'klockan', 'clock')} <time data-testid="sandbox-clock">${esc(sandbox.now.replace('T', ' '))}</time></span>`
    : '';
  return `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} — sandbank console</title><style>${STYLE}</style></head>
<body><header><span class="logo">sandbank console</span>${menu.length ? `<nav aria-label="${tr(lang, 'Huvudmeny', 'Main menu')}"><ul>${menu.join('')}</ul></nav>` : ''}${clock}</header>
<main id="main">${ctx.message ? `<p class="${ctx.message.kind}" role="${ctx.message.kind === 'error' ? 'alert' : 'status'}">${esc(ctx.message.text)}</p>` : ''}
${body}</main>
<footer>sandbank — ${tr(lang, 'konsolen för simulerade banker. Inga riktiga pengar.', 'the console of the simulated banks. No real money.')} <a href="${esc(ctx.path ?? CONSOLE_BASE)}?lang=${other}">${other === 'en' ? 'English' : 'Svenska'}</a></footer>
</body></html>`;
}

export function errorPage(ctx: ConsoleContext, status: number, text: string): string {
  const { lang } = ctx;
  const heading = status === 404 ? tr(lang, 'Hittades inte', 'Not found') : status === 403 ? tr(lang, 'Inte tillåtet', 'Forbidden') : status === 400 ? tr(lang, 'Felaktig begäran', 'Bad request') : tr(lang, 'Något gick fel', 'Something went wrong');
  return layout(ctx, heading, `<h1>${esc(heading)}</h1><p class="error" role="alert" data-testid="error">${esc(text)}</p><p><a href="${CONSOLE_BASE}/">${tr(lang, 'Till konsolens start', 'To the console start page')}</a></p>`);
}
