/**
 * Builds the bank's outgoing files from engine state with the formats/ writers, so every
 * report a client downloads is a real, schema-valid document.
 */
import { writeBgMax, withBgMaxTotals, type BgMaxPayment } from '../../formats/bankgirot/bgmax.ts';
import { writeAccountReport } from '../../formats/camt/report-write.ts';
import type { AccountReportMessage, Balance, CounterpartyAccount, EntryTransaction, ReportEntry } from '../../formats/camt/report-model.ts';
import { writeResolution } from '../../formats/camt/cancellation.ts';
import { formatOre } from '../../formats/money.ts';
import { withStockholmOffset } from '../../formats/stockholm.ts';
import { writePain002 } from '../../formats/pain002/write.ts';
import type { Pain002Document, TransactionStatusReport } from '../../formats/pain002/model.ts';
import type { BankProfile } from '../banks/profile.ts';
import type { Entry, IncomingPayment, LocalDateTime, Payment, PaymentFile, SandboxAccount, SandboxCore, StatusReason } from './model.ts';

export interface StatusLine {
  payment: Payment;
  status: string;
  reasons: StatusReason[];
}

/** How the bank names itself in its reports (pain.002 InitgPty, camt Acct/Svcr). */
/** The pain.002/camt.029 OrgnlMsgNmId: the ISO name, LB for a Bankgirot file, UNKNOWN for what was neither. */
function messageNameOf(format: PaymentFile['format']): string {
  return format === 'lb' ? 'LB' : format === 'unknown' ? 'UNKNOWN' : format;
}

function bankParty(profile: BankProfile): { name: string; bic: string } {
  return { name: profile.displayName, bic: profile.bic };
}

export function pain002For(
  profile: BankProfile,
  messageId: string,
  now: LocalDateTime,
  file: PaymentFile,
  groupStatus: string | undefined,
  groupReasons: StatusReason[],
  lines: StatusLine[],
): string {
  const byPmtInf = new Map<string, TransactionStatusReport[]>();
  for (const line of lines) {
    const list = byPmtInf.get(line.payment.paymentInformationId) ?? [];
    const tx: TransactionStatusReport = {
      originalEndToEndId: line.payment.endToEndId,
      status: line.status,
      reasons: line.reasons.map((r) => ({ code: r.code, additionalInfo: [r.message] })),
      originalAmountOre: line.payment.amountOre,
      originalCurrency: line.payment.currency,
      accountServicerReference: line.payment.id,
    };
    if (line.payment.instructionId !== undefined) tx.originalInstructionId = line.payment.instructionId;
    if (line.payment.requestedExecutionDate) tx.originalRequestedExecutionDate = line.payment.requestedExecutionDate;
    list.push(tx);
    byPmtInf.set(line.payment.paymentInformationId, list);
  }
  const doc: Pain002Document = {
    version: profile.pain002Version,
    messageId,
    creationDateTime: withStockholmOffset(now),
    initiatingParty: bankParty(profile),
    debtorAgentBic: profile.bic,
    original: {
      messageId: file.messageId,
      messageNameId: messageNameOf(file.format),
      numberOfTransactions: String(file.numberOfTransactions),
      controlSum: formatOre(file.controlSumOre),
      reasons: groupReasons.map((r) => ({ code: r.code, additionalInfo: [r.message] })),
      countsPerStatus: [],
    },
    paymentInformation: [...byPmtInf.entries()].map(([id, transactions]) => ({ originalPaymentInformationId: id, reasons: [], transactions })),
  };
  if (groupStatus !== undefined) doc.original.groupStatus = groupStatus;
  return writePain002(doc);
}

/** A Swedish bank's way of naming an account in camt: IBAN, or bankgiro / plusgiro / BBAN with its scheme. */
function counterpartyAccount(account: NonNullable<Entry['counterpartyAccount']>): CounterpartyAccount {
  switch (account.kind) {
    case 'iban': return { iban: account.account };
    case 'bankgiro': return { other: account.account.replace(/\D/g, ''), scheme: { proprietary: 'BGNR' } };
    case 'plusgiro': return { other: account.account.replace(/\D/g, ''), scheme: { proprietary: 'PGNR' } };
    case 'account': return { other: account.account.replace(/\D/g, ''), scheme: { code: 'BBAN' } };
  }
}

