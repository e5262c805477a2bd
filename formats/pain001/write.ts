import { formatOre } from '../money.ts';
import { XmlWriter } from '../xml/escape.ts';
import { PAIN001_NAMESPACES, type AccountRef, type Agent, type CreditTransfer, type Pain001Document, type Party, type PaymentInformation } from './model.ts';

type Version = Pain001Document['version'];

export function writeParty(w: XmlWriter, tag: string, party: Party): void {
  w.open(tag);
  w.leaf('Nm', party.name);
  const address = party.postalAddress;
  w.group('PstlAdr', address, () => {
    w.leaf('StrtNm', address?.streetName).leaf('BldgNb', address?.buildingNumber).leaf('PstCd', address?.postCode);
    w.leaf('TwnNm', address?.townName).leaf('Ctry', address?.country);
    for (const line of address?.addressLines ?? []) w.leaf('AdrLine', line);
  });
  const orgId = party.organisationId;
  if (orgId) {
    w.open('Id').open('OrgId').open('Othr').leaf('Id', orgId.id);
    w.group('SchmeNm', orgId.schemeCode, () => w.leaf('Cd', orgId.schemeCode));
    w.close('Othr').close('OrgId').close('Id');
  }
  w.close(tag);
}

export function writeAccount(w: XmlWriter, tag: string, account: AccountRef): void {
  w.open(tag).open('Id');
  if ('iban' in account) w.leaf('IBAN', account.iban);
  else {
    w.open('Othr').leaf('Id', account.other);
    w.group('SchmeNm', account.schemeCode ?? account.schemeProprietary, () => {
      if (account.schemeCode !== undefined) w.leaf('Cd', account.schemeCode);
      else w.leaf('Prtry', account.schemeProprietary);
    });
    w.close('Othr');
  }
  w.close('Id').leaf('Ccy', account.currency).close(tag);
}

export function writeAgent(w: XmlWriter, tag: string, agent: Agent, bicTag: 'BIC' | 'BICFI'): void {
  w.open(tag).open('FinInstnId').leaf(bicTag, agent.bic);
  w.group('ClrSysMmbId', agent.memberId, () => {
    w.group('ClrSysId', agent.clearingSystemCode, () => w.leaf('Cd', agent.clearingSystemCode));
    w.leaf('MmbId', agent.memberId);
  });
  w.close('FinInstnId').close(tag);
}

function writeTransaction(w: XmlWriter, tx: CreditTransfer, bicTag: 'BIC' | 'BICFI'): void {
  w.open('CdtTrfTxInf');
  w.open('PmtId').leaf('InstrId', tx.instructionId).leaf('EndToEndId', tx.endToEndId).close('PmtId');
  w.open('Amt').leaf('InstdAmt', formatOre(tx.amountOre), ` Ccy="${tx.currency}"`).close('Amt');
  w.leaf('ChrgBr', tx.chargeBearer);
  if (tx.creditorAgent) writeAgent(w, 'CdtrAgt', tx.creditorAgent, bicTag);
  writeParty(w, 'Cdtr', tx.creditor);
  if (tx.creditorAccount) writeAccount(w, 'CdtrAcct', tx.creditorAccount);
  w.group('RmtInf', tx.unstructuredRemittance.length + tx.structuredRemittance.length, () => {
    for (const text of tx.unstructuredRemittance) w.leaf('Ustrd', text);
    for (const strd of tx.structuredRemittance) {
      w.open('Strd');
      w.group('RfrdDocAmt', strd.creditNoteAmountOre !== undefined, () =>
        w.leaf('CdtNoteAmt', formatOre(strd.creditNoteAmountOre ?? 0), ` Ccy="${strd.creditNoteCurrency ?? tx.currency}"`),
      );
      w.group('CdtrRefInf', strd.creditorReference !== undefined || strd.creditorReferenceType !== undefined, () => {
        w.group('Tp', strd.creditorReferenceType, () => w.open('CdOrPrtry').leaf('Cd', strd.creditorReferenceType).close('CdOrPrtry'));
        w.leaf('Ref', strd.creditorReference);
      });
      w.close('Strd');
    }
  });
  w.close('CdtTrfTxInf');
}

function writePaymentInformation(w: XmlWriter, pmtInf: PaymentInformation, version: Version): void {
  const bicTag = version === 'pain.001.001.03' ? 'BIC' : 'BICFI';
  w.open('PmtInf');
  w.leaf('PmtInfId', pmtInf.paymentInformationId).leaf('PmtMtd', pmtInf.paymentMethod);
  w.leaf('BtchBookg', pmtInf.batchBooking === undefined ? undefined : String(pmtInf.batchBooking));
  w.leaf('NbOfTxs', pmtInf.numberOfTransactions).leaf('CtrlSum', pmtInf.controlSum);
  w.group('PmtTpInf', pmtInf.serviceLevel ?? pmtInf.categoryPurpose, () => {
    w.group('SvcLvl', pmtInf.serviceLevel, () => w.leaf('Cd', pmtInf.serviceLevel));
    w.group('CtgyPurp', pmtInf.categoryPurpose, () => w.leaf('Cd', pmtInf.categoryPurpose));
  });
  if (version === 'pain.001.001.03') w.leaf('ReqdExctnDt', pmtInf.requestedExecutionDate);
  else w.open('ReqdExctnDt').leaf('Dt', pmtInf.requestedExecutionDate).close('ReqdExctnDt');
  writeParty(w, 'Dbtr', pmtInf.debtor);
  writeAccount(w, 'DbtrAcct', pmtInf.debtorAccount);
  writeAgent(w, 'DbtrAgt', pmtInf.debtorAgent, bicTag);
  w.leaf('ChrgBr', pmtInf.chargeBearer);
  for (const tx of pmtInf.transactions) writeTransaction(w, tx, bicTag);
  w.close('PmtInf');
}

/** Writes the model as pain.001 XML (UTF-8 text), elements in the schema's order. */
export function writePain001(doc: Pain001Document): string {
  const w = new XmlWriter();
  w.open('Document', ` xmlns="${PAIN001_NAMESPACES[doc.version]}"`).open('CstmrCdtTrfInitn');
  const header = doc.groupHeader;
  w.open('GrpHdr').leaf('MsgId', header.messageId).leaf('CreDtTm', header.creationDateTime);
  w.leaf('NbOfTxs', header.numberOfTransactions).leaf('CtrlSum', header.controlSum);
  writeParty(w, 'InitgPty', header.initiatingParty);
  w.close('GrpHdr');
  for (const pmtInf of doc.paymentInformation) writePaymentInformation(w, pmtInf, doc.version);
  w.close('CstmrCdtTrfInitn').close('Document');
  return w.toString();
}

/** Fills NbOfTxs and CtrlSum (group and payment-information level) from the payments. */
export function withComputedTotals(doc: Pain001Document): Pain001Document {
  let count = 0;
  let total = 0;
  const paymentInformation = doc.paymentInformation.map((p) => {
    const sum = p.transactions.reduce((acc, tx) => acc + tx.amountOre, 0);
    count += p.transactions.length;
    total += sum;
    return { ...p, numberOfTransactions: String(p.transactions.length), controlSum: formatOre(sum) };
  });
  return { ...doc, groupHeader: { ...doc.groupHeader, numberOfTransactions: String(count), controlSum: formatOre(total) }, paymentInformation };
}
