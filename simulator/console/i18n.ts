/** The console speaks Swedish and English, like the internet bank. */
export type Lang = 'sv' | 'en';

export const tr = (lang: Lang, sv: string, en: string): string => (lang === 'sv' ? sv : en);

export const esc = (s: string | number | undefined | null): string =>
  String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
