/**
 * camt.055.001.08 customer payment cancellation request and camt.029.001.09 resolution of
 * investigation: the client asks the bank to stop a payment; the bank answers per
 * transaction (ACCR cancelled, RJCR refused with a reason such as ARDT "already executed").
 */
import { result, type ParseResult } from '../issues.ts';
import { formatOre, parseAmountToOre } from '../money.ts';
import { decodeXml } from '../xml/decode.ts';
import { all, first } from '../xml/fields.ts';
import { schema as camt029 } from '../xml/schemas/camt.029.001.09.ts';
import { schema as camt055 } from '../xml/schemas/camt.055.001.08.ts';
import { XmlWriter } from '../xml/escape.ts';
import { readIsoXml, type Fields } from '../xml/stream.ts';

export interface CancellationTransaction {
  cancellationId?: string;
  originalInstructionId?: string;
  originalEndToEndId: string;
  originalAmountOre?: number;
  originalCurrency?: string;
  originalRequestedExecutionDate?: string;
  /** CUST, DUPL, TECH, FRAD, … */
  reasonCode?: string;
  additionalInfo?: string[];
}

export interface CancellationRequestDocument {
  assignmentId: string;
  assignerName: string;
  assigneeBic: string;
  creationDateTime: string;
  paymentInformation: {
    originalPaymentInformationId: string;
    originalMessageId: string;
    originalMessageNameId: string;
    transactions: CancellationTransaction[];
  }[];
}

export type CancellationStatus = 'ACCR' | 'RJCR' | 'PDCR' | (string & {});

export interface ResolutionTransaction {
  originalInstructionId?: string;
  originalEndToEndId: string;
  status: CancellationStatus;
  /** ARDT already executed, NOOR no original, LEGL, AGNT, NARR, … */
  reasonCode?: string;
  additionalInfo?: string[];
  originalAmountOre?: number;
  originalCurrency?: string;
  originalRequestedExecutionDate?: string;
}

export interface ResolutionDocument {
  assignmentId: string;
  assignerBic: string;
  assigneeName: string;
  creationDateTime: string;
  /** The camt.055 assignment this resolves. */
  resolvedCaseId?: string;
  /** CNCL cancelled, RJCR rejected, PDCR pending, PTCR partially cancelled … */
  confirmation: string;
  paymentInformation: {
    originalPaymentInformationId: string;
    originalMessageId?: string;
    originalMessageNameId?: string;
    status?: CancellationStatus;
    transactions: ResolutionTransaction[];
  }[];
}

const NS055 = 'urn:iso:std:iso:20022:tech:xsd:camt.055.001.08';
const NS029 = 'urn:iso:std:iso:20022:tech:xsd:camt.029.001.09';

function writeAssignment(w: XmlWriter, id: string, assigner: () => void, assignee: () => void, creationDateTime: string): void {
  w.open('Assgnmt').leaf('Id', id);
  w.open('Assgnr');
  assigner();
  w.close('Assgnr').open('Assgne');
  assignee();
  w.close('Assgne').leaf('CreDtTm', creationDateTime).close('Assgnmt');
}

const party = (w: XmlWriter, name: string) => () => w.open('Pty').leaf('Nm', name).close('Pty');
const agent = (w: XmlWriter, bic: string) => () => w.open('Agt').open('FinInstnId').leaf('BICFI', bic).close('FinInstnId').close('Agt');

function writeReason(w: XmlWriter, tag: string, code: string | undefined, info: readonly string[] | undefined): void {
  w.group(tag, code ?? info?.length, () => {
    w.group('Rsn', code, () => w.leaf('Cd', code));
    for (const line of info ?? []) w.leaf('AddtlInf', [...line].slice(0, 105).join(''));
  });
}

