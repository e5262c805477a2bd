/** Builds real pain.001 files addressed to a sandbox's own debtor account, for tests and benchmarks. */
import { generateOcr } from '../../formats/identifiers/ocr.ts';
import { createRandom } from '../../formats/random.ts';
import { sampleTransaction, withComputedTotals, writePain001, type CreditTransfer, type Pain001Document, type Pain001Version } from '../../formats/pain001/index.ts';
/** What a payment file needs to know about the sandbox it is sent to. */
export interface FileSender {
  id: string;
  now: string;
  company: { name: string; agreementId: string };
  accounts: { iban: string }[];
}

export interface SimplePayment {
  amountOre: number;
  date: string;
  endToEndId?: string;
  /** bankgiro number (default 5050-1055) */
  bankgiro?: string;
  ocr?: string;
}

export function pain001For(core: FileSender, payments: SimplePayment[], options: { messageId?: string; version?: Pain001Version; accountIndex?: number } = {}): string {
  const account = core.accounts[options.accountIndex ?? 0];
  if (!account) throw new Error('sandbox has no such account');
  const byDate = new Map<string, CreditTransfer[]>();
  payments.forEach((p, i) => {
    const tx: CreditTransfer = {
      endToEndId: p.endToEndId ?? `E2E-${i + 1}`,
      amountOre: p.amountOre,
      currency: 'SEK',
      creditor: { name: 'Trävaruhuset AB' },
      creditorAgent: { clearingSystemCode: 'SESBA', memberId: '9900' },
      creditorAccount: { other: p.bankgiro ?? '50501055', schemeProprietary: 'BGNR' },
      unstructuredRemittance: [],
      structuredRemittance: [{ creditorReferenceType: 'SCOR', creditorReference: p.ocr ?? generateOcr(String(1000 + i)) }],
    };
    byDate.set(p.date, [...(byDate.get(p.date) ?? []), tx]);
  });
  const messageId = options.messageId ?? `MSG-${core.id.slice(4, 10)}-${payments.length}-${payments[0]?.amountOre ?? 0}`;
  const doc: Pain001Document = {
    version: options.version ?? 'pain.001.001.03',
    groupHeader: { messageId, creationDateTime: core.now, numberOfTransactions: '0', initiatingParty: { name: core.company.name, organisationId: { id: core.company.agreementId, schemeCode: 'BANK' } } },
    paymentInformation: [...byDate.entries()].map(([date, transactions], i) => ({
      paymentInformationId: `${messageId}-${i + 1}`,
      paymentMethod: 'TRF',
      requestedExecutionDate: date,
      debtor: { name: core.company.name },
      debtorAccount: { iban: account.iban },
      debtorAgent: { bic: 'SWEDSESS' },
      transactions,
    })),
  };
  return writePain001(withComputedTotals(doc));
}

/** A large file of random valid payments from the sandbox's account. */
export function bulkPain001For(core: FileSender, count: number, date: string, seed: number, messageId = `BULK-${seed}-${count}`): string {
  const random = createRandom(seed);
  const transactions: CreditTransfer[] = [];
  for (let i = 0; i < count; i++) transactions.push({ ...sampleTransaction(random, i + 1), amountOre: 100 + (i % 500) });
  const account = core.accounts[0];
  if (!account) throw new Error('no account');
  return writePain001(withComputedTotals({
    version: 'pain.001.001.03',
    groupHeader: { messageId, creationDateTime: core.now, numberOfTransactions: '0', initiatingParty: { name: core.company.name } },
    paymentInformation: [{ paymentInformationId: `${messageId}-1`, paymentMethod: 'TRF', requestedExecutionDate: date, debtor: { name: core.company.name }, debtorAccount: { iban: account.iban }, debtorAgent: { bic: 'SWEDSESS' }, transactions }],
  }));
}
