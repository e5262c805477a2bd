/**
 * Ready-to-upload payment files for one sandbox: its company, its debtor account and dates on
 * its own clock, so the file is accepted as written (`sandbank sample`, the start banner, the
 * README). `invalid` makes one of the classic mistakes instead, each of which the bank (or
 * `sandbank validate`) reports with its own code.
 */
import { addBankDays, rollToBankDay } from './calendar.ts';
import { toYymmdd } from './dates.ts';
import { createHash } from 'node:crypto';
import { encodeLatin1 } from './bankgirot/fixed-width.ts';
import { writeLb, type LbRecord } from './bankgirot/lb.ts';
import { generateOcr } from './identifiers/ocr.ts';
import { sampleBankgiro } from './pain001/sample.ts';
import { withComputedTotals, writePain001 } from './pain001/write.ts';
import type { CreditTransfer } from './pain001/model.ts';
import { createRandom } from './random.ts';

export const SAMPLE_KINDS = ['pain001', 'lb'] as const;
export type SampleKind = (typeof SAMPLE_KINDS)[number];

/** The classic mistakes: someone else's debtor account, a mistyped bankgiro or OCR, totals that do not add up. */
export const SAMPLE_MISTAKES = ['debtor-account', 'bankgiro', 'ocr', 'control-sum'] as const;
export type SampleMistake = (typeof SAMPLE_MISTAKES)[number];

/** What a file needs to know about the sandbox it is for (a subset of GET /sandboxes/{id}). */
export interface SampleSandbox {
  sandboxId: string;
  /** The sandbox clock, `YYYY-MM-DDTHH:MM:SS`. */
  now: string;
  company: { name: string; agreementId: string; bankgiro: string };
  accounts: { iban: string; primary: boolean }[];
}

export interface SampleFileOptions {
  payments?: number;
  /** Execution date `YYYY-MM-DD`; default: two bank days after the sandbox's today. */
  date?: string;
  seed?: number;
  invalid?: SampleMistake;
}

export interface SampleFile {
  bytes: Uint8Array;
  /** A name with the conventional extension. */
  fileName: string;
  paymentDate: string;
  totalOre: number;
}

/** Flips the last digit: still digits, no longer a valid check digit. */
function breakCheckDigit(number: string): string {
  const last = Number(number.slice(-1));
  return number.slice(0, -1) + String((last + 1) % 10);
}

interface SamplePayment {
  amountOre: number;
  bankgiro: string;
  ocr: string;
}

function samplePayments(count: number, seed: number, invalid: SampleMistake | undefined): SamplePayment[] {
  const random = createRandom(seed);
  return Array.from({ length: count }, (_, i) => {
    const bankgiro = sampleBankgiro(random);
    const ocr = generateOcr(String(100_000 + i + 1));
    return {
      amountOre: random.int(100, 20_000) * 100 + random.int(0, 99),
      bankgiro: invalid === 'bankgiro' && i === 0 ? breakCheckDigit(bankgiro) : bankgiro,
      ocr: invalid === 'ocr' && i === 0 ? breakCheckDigit(ocr) : ocr,
    };
  });
}

/** A debtor IBAN that is valid but not this sandbox's: the bank rejects it AC02. */
const SOMEONE_ELSES_IBAN = 'SE9380000810596948579930';
const SOMEONE_ELSES_BANKGIRO = '5050-1055';

export function sampleFileFor(kind: SampleKind, sandbox: SampleSandbox, options: SampleFileOptions = {}): SampleFile {
  const count = options.payments ?? 3;
  if (!Number.isInteger(count) || count < 1) throw new RangeError('a sample needs at least one payment');
  const today = sandbox.now.slice(0, 10);
  const paymentDate = options.date ?? addBankDays(rollToBankDay(today), 2);
  const seed = options.seed ?? 1;
  const payments = samplePayments(count, seed, options.invalid);
  const totalOre = payments.reduce((sum, p) => sum + p.amountOre, 0);
  // Two different samples for one sandbox must not share a message id (the bank would refuse
  // the second DUPL); the same sample twice is the same file, and is refused as one.
  const variant = createHash('sha256').update(JSON.stringify([kind, count, seed, paymentDate, options.invalid ?? ''])).digest('hex').slice(0, 8);
  const messageId = `SAMPLE-${sandbox.sandboxId.replace(/^sbx_/, '').slice(0, 12)}-${variant}`;
  if (kind === 'lb') {
    // An LB file's debtor is its sender bankgiro.
    const sender = (options.invalid === 'debtor-account' ? SOMEONE_ELSES_BANKGIRO : sandbox.company.bankgiro).replace(/\D/g, '').padStart(10, '0');
    const records: LbRecord[] = [
      { type: '11', senderBankgiro: sender, fileDate: toYymmdd(today), product: 'LEVERANTÖRSBETALNINGAR', paymentDate: '', currency: 'SEK' },
      ...payments.map((p, i) => ({ type: '14' as const, payee: p.bankgiro.padStart(10, '0'), reference: p.ocr, amountOre: p.amountOre, paymentDate: toYymmdd(paymentDate), information: `Faktura ${i + 1}` })),
      { type: '29', senderBankgiro: sender, paymentCount: count, totalOre: options.invalid === 'control-sum' ? totalOre + 100 : totalOre },
    ];
    return { bytes: encodeLatin1(writeLb({ records })), fileName: `${messageId}.lb.txt`, paymentDate, totalOre };
  }
  const account = sandbox.accounts.find((a) => a.primary) ?? sandbox.accounts[0];
  if (!account) throw new Error(`sandbox ${sandbox.sandboxId} has no account`);
  const transactions: CreditTransfer[] = payments.map((p, i) => ({
    endToEndId: `${messageId}-${i + 1}`,
    amountOre: p.amountOre,
    currency: 'SEK',
    creditor: { name: 'Trävaruhuset AB' },
    creditorAgent: { clearingSystemCode: 'SESBA', memberId: '9900' },
    creditorAccount: { other: p.bankgiro, schemeProprietary: 'BGNR' },
    unstructuredRemittance: [],
    structuredRemittance: [{ creditorReferenceType: 'SCOR', creditorReference: p.ocr }],
  }));
  const doc = withComputedTotals({
    version: 'pain.001.001.03',
    groupHeader: { messageId, creationDateTime: sandbox.now, numberOfTransactions: '0', initiatingParty: { name: sandbox.company.name, organisationId: { id: sandbox.company.agreementId, schemeCode: 'BANK' } } },
    paymentInformation: [{
      paymentInformationId: `${messageId}-1`,
      paymentMethod: 'TRF',
      categoryPurpose: 'SUPP',
      requestedExecutionDate: paymentDate,
      debtor: { name: sandbox.company.name },
      debtorAccount: { iban: options.invalid === 'debtor-account' ? SOMEONE_ELSES_IBAN : account.iban },
      debtorAgent: { bic: 'SWEDSESS' },
      transactions,
    }],
  });
  const broken = options.invalid === 'control-sum' ? { ...doc, groupHeader: { ...doc.groupHeader, controlSum: (totalOre / 100 + 1).toFixed(2) } } : doc;
  return { bytes: new TextEncoder().encode(writePain001(broken)), fileName: `${messageId}.pain001.xml`, paymentDate, totalOre };
}
