import { formatOre } from '../money.ts';
import { XmlWriter } from '../xml/escape.ts';
import { ACCOUNT_REPORT_ROOTS, familyOf, namespaceOf, type AccountReport, type AccountReportDocument, type CounterpartyAccount, type EntryTransaction, type ReportEntry } from './report-model.ts';

function amount(w: XmlWriter, tag: string, ore: number, currency: string): void {
  w.leaf(tag, formatOre(Math.abs(ore)), ` Ccy="${currency}"`);
}

function writeParty(w: XmlWriter, tag: string, name: string | undefined, v08: boolean): void {
  w.group(tag, name, () => {
    if (v08) w.open('Pty').leaf('Nm', name).close('Pty');
    else w.leaf('Nm', name);
  });
}

function writeCounterpartyAccount(w: XmlWriter, tag: string, account: CounterpartyAccount | undefined): void {
  w.group(tag, account, () => {
    w.open('Id');
    if (account && 'iban' in account) w.leaf('IBAN', account.iban);
    else if (account) {
      w.open('Othr').leaf('Id', account.other).open('SchmeNm');
      if ('code' in account.scheme) w.leaf('Cd', account.scheme.code);
      else w.leaf('Prtry', account.scheme.proprietary);
      w.close('SchmeNm').close('Othr');
    }
    w.close('Id');
  });
}

function writeTransaction(w: XmlWriter, tx: EntryTransaction, v08: boolean): void {
  w.open('TxDtls');
  const hasRefs = tx.messageId ?? tx.accountServicerReference ?? tx.paymentInformationId ?? tx.instructionId ?? tx.endToEndId;
  w.group('Refs', hasRefs, () => {
    w.leaf('MsgId', tx.messageId).leaf('AcctSvcrRef', tx.accountServicerReference).leaf('PmtInfId', tx.paymentInformationId);
    w.leaf('InstrId', tx.instructionId).leaf('EndToEndId', tx.endToEndId);
  });
  if (tx.amountOre !== undefined) {
    if (v08) {
      amount(w, 'Amt', tx.amountOre, tx.currency ?? 'SEK');
      w.leaf('CdtDbtInd', tx.creditDebit);
    }
    // .02 has no Amt on the transaction, and .08 readers too look for the booked amount in
    // AmtDtls/TxAmt: both carry it there, beside the instructed amount.
    w.open('AmtDtls').open('InstdAmt');
    amount(w, 'Amt', tx.amountOre, tx.currency ?? 'SEK');
    w.close('InstdAmt').open('TxAmt');
    amount(w, 'Amt', tx.amountOre, tx.currency ?? 'SEK');
    w.close('TxAmt').close('AmtDtls');
  }
  w.group('RltdPties', tx.debtorName ?? tx.creditorName ?? tx.debtorAccount ?? tx.creditorAccount, () => {
    writeParty(w, 'Dbtr', tx.debtorName, v08);
    writeCounterpartyAccount(w, 'DbtrAcct', tx.debtorAccount);
    writeParty(w, 'Cdtr', tx.creditorName, v08);
    writeCounterpartyAccount(w, 'CdtrAcct', tx.creditorAccount);
  });
  w.group('RmtInf', tx.unstructuredRemittance.length > 0 || tx.creditorReference !== undefined, () => {
    for (const text of tx.unstructuredRemittance) w.leaf('Ustrd', text);
    w.group('Strd', tx.creditorReference, () => {
      w.open('CdtrRefInf');
      w.group('Tp', tx.creditorReferenceType, () => w.open('CdOrPrtry').leaf('Cd', tx.creditorReferenceType).close('CdOrPrtry'));
      w.leaf('Ref', tx.creditorReference).close('CdtrRefInf');
    });
  });
  w.close('TxDtls');
}

function writeEntry(w: XmlWriter, entry: ReportEntry, v08: boolean): void {
  w.open('Ntry').leaf('NtryRef', entry.entryReference);
  amount(w, 'Amt', entry.amountOre, entry.currency);
  w.leaf('CdtDbtInd', entry.creditDebit);
  if (v08) w.open('Sts').leaf('Cd', entry.status).close('Sts');
  else w.leaf('Sts', entry.status);
  w.group('BookgDt', entry.bookingDate, () => w.leaf('Dt', entry.bookingDate));
  w.group('ValDt', entry.valueDate, () => w.leaf('Dt', entry.valueDate));
  w.leaf('AcctSvcrRef', entry.accountServicerReference);
  const code = entry.bankTransactionCode;
  w.open('BkTxCd').open('Domn').leaf('Cd', code.domain).open('Fmly').leaf('Cd', code.family).leaf('SubFmlyCd', code.subFamily);
  w.close('Fmly').close('Domn').close('BkTxCd');
  w.group('NtryDtls', entry.transactions.length, () => {
    for (const tx of entry.transactions) writeTransaction(w, tx, v08);
  });
  w.close('Ntry');
}

function writeReport(w: XmlWriter, tag: string, report: AccountReport, v08: boolean, withBalances: boolean): void {
  w.open(tag).leaf('Id', report.id).leaf('ElctrncSeqNb', report.electronicSequenceNumber).leaf('CreDtTm', report.creationDateTime);
  w.group('FrToDt', report.fromDateTime && report.toDateTime, () => w.leaf('FrDtTm', report.fromDateTime).leaf('ToDtTm', report.toDateTime));
  const account = report.account;
  w.open('Acct').open('Id');
  if (account.iban !== undefined) w.leaf('IBAN', account.iban);
  else w.open('Othr').leaf('Id', account.other ?? '').close('Othr');
  w.close('Id').leaf('Ccy', account.currency);
  w.group('Ownr', account.ownerName, () => w.leaf('Nm', account.ownerName));
  const servicer = account.servicer;
  w.group('Svcr', servicer, () => {
    w.open('FinInstnId').leaf(v08 ? 'BICFI' : 'BIC', servicer?.bic).leaf('Nm', servicer?.name).close('FinInstnId');
  });
  w.close('Acct');
  if (withBalances) {
    for (const balance of report.balances) {
      w.open('Bal').open('Tp').open('CdOrPrtry').leaf('Cd', balance.type).close('CdOrPrtry').close('Tp');
      amount(w, 'Amt', balance.amountOre, balance.currency);
      w.leaf('CdtDbtInd', balance.amountOre < 0 ? 'DBIT' : 'CRDT');
      w.open('Dt').leaf('Dt', balance.date).close('Dt').close('Bal');
    }
  }
  for (const entry of report.entries) writeEntry(w, entry, v08);
  w.close(tag);
}

/** Writes camt.052 / 053 / 054 in .02 or .08 as the document's `message` says. */
export function writeAccountReport(doc: AccountReportDocument): string {
  const family = familyOf(doc.message);
  const { root, report } = ACCOUNT_REPORT_ROOTS[family];
  const v08 = doc.message.endsWith('.08');
  if (family === 'camt.053' && doc.reports.some((r) => r.balances.length === 0)) {
    throw new RangeError('a camt.053 statement needs at least one balance');
  }
  const w = new XmlWriter();
  w.open('Document', ` xmlns="${namespaceOf(doc.message)}"`).open(root);
  w.open('GrpHdr').leaf('MsgId', doc.messageId).leaf('CreDtTm', doc.creationDateTime).close('GrpHdr');
  for (const r of doc.reports) writeReport(w, report, r, v08, family !== 'camt.054');
  w.close(root).close('Document');
  return w.toString();
}
