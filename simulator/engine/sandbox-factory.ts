/**
 * Deterministic fake Swedish companies for new sandboxes (fakerSV seeded with the sandbox
 * seed): the same seed gives the same company, accounts, users and secrets.
 */
// The Swedish locale's own instance (sv, then en, then base): the package's index would load
// every one of its locales (~30 MB of a server's memory) for the one used here.
import { faker as swedishFaker } from '@faker-js/faker/locale/sv';
import { composeIBAN } from 'ibantools';
import { luhnCheckDigit } from '../../formats/identifiers/luhn.ts';
import { createRandom, type Random } from '../../formats/random.ts';
import type { BankProfile } from '../banks/profile.ts';
import type { Company, InternetBankUser, SandboxAccount } from './model.ts';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** A TOTP secret of 20 random bytes (160 bits, RFC 4226's recommendation), base32. */
export function totpSecret(random: Random): string {
  let out = '';
  for (let i = 0; i < 32; i++) out += BASE32[random.int(0, 31)];
  return out;
}

export function token(random: Random, length: number): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[random.int(0, alphabet.length - 1)];
  return out;
}

/** A Swedish organisation number: 10 digits, third digit ≥ 2, Luhn check digit. */
export function organisationNumber(random: Random): string {
  const body = `55${random.int(6, 9)}${random.digits(6)}`;
  return body + String(luhnCheckDigit(body));
}

export function bankgiroNumber(random: Random): string {
  const body = `${random.int(500, 999)}${random.digits(4)}`;
  return body + String(luhnCheckDigit(body));
}

export function ibanFor(clearing: string, accountNumber: string): string {
  const iban = composeIBAN({ countryCode: 'SE', bban: `800${`${clearing}${accountNumber}`.padStart(17, '0')}` });
  if (!iban) throw new Error('could not compose IBAN');
  return iban;
}

/** Swedbank-platform type-2 account: 5-digit clearing (8xxx-x), 10-digit account with Luhn. */
export function swedbankAccount(clearing: string, random: Random): { clearing: string; accountNumber: string; iban: string } {
  const body = random.digits(9);
  const accountNumber = body + String(luhnCheckDigit(body));
  return { clearing, accountNumber, iban: ibanFor(clearing, accountNumber) };
}

export interface SandboxSeedData {
  company: Company;
  accounts: SandboxAccount[];
  users: InternetBankUser[];
}

export function seedSandboxData(
  profile: BankProfile,
  seed: number,
  overrides: { companyName?: string; openingBalancesOre?: number[]; primaryAccount?: { clearing: string; accountNumber: string } } = {},
): SandboxSeedData {
  const random = createRandom(seed);
  // Reseeded for each sandbox, and used without a pause in between: the same names as a fresh instance.
  const faker = swedishFaker;
  faker.seed(seed);
  const orgNumber = organisationNumber(random);
  const companyName = overrides.companyName ?? `${faker.company.name()}`;
  const company: Company = {
    name: companyName.replace(/[^A-Za-z0-9/\-?:().,'+ åäöÅÄÖ]/g, ''),
    organisationNumber: orgNumber,
    agreementId: `06${orgNumber}B001`,
    bankgiro: bankgiroNumber(random),
  };
  const balances = overrides.openingBalancesOre ?? [50_000_000, 1_000_000];
  const accounts = balances.map((opening, i): SandboxAccount => {
    const generated = swedbankAccount(profile.defaultClearing, random);
    const fixed = i === 0 ? overrides.primaryAccount : undefined;
    const { clearing, accountNumber } = fixed ?? generated;
    const iban = fixed ? ibanFor(fixed.clearing, fixed.accountNumber) : generated.iban;
    return {
      id: `acc_${i + 1}`,
      name: i === 0 ? 'Företagskonto' : `Sparkonto ${i}`,
      iban,
      clearing,
      accountNumber,
      currency: 'SEK',
      primary: i === 0,
      openingBalanceOre: opening,
      bookedOre: opening,
    };
  });
  const users: InternetBankUser[] = [
    { id: `u${random.digits(6)}`, name: faker.person.fullName(), password: token(random, 12), totpSecret: totpSecret(random), role: 'administrator' },
    { id: `u${random.digits(6)}`, name: faker.person.fullName(), password: token(random, 12), totpSecret: totpSecret(random), role: 'user' },
  ];
  return { company, accounts, users };
}