function entryTransaction(entry: Entry): EntryTransaction {
  const tx: EntryTransaction = { unstructuredRemittance: [], amountOre: entry.amountOre, currency: 'SEK', creditDebit: entry.creditDebit };
  if (entry.messageId !== undefined) tx.messageId = entry.messageId;
  if (entry.paymentId !== undefined || entry.incomingId !== undefined) tx.accountServicerReference = entry.paymentId ?? entry.incomingId;
  if (entry.paymentInformationId !== undefined) tx.paymentInformationId = entry.paymentInformationId;
  if (entry.instructionId !== undefined) tx.instructionId = entry.instructionId;
  tx.endToEndId = entry.endToEndId ?? 'NOTPROVIDED';
  if (entry.counterpartyName !== undefined) {
    if (entry.creditDebit === 'DBIT') tx.creditorName = entry.counterpartyName;
    else tx.debtorName = entry.counterpartyName;
  }
  if (entry.counterpartyAccount !== undefined) {
    if (entry.creditDebit === 'DBIT') tx.creditorAccount = counterpartyAccount(entry.counterpartyAccount);
    else tx.debtorAccount = counterpartyAccount(entry.counterpartyAccount);
  }
  if (entry.reference?.type === 'ocr') {
    tx.creditorReferenceType = 'SCOR';
    tx.creditorReference = entry.reference.value;
  } else if (entry.reference) tx.unstructuredRemittance = [entry.reference.value.slice(0, 140)];
  return tx;
}

function reportEntry(entry: Entry): ReportEntry {
  return {
    entryReference: entry.id,
    amountOre: entry.amountOre,
    currency: 'SEK',
    creditDebit: entry.creditDebit,
    status: 'BOOK',
    bookingDate: entry.bookingDate,
    valueDate: entry.valueDate,
    accountServicerReference: entry.id,
    bankTransactionCode: entry.bankTransactionCode,
    transactions: [entryTransaction(entry)],
  };
}

function camtMessage(profile: BankProfile, family: 'camt.052' | 'camt.053' | 'camt.054'): AccountReportMessage {
  return `${family}.001.${profile.camtVersion}`;
}

export function camt054For(profile: BankProfile, core: SandboxCore, account: SandboxAccount, messageId: string, now: LocalDateTime, entries: Entry[]): string {
  return writeAccountReport({
    message: camtMessage(profile, 'camt.054'),
    messageId,
    creationDateTime: withStockholmOffset(now),
    reports: [{ id: messageId, creationDateTime: withStockholmOffset(now), account: { iban: account.iban, currency: account.currency, ownerName: core.company.name, servicer: bankParty(profile) }, balances: [], entries: entries.map(reportEntry) }],
  });
}

/** Statement (camt.053) or intraday report (camt.052) with opening/closing booked and available balances. */
export function statementFor(
  profile: BankProfile,
  family: 'camt.052' | 'camt.053',
  core: SandboxCore,
  account: SandboxAccount,
  messageId: string,
  now: LocalDateTime,
  date: string,
  openingOre: number,
  entries: Entry[],
  reservedOre: number,
  /** ElctrncSeqNb: the account's running statement number (camt.053); none on an intraday report. */
  sequence?: number,
): string {
  const closing = entries.reduce((sum, e) => sum + (e.creditDebit === 'CRDT' ? e.amountOre : -e.amountOre), openingOre);
  const balances: Balance[] = [
    { type: 'OPBD', amountOre: openingOre, currency: account.currency, date },
    { type: family === 'camt.053' ? 'CLBD' : 'ITBD', amountOre: closing, currency: account.currency, date },
    { type: family === 'camt.053' ? 'CLAV' : 'ITAV', amountOre: closing - reservedOre, currency: account.currency, date },
  ];
  return writeAccountReport({
    message: camtMessage(profile, family),
    messageId,
    creationDateTime: withStockholmOffset(now),
    reports: [{
      id: messageId,
      ...(sequence === undefined ? {} : { electronicSequenceNumber: String(sequence) }),
      creationDateTime: withStockholmOffset(now),
      fromDateTime: withStockholmOffset(`${date}T00:00:00`),
      toDateTime: withStockholmOffset(family === 'camt.053' ? `${date}T23:59:59` : now),
      account: { iban: account.iban, currency: account.currency, ownerName: core.company.name, servicer: bankParty(profile) },
      balances,
      entries: entries.map(reportEntry),
    }],
  });
}

