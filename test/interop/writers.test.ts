/**
 * Files other software writes: pain.001 produced by third-party npm generators (`sepa`,
 * `sepa-xml`, iso20022.js) with Swedish data, uploaded to both banks over HTTP. Accepted where
 * a Swedish bank accepts them, rejected with the reason it would give where it would not.
 */
import SEPA from 'sepa';
import SepaXML from 'sepa-xml';
import { SWIFTCreditPaymentInitiation } from 'iso20022.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withComputedTotals, writePain001 } from '../../formats/pain001/index.ts';
import { startSimulator, type Simulator } from '../../simulator/app.ts';
import { call, createSandbox } from '../simulator/api-suite.ts';

let simulator: Simulator;
beforeAll(async () => {
  simulator = await startSimulator({ port: 0 });
});
afterAll(async () => simulator.close());
const target = { baseUrl: () => simulator.url };

type Sandbox = Awaited<ReturnType<typeof createSandbox>>;
const PAYEE_IBAN = 'SE4550000000058398257466';
const PAYEE_BIC = 'ESSESESS';

function primaryIban(s: Sandbox): string {
  return (s.accounts.find((a) => a.primary) ?? s.accounts[0])?.iban ?? '';
}

let sepaFiles = 0;

/** `sepa` (kewisch/sepa.js): a SEK transfer to a Swedish IBAN. */
function sepaJs(s: Sandbox, options: { format?: 'pain.001.001.03' | 'pain.001.001.09'; endToEndIds?: string[]; ocr?: string } = {}): string {
  const doc = new SEPA.Document(options.format ?? 'pain.001.001.03');
  // sepa builds each InstrId as MsgId.n.m: a short MsgId keeps it within Max35Text.
  doc.grpHdr.id = `SEPAJS-${++sepaFiles}`;
  doc.grpHdr.created = new Date(Date.UTC(2026, 2, 12, 7, 0, 0));
  doc.grpHdr.initiatorName = s.company.name;
  const info = doc.createPaymentInfo();
  info.requestedExecutionDate = new Date(2026, 2, 16);
  info.debtorIBAN = primaryIban(s);
  info.debtorBIC = 'SWEDSESS';
  info.debtorName = s.company.name;
  doc.addPaymentInfo(info);
  (options.endToEndIds ?? ['INV-1001']).forEach((endToEndId, i) => {
    const tx = info.createTransaction();
    tx.creditorName = 'Trävaruhuset AB';
    tx.creditorIBAN = PAYEE_IBAN;
    tx.creditorBIC = PAYEE_BIC;
    tx.amount = 1250.5 + i;
    tx.currency = 'SEK';
    tx.end2endId = endToEndId;
    if (options.ocr) tx.structuredRemittanceInfo = { typeCode: 'SCOR', issuer: '', reference: options.ocr };
    else tx.remittanceInfo = `Faktura ${1001 + i}`;
    info.addTransaction(tx);
  });
  return doc.toString();
}

/** `sepa-xml` (mgmco): its pain.001.001.03 template writes every amount in EUR. */
function sepaXml(s: Sandbox): Promise<string> {
  const file = new SepaXML('pain.001.001.03');
  file.setHeaderInfo({ messageId: 'SEPAXML-1', initiator: s.company.name });
  file.setPaymentInfo({ id: 'SEPAXML-1-1', method: 'TRF', senderName: s.company.name, senderIBAN: primaryIban(s), bic: 'SWEDSESS', when: new Date(2026, 2, 16) });
  file.addTransaction({ id: 'INV-2001', amount: 499.5, name: 'Åkeri Östergren', iban: PAYEE_IBAN, bic: PAYEE_BIC, description: 'Faktura 2001' });
  return new Promise((resolve, reject) => file.compile((error: unknown, out: string) => (error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(out))));
}

/** iso20022.js: a SWIFT credit transfer in SEK (amounts in öre); it writes no GrpHdr/CtrlSum. */
function iso20022js(s: Sandbox): string {
  return new SWIFTCreditPaymentInitiation({
    messageId: 'ISOJS-1',
    creationDate: new Date(Date.UTC(2026, 2, 12, 7, 0, 0)),
    initiatingParty: { name: s.company.name, id: s.company.agreementId, account: { iban: primaryIban(s) }, agent: { bic: 'SWEDSESS' } },
    paymentInstructions: [{ type: 'swift', direction: 'credit', id: 'INV-3001', amount: 1_250_000, currency: 'SEK', creditor: { name: 'Trävaruhuset AB', account: { iban: PAYEE_IBAN }, agent: { bic: PAYEE_BIC }, address: { townName: 'Göteborg', country: 'SE' } }, remittanceInformation: 'Faktura 3001' }],
  }).serialize();
}

