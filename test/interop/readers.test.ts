/**
 * Interop: every report type sandbank writes, from a realistic flow at each bank, read by
 * readers written elsewhere that install from npm — iso20022.js (pain.002, camt.053 .02),
 * camt-parser (camt.05x, .02 and .08), fast-xml-parser (a general XML reader, for camt.029 and
 * for the pain.002 statuses iso20022.js has no code for) — and compared with the engine's own
 * records: every transaction's amount, reference and status, and the balances. BgMax has no
 * npm reader: the bank's file is checked against the layout of Bankgirot's published sample,
 * field by field, and its values read from the positions that layout gives.
 */
import { parseCamt053 } from 'camt-parser';
import { XMLParser } from 'fast-xml-parser';
import { CashManagementEndOfDayReport, PaymentStatusReport } from 'iso20022.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stockholmDateTime } from '../../formats/stockholm.ts';
import { startSimulator, type Simulator } from '../../simulator/app.ts';
import { bgmaxFields, checkRecord } from '../support/bankgirot-layout.ts';
import { realisticFlow, type Bank, type EngineEntry, type EnginePayment, type FlowResult, type ReportFile } from './flow.ts';

let simulator: Simulator;
const flows = new Map<Bank, FlowResult>();

beforeAll(async () => {
  simulator = await startSimulator({ port: 0 });
  for (const bank of ['swedbank', 'sparbanken'] as const) flows.set(bank, await realisticFlow({ baseUrl: () => simulator.url }, bank));
}, 120_000);
afterAll(async () => simulator.close());

function flow(bank: Bank): FlowResult {
  const f = flows.get(bank);
  if (!f) throw new Error(`no flow for ${bank}`);
  return f;
}

const xml = new XMLParser({ ignoreAttributes: false, parseTagValue: false, isArray: (name) => ['OrgnlPmtInfAndSts', 'TxInfAndSts', 'StsRsnInf', 'Ntry', 'TxDtls', 'Bal', 'CxlDtls', 'OrgnlPmtInfAndCxl'].includes(name) });

/** Decimal text → öre without floating-point drift. */
const ore = (text: string | number): number => Math.round(Number(text) * 100);

/** The instant a Swedish local time stands for (the readers turn timestamps into instants). */
function stockholmInstant(local: string): number {
  const asUtc = Date.parse(`${local}Z`);
  const found = [1, 2].map((h) => asUtc - h * 3_600_000).find((t) => stockholmDateTime(t) === local);
  if (found === undefined) throw new Error(`no instant for ${local}`);
  return found;
}

/** The engine statuses a pain.002 transaction status stands for. */
const ENGINE_STATUS: Record<string, string[]> = {
  PDNG: ['AWAITING_SIGNATURE'], ACTC: ['RECEIVED'], ACCP: ['SCHEDULED'], ACSC: ['EXECUTED'], RJCT: ['REJECTED', 'CANCELLED'], CANC: ['CANCELLED'],
};

function paymentByEndToEnd(f: FlowResult, endToEndId: string): EnginePayment {
  const payment = f.payments.find((p) => p.endToEndId === endToEndId);
  if (!payment) throw new Error(`engine has no payment ${endToEndId}`);
  return payment;
}

/** camt.052 and camt.054 share camt.053's statement structure: hand them to a camt.053 reader under its element names. */
function asStatement(text: string): string {
  return text.replace(/<(\/?)(BkToCstmrAcctRpt|BkToCstmrDbtCdtNtfctn)>/g, '<$1BkToCstmrStmt>').replace(/<(\/?)(Rpt|Ntfctn)>/g, '<$1Stmt>');
}

function engineEntry(f: FlowResult, id: string): EngineEntry {
  const entry = f.entries.find((e) => (e.id ?? e.entryId) === id);
  if (!entry) throw new Error(`engine has no entry ${id}`);
  return entry;
}