export function camt029For(
  profile: BankProfile,
  core: SandboxCore,
  messageId: string,
  now: LocalDateTime,
  file: PaymentFile,
  payments: { payment: Payment; cancelled: boolean; reason?: StatusReason }[],
  caseId: string | undefined,
): string {
  const allCancelled = payments.every((p) => p.cancelled);
  const doc = {
    assignmentId: messageId,
    assignerBic: profile.bic,
    assigneeName: core.company.name,
    creationDateTime: withStockholmOffset(now),
    confirmation: allCancelled ? 'CNCL' : 'RJCR',
    paymentInformation: [...new Set(payments.map((p) => p.payment.paymentInformationId))].map((pmtInfId) => ({
      originalPaymentInformationId: pmtInfId,
      originalMessageId: file.messageId,
      originalMessageNameId: messageNameOf(file.format),
      transactions: payments.filter((p) => p.payment.paymentInformationId === pmtInfId).map((p) => {
        const tx: Parameters<typeof writeResolution>[0]['paymentInformation'][number]['transactions'][number] = {
          originalEndToEndId: p.payment.endToEndId,
          status: p.cancelled ? 'ACCR' : 'RJCR',
          originalAmountOre: p.payment.amountOre,
          originalCurrency: p.payment.currency,
        };
        if (p.payment.instructionId !== undefined) tx.originalInstructionId = p.payment.instructionId;
        if (p.payment.requestedExecutionDate) tx.originalRequestedExecutionDate = p.payment.requestedExecutionDate;
        if (p.reason) {
          tx.reasonCode = p.reason.code;
          tx.additionalInfo = [p.reason.message];
        }
        return tx;
      }),
    })),
  };
  return writeResolution(caseId === undefined ? doc : { ...doc, resolvedCaseId: caseId });
}

/** Bankgirot's reference code: 2 an OCR number, 4 one other reference, 1 none. */
function referenceCodeOf(reference: string): string {
  return /^\d{2,25}$/.test(reference) ? '2' : reference ? '4' : '1';
}

/** One incoming payment as its BgMax records: TK20 or TK21, then TK22/TK23, TK25, TK26–TK29. */
function bgmaxPaymentOf(p: IncomingPayment, bgcSerialNumber: string): BgMaxPayment {
  const fields = (reference: string, amountOre: number) => ({
    senderBankgiro: p.payerBankgiro, reference, referenceAlignment: referenceCodeOf(reference) === '2' ? 'right' as const : 'left' as const,
    amountOre, referenceCode: referenceCodeOf(reference), paymentChannel: '1', bgcSerialNumber, imageFlag: '0',
  });
  const address = p.payerAddress;
  return {
    ...fields(p.reference, p.amountOre),
    deduction: p.deductionCode !== undefined,
    ...(p.deductionCode === undefined ? {} : { deductionCode: p.deductionCode }),
    extraReferences: (p.extraReferences ?? []).map((e) => ({ ...fields(e.reference, e.amountOre), negative: e.negative })),
    information: p.information ?? [],
    name: p.payerName,
    ...(p.payerExtraName === undefined ? {} : { extraName: p.payerExtraName }),
    ...(address?.street !== undefined || address?.postCode !== undefined ? { address: address.street ?? '', postCode: address.postCode ?? '' } : {}),
    ...(address?.town !== undefined || address?.country !== undefined || address?.countryCode !== undefined ? { town: address.town ?? '', country: address.country ?? '', countryCode: address.countryCode ?? '' } : {}),
    ...(p.payerOrganisationNumber === undefined ? {} : { organisationNumber: p.payerOrganisationNumber }),
  };
}

export function bgmaxFor(core: SandboxCore, account: SandboxAccount, now: LocalDateTime, date: string, serial: number, incoming: IncomingPayment[]): string {
  const payments: BgMaxPayment[] = incoming.map((p, i) => bgmaxPaymentOf(p, String(serial * 1000 + i + 1)));
  return writeBgMax(withBgMaxTotals({
    version: '01',
    timestamp: `${now.replace(/[-T:]/g, '')}000000`,
    testMarker: 'T',
    sections: [{
      payeeBankgiro: core.company.bankgiro,
      payeePlusgiro: '',
      currency: 'SEK',
      payments,
      deposit: { payeeBankAccount: `${account.clearing}${account.accountNumber}`, paymentDate: date, depositSerialNumber: String(serial), amountOre: 0, currency: 'SEK', paymentCount: 0, depositType: '' },
    }],
    trailer: { paymentCount: 0, deductionCount: 0, extraReferenceCount: 0, depositCount: 0 },
  }));
}