async function upload(bank: 'swedbank' | 'sparbanken', s: Sandbox, body: string) {
  const res = await call(target, 'POST', `/v1/${bank}/payment-files`, { key: s.apiKey, body, headers: { 'content-type': 'application/xml' } });
  expect(res.status, res.text).toBe(202);
  const file = await call(target, 'GET', `/v1/${bank}/payment-files/${res.json.fileId}`, { key: s.apiKey });
  return file.json as { status: string; reasons: { code: string }[]; payments: { status: string; reasons: { code: string }[]; amountOre: number; currency: string; creditor: { kind: string; account: string } }[] };
}

describe.each(['swedbank', 'sparbanken'] as const)('%s: pain.001 from third-party generators', (bank) => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await createSandbox(target, bank);
  });

  it.each(['pain.001.001.03', 'pain.001.001.09'] as const)('sepa %s, SEK to a Swedish IBAN: accepted, awaiting signature, amount and payee as written', async (format) => {
    const file = await upload(bank, sandbox, sepaJs(sandbox, { format }));
    expect(file.status).toBe('AWAITING_SIGNATURE');
    expect(file.payments.map((p) => [p.status, p.amountOre, p.currency, p.creditor.kind, p.creditor.account])).toEqual([['AWAITING_SIGNATURE', 125_050, 'SEK', 'iban', PAYEE_IBAN]]);
  });

  it('sepa, two payments without an end-to-end id (NOTPROVIDED): accepted, not AM05', async () => {
    const file = await upload(bank, sandbox, sepaJs(sandbox, { endToEndIds: ['NOTPROVIDED', 'NOTPROVIDED'] }));
    expect(file.reasons).toEqual([]);
    expect(file.payments.map((p) => p.status)).toEqual(['AWAITING_SIGNATURE', 'AWAITING_SIGNATURE']);
  });

  it('sepa with a structured (OCR) reference: its XML misspells CdOrPrtry, so the bank rejects the file FF01 as the XSD does', async () => {
    const xml = sepaJs(sandbox, { ocr: '1234574' });
    expect(xml).toContain('<CdorPrtry>');
    const file = await upload(bank, sandbox, xml);
    expect(file.status).toBe('REJECTED');
    expect(new Set(file.reasons.map((r) => r.code))).toEqual(new Set(['FF01']));
  });

  it(`sepa-xml (amounts always EUR): ${bank === 'swedbank' ? 'accepted (Swedbank takes EUR)' : 'rejected AM11 (Sparbanken takes SEK only)'}`, async () => {
    const file = await upload(bank, sandbox, await sepaXml(sandbox));
    if (bank === 'swedbank') {
      expect(file.payments.map((p) => [p.status, p.amountOre, p.currency])).toEqual([['AWAITING_SIGNATURE', 49_950, 'EUR']]);
    } else {
      expect(file.status).toBe('REJECTED');
      expect(file.payments.map((p) => [p.status, p.reasons.map((r) => r.code)])).toEqual([['REJECTED', ['AM11']]]);
    }
  });

  it('iso20022.js (no GrpHdr/CtrlSum, which the bank requires): rejected FF01', async () => {
    const xml = iso20022js(sandbox);
    expect(xml).not.toContain('<CtrlSum>');
    const file = await upload(bank, sandbox, xml);
    expect(file.status).toBe('REJECTED');
    expect(file.reasons.map((r) => r.code)).toEqual(['FF01']);
  });

  it('an ERP\'s CdtNoteAmt 0.00 (invoice without credit note) in structured remittance: accepted, not AM01', async () => {
    const account = sandbox.accounts.find((a) => a.primary) ?? sandbox.accounts[0];
    const xml = writePain001(withComputedTotals({
      version: 'pain.001.001.03',
      groupHeader: { messageId: 'ERP-CDTNOTE-0', creationDateTime: '2026-03-12T08:00:00', numberOfTransactions: '0', initiatingParty: { name: sandbox.company.name, organisationId: { id: sandbox.company.agreementId, schemeCode: 'BANK' } } },
      paymentInformation: [{
        paymentInformationId: 'ERP-CDTNOTE-0-1', paymentMethod: 'TRF', requestedExecutionDate: '2026-03-16', debtor: { name: sandbox.company.name }, debtorAccount: { iban: account?.iban ?? '' }, debtorAgent: { bic: 'SWEDSESS' },
        transactions: [{ endToEndId: 'INV-4001', amountOre: 100_000, currency: 'SEK', creditor: { name: 'Trävaruhuset AB' }, creditorAgent: { clearingSystemCode: 'SESBA', memberId: '9900' }, creditorAccount: { other: '50501055', schemeProprietary: 'BGNR' }, unstructuredRemittance: [], structuredRemittance: [{ creditNoteAmountOre: 0, creditNoteCurrency: 'SEK', creditorReferenceType: 'SCOR', creditorReference: '1234574' }] }],
      }],
    }));
    expect(xml).toContain('<CdtNoteAmt Ccy="SEK">0.00</CdtNoteAmt>');
    const file = await upload(bank, sandbox, xml);
    expect(file.payments.map((p) => [p.status, p.reasons])).toEqual([['AWAITING_SIGNATURE', []]]);
  });
});