const ofType = (f: FlowResult, type: string): ReportFile[] => f.reports.filter((r) => r.type === type);
const camtOfPrimary = (f: FlowResult, type: string): ReportFile[] => ofType(f, type).filter((r) => r.accountId === f.accountId);

/** Compares a camt-parser statement's entries and transactions with the engine's entries. */
function compareEntries(f: FlowResult, statement: Awaited<ReturnType<typeof parseCamt053>>['statements'][number], v08: boolean): number {
  for (const tx of statement.transactions) {
    const entry = engineEntry(f, tx.reference ?? '');
    expect(ore(tx.amount.value), tx.reference).toBe(entry.amountOre);
    expect(tx.amount.currency).toBe('SEK');
    expect(tx.creditDebitIndicator).toBe(entry.creditDebit);
    expect(tx.bookingDate).toBe(entry.bookingDate);
    if (v08) expect(tx.status).toBe('BOOK');
    expect(tx.details).toHaveLength(1);
    const detail = tx.details[0];
    expect(ore(detail?.amountDetails.transactionAmount.value ?? ''), `${tx.reference} TxAmt`).toBe(entry.amountOre);
    expect(detail?.references.endToEndId).toBe(entry.endToEndId ?? 'NOTPROVIDED');
    expect(detail?.references.accountServicerReference).toBe(entry.paymentId ?? entry.incomingId);
    const payment = f.payments.find((p) => p.paymentId === entry.paymentId);
    if (payment?.creditor.kind === 'iban') expect(detail?.relatedParties?.creditorAccount?.iban).toBe(payment.creditor.account);
    if (entry.reference?.type === 'ocr') expect(detail?.remittanceInformation?.structured.creditorReferenceInformation).toEqual({ type: 'SCOR', reference: entry.reference.value });
  }
  return statement.transactions.length;
}

