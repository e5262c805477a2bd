import { electronicFormatIBAN, extractIBAN, isValidBIC, isValidIBAN } from 'ibantools';

export type IbanCheck = { ok: true; iban: string; countryCode: string; bankCode: string | undefined } | { ok: false; message: string };

export function checkIban(input: string): IbanCheck {
  const iban = electronicFormatIBAN(input) ?? '';
  if (!isValidIBAN(iban)) return { ok: false, message: 'IBAN is invalid (country format or mod-97 check digits)' };
  const parts = extractIBAN(iban);
  return { ok: true, iban, countryCode: parts.countryCode ?? iban.slice(0, 2), bankCode: parts.bankIdentifier };
}

export function checkBic(input: string): boolean {
  return isValidBIC(input);
}

/** Prints an IBAN in groups of four as banks show it. */
export function formatIban(iban: string): string {
  return iban.replace(/(.{4})/g, '$1 ').trim();
}
