/**
 * BgMax record layouts as data (positions 1-based and inclusive, as in Bankgirot's BgMax
 * manual and as bgmax.ts reads them), with each record's and field's name in Swedish and
 * English: for showing a file with its fields named.
 */
export interface FieldLayout {
  from: number;
  to: number;
  sv: string;
  en: string;
}

export interface RecordLayout {
  sv: string;
  en: string;
  fields: readonly FieldLayout[];
}

const code: FieldLayout = { from: 1, to: 2, sv: 'Transaktionskod', en: 'Transaction code' };

const payment = (extra: readonly FieldLayout[] = []): readonly FieldLayout[] => [
  code,
  { from: 3, to: 12, sv: 'Avsändarbankgironummer', en: 'Sender bankgiro number' },
  { from: 13, to: 37, sv: 'Referens', en: 'Reference' },
  { from: 38, to: 55, sv: 'Betalningsbelopp (öre)', en: 'Amount (öre)' },
  { from: 56, to: 56, sv: 'Referenskod', en: 'Reference code' },
  { from: 57, to: 57, sv: 'Betalningskanalkod', en: 'Payment channel code' },
  { from: 58, to: 69, sv: 'BGC-löpnummer', en: 'BGC serial number' },
  { from: 70, to: 70, sv: 'Avibildmarkering', en: 'Image marker' },
  ...extra,
];

export const BGMAX_RECORDS: Readonly<Record<string, RecordLayout>> = {
  '01': { sv: 'Startpost', en: 'Start record', fields: [code, { from: 3, to: 22, sv: 'Layoutnamn', en: 'Layout name' }, { from: 23, to: 24, sv: 'Version', en: 'Version' }, { from: 25, to: 44, sv: 'Skrivdag (tidsstämpel)', en: 'Timestamp' }, { from: 45, to: 45, sv: 'Testmarkering', en: 'Test marker' }] },
  '05': { sv: 'Öppningspost', en: 'Opening record', fields: [code, { from: 3, to: 12, sv: 'Mottagarbankgironummer', en: 'Payee bankgiro number' }, { from: 13, to: 22, sv: 'Mottagarplusgironummer', en: 'Payee plusgiro number' }, { from: 23, to: 25, sv: 'Valuta', en: 'Currency' }] },
  '20': { sv: 'Betalningspost', en: 'Payment record', fields: payment() },
  '21': { sv: 'Avdragspost', en: 'Deduction record', fields: payment([{ from: 71, to: 71, sv: 'Avdragskod', en: 'Deduction code' }]) },
  '22': { sv: 'Extra referensnummerpost', en: 'Extra reference record', fields: payment() },
  '23': { sv: 'Extra referensnummerpost (negativ)', en: 'Extra reference record (negative)', fields: payment() },
  '25': { sv: 'Informationspost', en: 'Information record', fields: [code, { from: 3, to: 52, sv: 'Informationstext', en: 'Information text' }] },
  '26': { sv: 'Namnpost', en: 'Name record', fields: [code, { from: 3, to: 37, sv: 'Betalarens namn', en: 'Payer name' }, { from: 38, to: 72, sv: 'Extra namnfält', en: 'Extra name' }] },
  '27': { sv: 'Adresspost 1', en: 'Address record 1', fields: [code, { from: 3, to: 37, sv: 'Betalarens adress', en: 'Payer address' }, { from: 38, to: 46, sv: 'Postnummer', en: 'Post code' }] },
  '28': { sv: 'Adresspost 2', en: 'Address record 2', fields: [code, { from: 3, to: 37, sv: 'Ort', en: 'Town' }, { from: 38, to: 72, sv: 'Land', en: 'Country' }, { from: 73, to: 74, sv: 'Landkod', en: 'Country code' }] },
  '29': { sv: 'Organisationsnummerpost', en: 'Organisation number record', fields: [code, { from: 3, to: 14, sv: 'Organisationsnummer', en: 'Organisation number' }] },
  '15': { sv: 'Insättningspost', en: 'Deposit record', fields: [code, { from: 3, to: 37, sv: 'Mottagarbankkontonummer', en: 'Payee bank account' }, { from: 38, to: 45, sv: 'Betalningsdag', en: 'Payment date' }, { from: 46, to: 50, sv: 'Insättningslöpnummer', en: 'Deposit serial number' }, { from: 51, to: 68, sv: 'Insättningsbelopp (öre)', en: 'Deposit amount (öre)' }, { from: 69, to: 71, sv: 'Valuta', en: 'Currency' }, { from: 72, to: 79, sv: 'Antal betalningar', en: 'Number of payments' }, { from: 80, to: 80, sv: 'Typ av insättning', en: 'Deposit type' }] },
  '70': { sv: 'Slutpost', en: 'End record', fields: [code, { from: 3, to: 10, sv: 'Antal betalningsposter', en: 'Number of payment records' }, { from: 11, to: 18, sv: 'Antal avdragsposter', en: 'Number of deduction records' }, { from: 19, to: 26, sv: 'Antal extra referensnummerposter', en: 'Number of extra reference records' }, { from: 27, to: 34, sv: 'Antal insättningsposter', en: 'Number of deposit records' }] },
};
