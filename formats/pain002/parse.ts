import { result, type ParseResult } from '../issues.ts';
import { parseAmountToOre } from '../money.ts';
import { decodeXml } from '../xml/decode.ts';
import { all, first } from '../xml/fields.ts';
import { schema as schema03 } from '../xml/schemas/pain.002.001.03.ts';
import { schema as schema10 } from '../xml/schemas/pain.002.001.10.ts';
import { readIsoXml, type Fields } from '../xml/stream.ts';
import type { Pain002Document, PaymentInformationStatusReport, StatusReason, TransactionStatusReport } from './model.ts';

const ROOT = 'Document/CstmrPmtStsRpt';
const GRPHDR = `${ROOT}/GrpHdr`;
const ORGNL = `${ROOT}/OrgnlGrpInfAndSts`;
const PMTINF = `${ROOT}/OrgnlPmtInfAndSts`;
const TX = `${PMTINF}/TxInfAndSts`;
const REASON_PATHS = [`${ORGNL}/StsRsnInf`, `${PMTINF}/StsRsnInf`, `${TX}/StsRsnInf`];
const COUNTS = `${ORGNL}/NbOfTxsPerSts`;

function readReason(fields: Fields): StatusReason {
  const reason: StatusReason = {};
  const code = first(fields, 'Rsn/Cd');
  const proprietary = first(fields, 'Rsn/Prtry');
  const info = all(fields, 'AddtlInf');
  if (code !== undefined) reason.code = code;
  if (proprietary !== undefined) reason.proprietary = proprietary;
  if (info.length > 0) reason.additionalInfo = info;
  return reason;
}

/** Reads a pain.002 (.03 or .10) as the client does: schema-checked, every issue reported. */
export function parsePain002(input: string | Uint8Array): ParseResult<Pain002Document> {
  const decoded = decodeXml(input);
  if (!decoded.ok) return { ok: false, issues: [decoded.issue] };
  let doc: Partial<Pain002Document> & { paymentInformation: PaymentInformationStatusReport[] } = { paymentInformation: [] };
  let reasons: StatusReason[] = [];
  const groupReasons: StatusReason[] = [];
  const counts: Pain002Document['original']['countsPerStatus'] = [];
  let currentPmtInf: PaymentInformationStatusReport | undefined;
  const read = readIsoXml(decoded.text, [schema03, schema10], {
    boundaries: new Set([GRPHDR, ORGNL, PMTINF, TX, COUNTS, ...REASON_PATHS]),
    open(path) {
      if (path === PMTINF) {
        currentPmtInf = { originalPaymentInformationId: '', reasons: [], transactions: [] };
        doc.paymentInformation.push(currentPmtInf);
        reasons = currentPmtInf.reasons;
      } else if (path === TX) reasons = [];
      else if (path === ORGNL) reasons = groupReasons;
    },
    close(path, fields) {
      if (REASON_PATHS.includes(path)) reasons.push(readReason(fields));
      else if (path === COUNTS) counts.push({ count: Number(first(fields, 'DtldNbOfTxs')), status: first(fields, 'DtldSts') ?? '' });
      else if (path === GRPHDR) {
        doc = { ...doc, messageId: first(fields, 'MsgId') ?? '', creationDateTime: first(fields, 'CreDtTm') ?? '' };
        const bic = first(fields, 'DbtrAgt/FinInstnId/BIC') ?? first(fields, 'DbtrAgt/FinInstnId/BICFI');
        if (bic !== undefined) doc.debtorAgentBic = bic;
        const partyName = first(fields, 'InitgPty/Nm');
        const partyBic = first(fields, 'InitgPty/Id/OrgId/BICOrBEI') ?? first(fields, 'InitgPty/Id/OrgId/AnyBIC');
        if (partyName !== undefined) doc.initiatingParty = partyBic === undefined ? { name: partyName } : { name: partyName, bic: partyBic };
      } else if (path === ORGNL) {
        const original: Pain002Document['original'] = {
          messageId: first(fields, 'OrgnlMsgId') ?? '',
          messageNameId: first(fields, 'OrgnlMsgNmId') ?? '',
          reasons: groupReasons,
          countsPerStatus: counts,
        };
        const optional = { creationDateTime: 'OrgnlCreDtTm', numberOfTransactions: 'OrgnlNbOfTxs', controlSum: 'OrgnlCtrlSum' } as const;
        for (const [key, tag] of Object.entries(optional)) {
          const value = first(fields, tag);
          if (value !== undefined) original[key as keyof typeof optional] = value;
        }
        const status = first(fields, 'GrpSts');
        if (status !== undefined) original.groupStatus = status;
        doc.original = original;
      } else if (path === PMTINF && currentPmtInf) {
        currentPmtInf.originalPaymentInformationId = first(fields, 'OrgnlPmtInfId') ?? '';
        const nb = first(fields, 'OrgnlNbOfTxs');
        const sum = first(fields, 'OrgnlCtrlSum');
        const status = first(fields, 'PmtInfSts');
        if (nb !== undefined) currentPmtInf.originalNumberOfTransactions = nb;
        if (sum !== undefined) currentPmtInf.originalControlSum = sum;
        if (status !== undefined) currentPmtInf.status = status;
      } else if (path === TX && currentPmtInf) {
        const tx: TransactionStatusReport = {
          originalEndToEndId: first(fields, 'OrgnlEndToEndId') ?? '',
          status: first(fields, 'TxSts') ?? '',
          reasons,
        };
        const statusId = first(fields, 'StsId');
        const instrId = first(fields, 'OrgnlInstrId');
        const accepted = first(fields, 'AccptncDtTm');
        const servicerRef = first(fields, 'AcctSvcrRef');
        const amount = first(fields, 'OrgnlTxRef/Amt/InstdAmt');
        const date = first(fields, 'OrgnlTxRef/ReqdExctnDt') ?? first(fields, 'OrgnlTxRef/ReqdExctnDt/Dt');
        if (statusId !== undefined) tx.statusId = statusId;
        if (instrId !== undefined) tx.originalInstructionId = instrId;
        if (accepted !== undefined) tx.acceptanceDateTime = accepted;
        if (servicerRef !== undefined) tx.accountServicerReference = servicerRef;
        if (amount !== undefined) {
          const parsed = parseAmountToOre(amount.trim());
          if (parsed.ok) tx.originalAmountOre = parsed.ore;
          const ccy = first(fields, 'OrgnlTxRef/Amt/InstdAmt@Ccy');
          if (ccy !== undefined) tx.originalCurrency = ccy;
        }
        if (date !== undefined) tx.originalRequestedExecutionDate = date;
        currentPmtInf.transactions.push(tx);
        reasons = currentPmtInf.reasons;
      }
    },
  });
  if (!read.complete || !read.schema || doc.messageId === undefined || !doc.original) return { ok: false, issues: read.issues };
  const version = read.schema.message === 'pain.002.001.10' ? 'pain.002.001.10' : 'pain.002.001.03';
  const value: Pain002Document = {
    version,
    messageId: doc.messageId,
    creationDateTime: doc.creationDateTime ?? '',
    original: doc.original,
    paymentInformation: doc.paymentInformation,
  };
  if (doc.initiatingParty !== undefined) value.initiatingParty = doc.initiatingParty;
  if (doc.debtorAgentBic !== undefined) value.debtorAgentBic = doc.debtorAgentBic;
  return result(value, read.issues);
}