export function writeCancellationRequest(doc: CancellationRequestDocument): string {
  const w = new XmlWriter();
  w.open('Document', ` xmlns="${NS055}"`).open('CstmrPmtCxlReq');
  writeAssignment(w, doc.assignmentId, party(w, doc.assignerName), agent(w, doc.assigneeBic), doc.creationDateTime);
  w.open('Undrlyg');
  for (const p of doc.paymentInformation) {
    w.open('OrgnlPmtInfAndCxl').leaf('OrgnlPmtInfId', p.originalPaymentInformationId);
    w.open('OrgnlGrpInf').leaf('OrgnlMsgId', p.originalMessageId).leaf('OrgnlMsgNmId', p.originalMessageNameId).close('OrgnlGrpInf');
    for (const tx of p.transactions) {
      w.open('TxInf').leaf('CxlId', tx.cancellationId).leaf('OrgnlInstrId', tx.originalInstructionId).leaf('OrgnlEndToEndId', tx.originalEndToEndId);
      if (tx.originalAmountOre !== undefined) w.leaf('OrgnlInstdAmt', formatOre(tx.originalAmountOre), ` Ccy="${tx.originalCurrency ?? 'SEK'}"`);
      w.group('OrgnlReqdExctnDt', tx.originalRequestedExecutionDate, () => w.leaf('Dt', tx.originalRequestedExecutionDate));
      writeReason(w, 'CxlRsnInf', tx.reasonCode, tx.additionalInfo);
      w.close('TxInf');
    }
    w.close('OrgnlPmtInfAndCxl');
  }
  w.close('Undrlyg').close('CstmrPmtCxlReq').close('Document');
  return w.toString();
}

export function writeResolution(doc: ResolutionDocument): string {
  const w = new XmlWriter();
  w.open('Document', ` xmlns="${NS029}"`).open('RsltnOfInvstgtn');
  writeAssignment(w, doc.assignmentId, agent(w, doc.assignerBic), party(w, doc.assigneeName), doc.creationDateTime);
  w.group('RslvdCase', doc.resolvedCaseId, () => {
    w.leaf('Id', doc.resolvedCaseId).open('Cretr');
    party(w, doc.assigneeName)();
    w.close('Cretr');
  });
  w.open('Sts').leaf('Conf', doc.confirmation).close('Sts');
  w.group('CxlDtls', doc.paymentInformation.length, () => {
    for (const p of doc.paymentInformation) {
      w.open('OrgnlPmtInfAndSts').leaf('OrgnlPmtInfId', p.originalPaymentInformationId);
      w.group('OrgnlGrpInf', p.originalMessageId, () => w.leaf('OrgnlMsgId', p.originalMessageId).leaf('OrgnlMsgNmId', p.originalMessageNameId ?? 'pain.001.001.03'));
      w.leaf('PmtInfCxlSts', p.status);
      for (const tx of p.transactions) {
        w.open('TxInfAndSts').leaf('OrgnlInstrId', tx.originalInstructionId).leaf('OrgnlEndToEndId', tx.originalEndToEndId).leaf('TxCxlSts', tx.status);
        writeReason(w, 'CxlStsRsnInf', tx.reasonCode, tx.additionalInfo);
        if (tx.originalAmountOre !== undefined) w.leaf('OrgnlInstdAmt', formatOre(tx.originalAmountOre), ` Ccy="${tx.originalCurrency ?? 'SEK'}"`);
        w.group('OrgnlReqdExctnDt', tx.originalRequestedExecutionDate, () => w.leaf('Dt', tx.originalRequestedExecutionDate));
        w.close('TxInfAndSts');
      }
      w.close('OrgnlPmtInfAndSts');
    }
  });
  w.close('RsltnOfInvstgtn').close('Document');
  return w.toString();
}

function amountOf(fields: Fields, key: string): number | undefined {
  const text = first(fields, key);
  if (text === undefined) return undefined;
  const parsed = parseAmountToOre(text.trim());
  return parsed.ok ? parsed.ore : undefined;
}

function reference<T extends CancellationTransaction | ResolutionTransaction>(tx: T, fields: Fields, reasonTag: string): T {
  const set = (key: keyof T & string, value: unknown) => {
    if (value !== undefined) Object.assign(tx, { [key]: value });
  };
  set('originalInstructionId', first(fields, 'OrgnlInstrId'));
  set('originalAmountOre', amountOf(fields, 'OrgnlInstdAmt'));
  set('originalCurrency', first(fields, 'OrgnlInstdAmt@Ccy'));
  set('originalRequestedExecutionDate', first(fields, 'OrgnlReqdExctnDt/Dt'));
  set('reasonCode', first(fields, `${reasonTag}/Rsn/Cd`));
  const info = all(fields, `${reasonTag}/AddtlInf`);
  if (info.length > 0) set('additionalInfo', info);
  return tx;
}

