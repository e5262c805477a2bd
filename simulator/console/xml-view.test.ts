import { describe, expect, it } from 'vitest';
import { prettyXmlHtml } from './xml-view.ts';

describe('pretty XML for the console', () => {
  it('re-indents a one-line document, leaves on one line, everything escaped', () => {
    const html = prettyXmlHtml('<?xml version="1.0" encoding="UTF-8"?><Document xmlns="urn:x"><A><B Ccy="SEK">1.00</B><C>&lt;script&gt;</C></A></Document>');
    const text = html.replace(/<[^>]+>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
    expect(text.split('\n')).toEqual([
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<Document xmlns="urn:x">',
      '  <A>',
      '    <B Ccy="SEK">1.00</B>',
      '    <C><script></C>',
      '  </A>',
      '</Document>',
    ]);
    expect(html).not.toContain('<script>');
  });

  it('shows a document it cannot read as escaped text', () => {
    const html = prettyXmlHtml('<a><b></a>');
    expect(html).toContain('&lt;a&gt;&lt;b&gt;&lt;/a&gt;');
  });
});
