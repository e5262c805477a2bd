/**
 * Deterministic generator of valid pain.001 documents, for benchmarks, property tests and
 * scenario fixtures. Every identifier it makes carries correct check digits.
 */
import { luhnCheckDigit } from '../identifiers/luhn.ts';
import { generateOcr } from '../identifiers/ocr.ts';
import { createRandom, type Random } from '../random.ts';
import type { CreditTransfer, Pain001Document, Pain001Version } from './model.ts';
import { withComputedTotals } from './write.ts';

const NAMES = ['Trävaruhuset AB', 'Åkeri Östergren', 'Kontorsmaterial Nilsson', 'Elfirman i Luleå', 'Bygg och Måleri HB', 'Städtjänst Väst AB'];

export function sampleBankgiro(random: Random): string {
  const body = String(random.int(100, 9999)) + random.digits(3);
  return body + String(luhnCheckDigit(body));
}

export function samplePlusgiro(random: Random): string {
  const body = String(random.int(1, 9)) + random.digits(random.int(1, 6));
  return body + String(luhnCheckDigit(body));
}

/** A Swedbank type-2 account (clearing 8xxx-x, 10-digit account, both Luhn-checked). */
export function sampleSwedbankAccount(random: Random): { clearing: string; account: string } {
  const clearing4 = `8${random.digits(3)}`;
  const clearing = clearing4 + String(luhnCheckDigit(clearing4));
  const body = random.digits(9);
  return { clearing, account: body + String(luhnCheckDigit(body)) };
}

export function sampleTransaction(random: Random, index: number): CreditTransfer {
  const amountOre = random.int(100, 5_000_000);
  const kind = random.int(0, 2);
  const base: CreditTransfer = {
    endToEndId: `E2E-${String(index).padStart(8, '0')}`,
    amountOre,
    currency: 'SEK',
    creditor: { name: random.pick(NAMES) },
    unstructuredRemittance: [],
    structuredRemittance: [],
  };
  if (kind === 0) {
    base.creditorAgent = { clearingSystemCode: 'SESBA', memberId: '9900' };
    base.creditorAccount = { other: sampleBankgiro(random), schemeProprietary: 'BGNR' };
    base.structuredRemittance = [{ creditorReferenceType: 'SCOR', creditorReference: generateOcr(String(100000 + index)) }];
  } else if (kind === 1) {
    base.creditorAgent = { clearingSystemCode: 'SESBA', memberId: '9960' };
    base.creditorAccount = { other: samplePlusgiro(random), schemeCode: 'BBAN' };
    base.unstructuredRemittance = [`Faktura ${index}`];
  } else {
    const { clearing, account } = sampleSwedbankAccount(random);
    base.creditorAgent = { clearingSystemCode: 'SESBA', memberId: clearing };
    base.creditorAccount = { other: account, schemeCode: 'BBAN' };
    base.unstructuredRemittance = [`Faktura ${index}`];
  }
  return base;
}

export interface SampleOptions {
  seed: number;
  transactions: number;
  version?: Pain001Version;
  /** Payments per PmtInf (one execution date each). */
  perPaymentInformation?: number;
  executionDate?: string;
  messageId?: string;
}

export function samplePain001(options: SampleOptions): Pain001Document {
  const random = createRandom(options.seed);
  const per = options.perPaymentInformation ?? 1000;
  const messageId = options.messageId ?? `MSG-${options.seed}-${options.transactions}`;
  const paymentInformation: Pain001Document['paymentInformation'] = [];
  for (let start = 0; start < options.transactions; start += per) {
    const transactions: CreditTransfer[] = [];
    for (let i = start; i < Math.min(options.transactions, start + per); i++) transactions.push(sampleTransaction(random, i + 1));
    paymentInformation.push({
      paymentInformationId: `${messageId}-${paymentInformation.length + 1}`,
      paymentMethod: 'TRF',
      categoryPurpose: 'SUPP',
      requestedExecutionDate: options.executionDate ?? '2026-03-16',
      debtor: { name: 'Fjällbacka Snickeri AB' },
      debtorAccount: { iban: 'SE9380000810596948579930' },
      debtorAgent: { bic: 'SWEDSESS' },
      transactions,
    });
  }
  return withComputedTotals({
    version: options.version ?? 'pain.001.001.03',
    groupHeader: {
      messageId,
      creationDateTime: '2026-03-14T09:00:00',
      numberOfTransactions: '0',
      initiatingParty: { name: 'Fjällbacka Snickeri AB', organisationId: { id: '065565123456B001', schemeCode: 'BANK' } },
    },
    paymentInformation,
  });
}