export function parseCancellationRequest(input: string | Uint8Array): ParseResult<CancellationRequestDocument> {
  const decoded = decodeXml(input);
  if (!decoded.ok) return { ok: false, issues: [decoded.issue] };
  const root = 'Document/CstmrPmtCxlReq';
  const pmtInfPath = `${root}/Undrlyg/OrgnlPmtInfAndCxl`;
  let assignment: Fields | undefined;
  const paymentInformation: CancellationRequestDocument['paymentInformation'] = [];
  let transactions: CancellationTransaction[] = [];
  const read = readIsoXml(decoded.text, [camt055], {
    boundaries: new Set([`${root}/Assgnmt`, pmtInfPath, `${pmtInfPath}/TxInf`]),
    open(path) {
      if (path === pmtInfPath) transactions = [];
    },
    close(path, fields) {
      if (path.endsWith('/Assgnmt')) assignment = fields;
      else if (path.endsWith('/TxInf')) {
        const tx = reference<CancellationTransaction>({ originalEndToEndId: first(fields, 'OrgnlEndToEndId') ?? '' }, fields, 'CxlRsnInf');
        const id = first(fields, 'CxlId');
        if (id !== undefined) tx.cancellationId = id;
        transactions.push(tx);
      } else if (path === pmtInfPath) {
        paymentInformation.push({
          originalPaymentInformationId: first(fields, 'OrgnlPmtInfId') ?? '',
          originalMessageId: first(fields, 'OrgnlGrpInf/OrgnlMsgId') ?? '',
          originalMessageNameId: first(fields, 'OrgnlGrpInf/OrgnlMsgNmId') ?? '',
          transactions,
        });
      }
    },
  });
  if (!read.complete || !assignment) return { ok: false, issues: read.issues };
  return result(
    {
      assignmentId: first(assignment, 'Id') ?? '',
      assignerName: first(assignment, 'Assgnr/Pty/Nm') ?? '',
      assigneeBic: first(assignment, 'Assgne/Agt/FinInstnId/BICFI') ?? '',
      creationDateTime: first(assignment, 'CreDtTm') ?? '',
      paymentInformation,
    },
    read.issues,
  );
}

export function parseResolution(input: string | Uint8Array): ParseResult<ResolutionDocument> {
  const decoded = decodeXml(input);
  if (!decoded.ok) return { ok: false, issues: [decoded.issue] };
  const root = 'Document/RsltnOfInvstgtn';
  const pmtInfPath = `${root}/CxlDtls/OrgnlPmtInfAndSts`;
  let top: Fields | undefined;
  let assignment: Fields | undefined;
  const paymentInformation: ResolutionDocument['paymentInformation'] = [];
  let transactions: ResolutionTransaction[] = [];
  const read = readIsoXml(decoded.text, [camt029], {
    boundaries: new Set([root, `${root}/Assgnmt`, pmtInfPath, `${pmtInfPath}/TxInfAndSts`]),
    open(path) {
      if (path === pmtInfPath) transactions = [];
    },
    close(path, fields) {
      if (path === root) top = fields;
      else if (path.endsWith('/Assgnmt')) assignment = fields;
      else if (path.endsWith('/TxInfAndSts')) {
        transactions.push(reference<ResolutionTransaction>({ originalEndToEndId: first(fields, 'OrgnlEndToEndId') ?? '', status: first(fields, 'TxCxlSts') ?? '' }, fields, 'CxlStsRsnInf'));
      } else if (path === pmtInfPath) {
        const p: ResolutionDocument['paymentInformation'][number] = { originalPaymentInformationId: first(fields, 'OrgnlPmtInfId') ?? '', transactions };
        const msgId = first(fields, 'OrgnlGrpInf/OrgnlMsgId');
        const msgNm = first(fields, 'OrgnlGrpInf/OrgnlMsgNmId');
        const status = first(fields, 'PmtInfCxlSts');
        if (msgId !== undefined) p.originalMessageId = msgId;
        if (msgNm !== undefined) p.originalMessageNameId = msgNm;
        if (status !== undefined) p.status = status;
        paymentInformation.push(p);
      }
    },
  });
  if (!read.complete || !assignment || !top) return { ok: false, issues: read.issues };
  const doc: ResolutionDocument = {
    assignmentId: first(assignment, 'Id') ?? '',
    assignerBic: first(assignment, 'Assgnr/Agt/FinInstnId/BICFI') ?? '',
    assigneeName: first(assignment, 'Assgne/Pty/Nm') ?? '',
    creationDateTime: first(assignment, 'CreDtTm') ?? '',
    confirmation: first(top, 'Sts/Conf') ?? '',
    paymentInformation,
  };
  const caseId = first(top, 'RslvdCase/Id');
  if (caseId !== undefined) doc.resolvedCaseId = caseId;
  return result(doc, read.issues);
}