describe.each(['swedbank', 'sparbanken'] as const)('%s: every report of a realistic flow, read by third-party readers', (bank) => {
  const v08 = bank === 'sparbanken';

  it('the flow produced every report type in the bank profile\'s versions', () => {
    const f = flow(bank);
    const messages = new Set([...f.reports.map((r) => r.message), f.intraday.message]);
    expect([...messages].sort()).toEqual(v08
      ? ['BgMax 01', 'camt.029.001.09', 'camt.052.001.08', 'camt.053.001.08', 'camt.054.001.08', 'pain.002.001.10']
      : ['BgMax 01', 'camt.029.001.09', 'camt.052.001.02', 'camt.053.001.02', 'camt.054.001.02', 'pain.002.001.03']);
  });

  it('pain.002: iso20022.js reads the bank as initiating party, the instant and every status it has a code for; fast-xml-parser every amount and status; all match the engine', () => {
    const f = flow(bank);
    const reports = ofType(f, 'pain.002');
    let readByIso = 0;
    let transactions = 0;
    for (const report of reports) {
      const generic = xml.parse(report.text).Document.CstmrPmtStsRpt;
      expect(generic.GrpHdr.InitgPty.Nm).toBe(v08 ? 'Sparbanken' : 'Swedbank');
      expect(generic.OrgnlGrpInfAndSts.OrgnlMsgId).toBe(f.fileMessageId);
      const txs = (generic.OrgnlPmtInfAndSts ?? []).flatMap((p: { TxInfAndSts?: unknown[] }) => p.TxInfAndSts ?? []) as { OrgnlEndToEndId: string; OrgnlInstrId?: string; TxSts: string; StsRsnInf?: { Rsn?: { Cd?: string } }[]; OrgnlTxRef?: { Amt?: { InstdAmt?: { '#text': string } } } }[];
      for (const tx of txs) {
        const payment = paymentByEndToEnd(f, tx.OrgnlEndToEndId);
        const atThatTime = payment.history.filter((h) => h.at === report.createdAt).map((h) => h.status);
        expect(atThatTime, `${tx.OrgnlEndToEndId} ${tx.TxSts} at ${report.createdAt}`).toEqual(expect.arrayContaining([expect.toBeOneOf(ENGINE_STATUS[tx.TxSts] ?? [])]));
        expect(ore(tx.OrgnlTxRef?.Amt?.InstdAmt?.['#text'] ?? '')).toBe(payment.amountOre);
        expect(tx.OrgnlInstrId).toBe(payment.instructionId);
        const code = tx.StsRsnInf?.[0]?.Rsn?.Cd;
        if (tx.TxSts === 'RJCT' || tx.TxSts === 'CANC') expect(payment.reasons.map((r) => r.code)).toContain(code);
        transactions++;
      }
      let read: PaymentStatusReport;
      try {
        read = PaymentStatusReport.fromXML(report.text);
      } catch (error) {
        // iso20022.js 0.0.15 knows only RJCT, ACCP, ACSP, ACSC, ACTC (and misspells PDNG as PNDG).
        expect(String(error)).toMatch(/Unknown status: (PDNG|PART|CANC)/);
        continue;
      }
      readByIso++;
      expect(read.initatingParty).toEqual({ id: undefined, name: v08 ? 'Sparbanken' : 'Swedbank' });
      expect(read.creationDate.getTime()).toBe(stockholmInstant(report.createdAt));
      expect(read.originalMessageId).toBe(f.fileMessageId);
      for (const status of read.statusInformations) {
        if (status.type !== 'transaction') continue;
        const payment = paymentByEndToEnd(f, status.originalEndToEndId);
        expect(payment.history.filter((h) => h.at === report.createdAt).map((h) => h.status)).toEqual(expect.arrayContaining([expect.toBeOneOf(ENGINE_STATUS[status.status] ?? [])]));
      }
    }
    expect(reports.length).toBeGreaterThanOrEqual(3);
    expect(readByIso).toBeGreaterThanOrEqual(1);
    expect(transactions).toBeGreaterThanOrEqual(6);
  });

  it('camt.053: camt-parser (and iso20022.js for .02) read every entry, transaction and balance the engine booked; the balances chain to the booked balance', async () => {
    const f = flow(bank);
    const statements = camtOfPrimary(f, 'camt.053');
    expect(statements.map((r) => r.createdAt.slice(0, 10))).toEqual(['2026-03-12', '2026-03-13', '2026-03-16']);
    let previousClosing: number | undefined;
    let compared = 0;
    for (const report of statements) {
      const doc = await parseCamt053(report.text);
      const [statement] = doc.statements;
      if (!statement) throw new Error('no statement');
      expect(statement.account.iban).toBe(f.sandbox.accounts.find((a) => a.accountId === f.accountId)?.iban);
      compared += compareEntries(f, statement, v08);
      const balance = (type: string) => {
        const b = statement.balances.find((x) => x.type === type);
        if (!b) throw new Error(`no ${type}`);
        return (b.creditDebitIndicator === 'DBIT' ? -1 : 1) * ore(b.amount.value);
      };
      const day = report.createdAt.slice(0, 10);
      const generic = xml.parse(report.text).Document.BkToCstmrStmt.Stmt;
      // A running number per account, whatever the calendar gap (Friday 13th → Monday 16th).
      expect(generic.ElctrncSeqNb).toBe(String(statements.indexOf(report) + 1));
      for (const ntry of generic.Ntry ?? []) {
        const tx = ntry.NtryDtls.TxDtls[0];
        const entry = engineEntry(f, ntry.NtryRef);
        const payment = f.payments.find((p) => p.paymentId === entry.paymentId);
        const incoming = f.incoming.find((p) => p.incomingPaymentId === entry.incomingId);
        if (payment) {
          expect(tx.Refs.InstrId).toBe(payment.instructionId);
          const account = tx.RltdPties.CdtrAcct.Id;
          if (payment.creditor.kind === 'iban') expect(account.IBAN).toBe(payment.creditor.account);
          else expect([account.Othr.Id, account.Othr.SchmeNm.Prtry]).toEqual([payment.creditor.account, 'BGNR']);
        } else if (incoming) {
          expect([tx.RltdPties.DbtrAcct.Id.Othr.Id, tx.RltdPties.DbtrAcct.Id.Othr.SchmeNm.Prtry]).toEqual([incoming.payerBankgiro, 'BGNR']);
        } else throw new Error(`entry ${ntry.NtryRef} is neither a payment nor an incoming payment`);
      }
      const net = f.entries.filter((e) => e.bookingDate === day).reduce((sum, e) => sum + (e.creditDebit === 'CRDT' ? e.amountOre : -e.amountOre), 0);
      expect(balance('CLBD') - balance('OPBD'), day).toBe(net);
      if (previousClosing !== undefined) expect(balance('OPBD')).toBe(previousClosing);
      previousClosing = balance('CLBD');
      if (!v08) {
        // iso20022.js reads .02 statements: the servicing bank, the instant, amounts, refs.
        const iso = CashManagementEndOfDayReport.fromXML(report.text);
        const [isoStatement] = iso.statements;
        expect(isoStatement?.agent).toEqual({ bic: 'SWEDSESS' });
        expect(String(isoStatement?.electronicSequenceNumber)).toBe(String(statements.indexOf(report) + 1));
        expect(iso.creationDate.getTime()).toBe(stockholmInstant(report.createdAt));
        expect(isoStatement?.balances.find((b) => b.type === 'CLBD')?.amount).toBeCloseTo(Math.abs(balance('CLBD')), 6);
        for (const entry of iso.entries) {
          const engine = engineEntry(f, entry.referenceId ?? '');
          expect(Math.round(entry.amount)).toBe(engine.amountOre);
          const [tx] = entry.transactions;
          expect(tx?.accountServicerReferenceId).toBe(engine.paymentId ?? engine.incomingId);
          const payment = f.payments.find((p) => p.paymentId === engine.paymentId);
          const incoming = f.incoming.find((p) => p.incomingPaymentId === engine.incomingId);
          if (payment) expect(tx?.creditor?.account).toEqual(payment.creditor.kind === 'iban' ? { iban: payment.creditor.account } : { accountNumber: payment.creditor.account });
          if (incoming) expect(tx?.debtor?.account).toEqual({ accountNumber: incoming.payerBankgiro });
          if (engine.reference?.type === 'message') expect(tx?.remittanceInformation).toBe(engine.reference.value);
        }
      }
    }
    expect(previousClosing).toBe(f.bookedOre);
    expect(compared).toBe(f.entries.length);
  });

  it('camt.054: camt-parser (and iso20022.js for .02) read every notified transaction with its amount (AmtDtls/TxAmt) and references', async () => {
    const f = flow(bank);
    const notifications = camtOfPrimary(f, 'camt.054');
    expect(notifications.length).toBeGreaterThanOrEqual(3);
    let compared = 0;
    for (const report of notifications) {
      expect(report.message).toBe(v08 ? 'camt.054.001.08' : 'camt.054.001.02');
      const doc = await parseCamt053(asStatement(report.text));
      for (const statement of doc.statements) compared += compareEntries(f, statement, v08);
      if (!v08) {
        const iso = CashManagementEndOfDayReport.fromXML(asStatement(report.text));
        expect(iso.statements[0]?.agent).toEqual({ bic: 'SWEDSESS' });
        for (const entry of iso.entries) expect(Math.round(entry.amount)).toBe(engineEntry(f, entry.referenceId ?? '').amountOre);
      }
    }
    // Every booked entry was notified once.
    expect(compared).toBe(f.entries.length);
  });

  it('camt.052: the intraday report is read with today\'s entries and interim balances equal to the booked balance', async () => {
    const f = flow(bank);
    expect(f.intraday.message).toBe(v08 ? 'camt.052.001.08' : 'camt.052.001.02');
    const doc = await parseCamt053(asStatement(f.intraday.text));
    const [statement] = doc.statements;
    if (!statement) throw new Error('no report');
    expect(compareEntries(f, statement, v08)).toBe(f.entries.filter((e) => e.bookingDate === '2026-03-16').length);
    const itbd = statement.balances.find((b) => b.type === 'ITBD');
    expect(ore(itbd?.amount.value ?? '')).toBe(f.bookedOre);
    expect(doc.header.creationDateTime).toBe(v08 ? '2026-03-16T12:00:00+01:00' : '2026-03-16T12:00:00+01:00');
  });

  it('camt.029: fast-xml-parser reads the cancellation answer: the cancelled payment, its amount and CNCL', () => {
    const f = flow(bank);
    const [report] = ofType(f, 'camt.029');
    if (!report) throw new Error('no camt.029');
    const doc = xml.parse(report.text).Document.RsltnOfInvstgtn;
    expect(doc.Sts.Conf).toBe('CNCL');
    expect(doc.Assgnmt.Assgnr.Agt.FinInstnId.BICFI).toBe('SWEDSESS');
    expect(Date.parse(doc.Assgnmt.CreDtTm)).toBe(stockholmInstant(report.createdAt));
    const tx = doc.CxlDtls[0].OrgnlPmtInfAndSts[0].TxInfAndSts[0];
    const payment = paymentByEndToEnd(f, tx.OrgnlEndToEndId);
    expect(payment.status).toBe('CANCELLED');
    expect(tx.TxCxlSts).toBe('ACCR');
    expect(ore(tx.OrgnlInstdAmt['#text'])).toBe(payment.amountOre);
    expect(tx.OrgnlInstrId).toBe(payment.instructionId);
  });

  it('BgMax: every record follows the layout of Bankgirot\'s sample field by field (account zero-filled, OCR right-aligned), no CRLF after TK70, values as the engine booked them', () => {
    const f = flow(bank);
    const [report] = ofType(f, 'bgmax');
    if (!report) throw new Error('no BgMax');
    expect(report.text.endsWith('\r\n')).toBe(false);
    const records = report.text.split('\r\n');
    const problems = records.flatMap((record, i) => [
      ...(record.length === 80 ? [] : [`line ${i + 1}: ${record.length} characters`]),
      ...(bgmaxFields(record).length === 0 ? [`line ${i + 1}: unknown record type`] : []),
      ...checkRecord(record, bgmaxFields(record)).flatMap((c) => (c.problem ? [`line ${i + 1} TK${record.slice(0, 2)} ${c.field.name}: ${c.problem}`] : [])),
    ]);
    expect(problems).toEqual([]);
    const field = (record: string, name: string) => {
      const x = bgmaxFields(record).find((y) => y.name === name);
      return x ? record.slice(x.from - 1, x.to) : '';
    };
    const payments = records.filter((r) => r.startsWith('20'));
    expect(payments.map((r) => [Number(field(r, 'amount')), field(r, 'reference').trim(), field(r, 'sender bankgiro').replace(/^0+/, '')])).toEqual(
      f.incoming.map((p) => [p.amountOre, p.reference, p.payerBankgiro]),
    );
    const deposit = records.find((r) => r.startsWith('15')) ?? '';
    const account = f.sandbox.accounts.find((a) => a.accountId === f.accountId) as { clearing?: string; accountNumber?: string } | undefined;
    expect(field(deposit, 'payee bank account').replace(/^0+/, '')).toBe(`${account?.clearing ?? ''}${account?.accountNumber ?? ''}`.replace(/^0+/, ''));
    expect(Number(field(deposit, 'deposit amount'))).toBe(f.incoming.reduce((sum, p) => sum + p.amountOre, 0));
  });
});
