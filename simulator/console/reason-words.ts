/**
 * ISO 20022 status reason codes (ExternalStatusReason1Code) in words, Swedish and English,
 * for the codes the simulated banks use. The bank's own message is shown beside them.
 */
import type { Lang } from './i18n.ts';

const WORDS: Record<string, { sv: string; en: string }> = {
  AC01: { sv: 'Felaktigt kontonummer', en: 'Incorrect account number' },
  AC02: { sv: 'Ogiltigt avsändarkonto', en: 'Invalid debtor account number' },
  AC03: { sv: 'Ogiltigt mottagarkonto', en: 'Invalid creditor account number' },
  AC04: { sv: 'Kontot är avslutat', en: 'Closed account number' },
  AC06: { sv: 'Kontot är spärrat', en: 'Blocked account' },
  AG01: { sv: 'Transaktionen är inte tillåten', en: 'Transaction forbidden' },
  AM04: { sv: 'Otillräckligt saldo', en: 'Insufficient funds' },
  AM05: { sv: 'Dubblett', en: 'Duplication' },
  AM10: { sv: 'Felaktig kontrollsumma', en: 'Invalid control sum' },
  ARDT: { sv: 'Redan genomförd', en: 'Already returned or executed' },
  BE01: { sv: 'Stämmer inte med kunden', en: 'Inconsistent with end customer' },
  CUST: { sv: 'Makulerad på kundens begäran', en: 'Requested by customer' },
  DS02: { sv: 'Ordern makulerad', en: 'Order cancelled' },
  DT01: { sv: 'Ogiltigt datum', en: 'Invalid date' },
  DUPL: { sv: 'Filen är redan mottagen', en: 'Duplicate payment file' },
  FF01: { sv: 'Ogiltigt filformat', en: 'Invalid file format' },
  MS03: { sv: 'Orsak ej angiven', en: 'Reason not specified' },
  NARR: { sv: 'Se beskrivningen', en: 'See the narrative' },
  NOOR: { sv: 'Ingen originaltransaktion', en: 'No original transaction' },
};

export function reasonWords(code: string, lang: Lang): string {
  const words = WORDS[code];
  return words ? words[lang] : lang === 'sv' ? 'Avvisad av banken' : 'Rejected by the bank';
}
