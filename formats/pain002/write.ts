import { formatOre } from '../money.ts';
import { XmlWriter } from '../xml/escape.ts';
import { PAIN002_NAMESPACES, type Pain002Document, type StatusReason, type TransactionStatusReport } from './model.ts';

function writeReasons(w: XmlWriter, reasons: readonly StatusReason[]): void {
  for (const reason of reasons) {
    w.open('StsRsnInf');
    w.group('Rsn', reason.code ?? reason.proprietary, () => {
      if (reason.code !== undefined) w.leaf('Cd', reason.code);
      else w.leaf('Prtry', reason.proprietary);
    });
    // Max105Text: longer explanations are cut rather than making the report invalid.
    for (const info of reason.additionalInfo ?? []) w.leaf('AddtlInf', [...info].slice(0, 105).join(''));
    w.close('StsRsnInf');
  }
}

function writeTransaction(w: XmlWriter, tx: TransactionStatusReport, version: Pain002Document['version']): void {
  w.open('TxInfAndSts');
  w.leaf('StsId', tx.statusId).leaf('OrgnlInstrId', tx.originalInstructionId).leaf('OrgnlEndToEndId', tx.originalEndToEndId);
  w.leaf('TxSts', tx.status);
  writeReasons(w, tx.reasons);
  w.leaf('AccptncDtTm', tx.acceptanceDateTime).leaf('AcctSvcrRef', tx.accountServicerReference);
  w.group('OrgnlTxRef', tx.originalAmountOre !== undefined || tx.originalRequestedExecutionDate !== undefined, () => {
    w.group('Amt', tx.originalAmountOre !== undefined, () =>
      w.leaf('InstdAmt', formatOre(tx.originalAmountOre ?? 0), ` Ccy="${tx.originalCurrency ?? 'SEK'}"`),
    );
    if (version === 'pain.002.001.03') w.leaf('ReqdExctnDt', tx.originalRequestedExecutionDate);
    else w.group('ReqdExctnDt', tx.originalRequestedExecutionDate, () => w.leaf('Dt', tx.originalRequestedExecutionDate));
  });
  w.close('TxInfAndSts');
}

export function writePain002(doc: Pain002Document): string {
  const w = new XmlWriter();
  w.open('Document', ` xmlns="${PAIN002_NAMESPACES[doc.version]}"`).open('CstmrPmtStsRpt');
  w.open('GrpHdr').leaf('MsgId', doc.messageId).leaf('CreDtTm', doc.creationDateTime);
  const party = doc.initiatingParty;
  w.group('InitgPty', party, () => {
    w.leaf('Nm', party?.name);
    w.group('Id', party?.bic, () =>
      w.open('OrgId').leaf(doc.version === 'pain.002.001.03' ? 'BICOrBEI' : 'AnyBIC', party?.bic).close('OrgId'),
    );
  });
  w.group('DbtrAgt', doc.debtorAgentBic, () =>
    w.open('FinInstnId').leaf(doc.version === 'pain.002.001.03' ? 'BIC' : 'BICFI', doc.debtorAgentBic).close('FinInstnId'),
  );
  w.close('GrpHdr');
  const o = doc.original;
  w.open('OrgnlGrpInfAndSts').leaf('OrgnlMsgId', o.messageId).leaf('OrgnlMsgNmId', o.messageNameId);
  w.leaf('OrgnlCreDtTm', o.creationDateTime).leaf('OrgnlNbOfTxs', o.numberOfTransactions).leaf('OrgnlCtrlSum', o.controlSum);
  w.leaf('GrpSts', o.groupStatus);
  writeReasons(w, o.reasons);
  for (const count of o.countsPerStatus) {
    w.open('NbOfTxsPerSts').leaf('DtldNbOfTxs', String(count.count)).leaf('DtldSts', count.status).close('NbOfTxsPerSts');
  }
  w.close('OrgnlGrpInfAndSts');
  for (const p of doc.paymentInformation) {
    w.open('OrgnlPmtInfAndSts').leaf('OrgnlPmtInfId', p.originalPaymentInformationId);
    w.leaf('OrgnlNbOfTxs', p.originalNumberOfTransactions).leaf('OrgnlCtrlSum', p.originalControlSum).leaf('PmtInfSts', p.status);
    writeReasons(w, p.reasons);
    for (const tx of p.transactions) writeTransaction(w, tx, doc.version);
    w.close('OrgnlPmtInfAndSts');
  }
  w.close('CstmrPmtStsRpt').close('Document');
  return w.toString();
}
