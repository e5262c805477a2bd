/** A BgMax file as HTML: each 80-character record with its record type and fields named. */
import { BGMAX_RECORDS } from '../../formats/bankgirot/bgmax-layout.ts';
import { field } from '../../formats/bankgirot/fixed-width.ts';
import { esc, tr, type Lang } from './i18n.ts';

export function bgmaxHtml(text: string, lang: Lang, maxRecords = 5_000): string {
  const records = text.split(/\r?\n/).filter((l) => l.trim() !== '').slice(0, maxRecords);
  const sections = records.map((record, i) => {
    const layout = BGMAX_RECORDS[record.slice(0, 2)];
    const rows = (layout?.fields ?? []).map((f) => {
      const value = field(record.padEnd(80), f.from, f.to);
      return `<tr><td class="num">${f.from}–${f.to}</td><th scope="row">${esc(f[lang])}</th><td><code>${esc(value.replace(/ /g, '\u00b7'))}</code></td></tr>`;
    }).join('');
    return `<section class="record" data-testid="record" data-record-type="${esc(record.slice(0, 2))}">
<h3>${tr(lang, 'Post', 'Record')} ${i + 1}: TK${esc(record.slice(0, 2))} ${esc(layout ? layout[lang] : tr(lang, 'okänd posttyp', 'unknown record type'))}</h3>
<pre class="record-raw">${esc(record)}</pre>
${rows ? `<table class="fields"><thead><tr><th scope="col">${tr(lang, 'Position', 'Position')}</th><th scope="col">${tr(lang, 'Fält', 'Field')}</th><th scope="col">${tr(lang, 'Värde', 'Value')}</th></tr></thead><tbody>${rows}</tbody></table>` : ''}
</section>`;
  });
  return `<div class="fixed-width" data-testid="report-body">${sections.join('\n')}</div>`;
}
