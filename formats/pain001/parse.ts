import { issue, result, type FormatIssue, type ParseResult } from '../issues.ts';
import { parseAmountToOre } from '../money.ts';
import { decodeXml } from '../xml/decode.ts';
import { all, first } from '../xml/fields.ts';
import { schema as schema03 } from '../xml/schemas/pain.001.001.03.ts';
import { schema as schema09 } from '../xml/schemas/pain.001.001.09.ts';
import { readIsoXml, type Fields, type RecordLocation } from '../xml/stream.ts';
import type { AccountRef, Agent, CreditTransfer, GroupHeader, Pain001Document, Party, PaymentInformation, StructuredRemittance } from './model.ts';
import { validatePain001, type Pain001Rules } from './validate.ts';

const ROOT = 'Document/CstmrCdtTrfInitn';
const GRPHDR = `${ROOT}/GrpHdr`;
const PMTINF = `${ROOT}/PmtInf`;
const TX = `${PMTINF}/CdtTrfTxInf`;
const STRD = `${TX}/RmtInf/Strd`;
const BOUNDARIES = new Set([GRPHDR, PMTINF, TX, STRD]);

export const PAIN001_SCHEMAS = [schema03, schema09];

export function readParty(get: (key: string) => string | undefined, lines: string[]): Party {
  const party: Party = {};
  const name = get('Nm');
  if (name !== undefined) party.name = name;
  const address = {
    streetName: get('PstlAdr/StrtNm'),
    buildingNumber: get('PstlAdr/BldgNb'),
    postCode: get('PstlAdr/PstCd'),
    townName: get('PstlAdr/TwnNm'),
    country: get('PstlAdr/Ctry'),
  };
  const present = Object.fromEntries(Object.entries(address).filter(([, v]) => v !== undefined));
  if (Object.keys(present).length > 0 || lines.length > 0) {
    party.postalAddress = lines.length > 0 ? { ...present, addressLines: lines } : present;
  }
  const orgId = get('Id/OrgId/Othr/Id');
  if (orgId !== undefined) {
    const schemeCode = get('Id/OrgId/Othr/SchmeNm/Cd');
    party.organisationId = schemeCode === undefined ? { id: orgId } : { id: orgId, schemeCode };
  }
  return party;
}

export function readAccount(get: (key: string) => string | undefined): AccountRef | undefined {
  const currency = get('Ccy');
  const iban = get('Id/IBAN');
  if (iban !== undefined) return currency === undefined ? { iban } : { iban, currency };
  const other = get('Id/Othr/Id');
  if (other === undefined) return undefined;
  const account: AccountRef = { other };
  const code = get('Id/Othr/SchmeNm/Cd');
  const proprietary = get('Id/Othr/SchmeNm/Prtry');
  if (code !== undefined) account.schemeCode = code;
  if (proprietary !== undefined) account.schemeProprietary = proprietary;
  if (currency !== undefined) account.currency = currency;
  return account;
}

export function readAgent(get: (key: string) => string | undefined): Agent | undefined {
  const agent: Agent = {};
  const bic = get('FinInstnId/BIC') ?? get('FinInstnId/BICFI');
  const code = get('FinInstnId/ClrSysMmbId/ClrSysId/Cd');
  const member = get('FinInstnId/ClrSysMmbId/MmbId');
  if (bic !== undefined) agent.bic = bic;
  if (code !== undefined) agent.clearingSystemCode = code;
  if (member !== undefined) agent.memberId = member;
  return Object.keys(agent).length > 0 ? agent : undefined;
}

const prefixed = (fields: Fields, prefix: string) => (key: string) => first(fields, `${prefix}/${key}`);

interface Builder {
  doc: Pain001Document | undefined;
  header: GroupHeader | undefined;
  current: PaymentInformation | undefined;
  pmtInfs: PaymentInformation[];
  strd: StructuredRemittance[];
  issues: FormatIssue[];
}

function amount(fields: Fields, key: string, at: RecordLocation, issues: FormatIssue[]): number {
  const text = first(fields, key);
  if (text === undefined) return 0;
  const parsed = parseAmountToOre(text.trim());
  if (parsed.ok) return parsed.ore;
  if (parsed.reason === 'decimals') {
    issues.push(issue('AMOUNT_DECIMALS', `${at.path}/${key}`, 'amount has more than 2 decimals', { value: text, line: at.line }));
  }
  // Other syntax problems are already schema issues; 0 keeps the model total-able.
  return 0;
}

function readTransaction(fields: Fields, strd: StructuredRemittance[], at: RecordLocation, issues: FormatIssue[]): CreditTransfer {
  const amountKey = fields.has('Amt/InstdAmt') ? 'Amt/InstdAmt' : 'Amt/EqvtAmt/Amt';
  const tx: CreditTransfer = {
    endToEndId: first(fields, 'PmtId/EndToEndId') ?? '',
    amountOre: amount(fields, amountKey, at, issues),
    currency: first(fields, `${amountKey}@Ccy`) ?? '',
    creditor: readParty(prefixed(fields, 'Cdtr'), all(fields, 'Cdtr/PstlAdr/AdrLine')),
    unstructuredRemittance: all(fields, 'RmtInf/Ustrd'),
    structuredRemittance: strd,
  };
  const instructionId = first(fields, 'PmtId/InstrId');
  if (instructionId !== undefined) tx.instructionId = instructionId;
  const chargeBearer = first(fields, 'ChrgBr');
  if (chargeBearer !== undefined) tx.chargeBearer = chargeBearer;
  const agent = readAgent(prefixed(fields, 'CdtrAgt'));
  if (agent) tx.creditorAgent = agent;
  const account = readAccount(prefixed(fields, 'CdtrAcct'));
  if (account) tx.creditorAccount = account;
  return tx;
}

function readStructured(fields: Fields, at: RecordLocation, issues: FormatIssue[]): StructuredRemittance {
  const strd: StructuredRemittance = {};
  const type = first(fields, 'CdtrRefInf/Tp/CdOrPrtry/Cd') ?? first(fields, 'CdtrRefInf/Tp/CdOrPrtry/Prtry');
  const ref = first(fields, 'CdtrRefInf/Ref');
  if (type !== undefined) strd.creditorReferenceType = type;
  if (ref !== undefined) strd.creditorReference = ref;
  if (fields.has('RfrdDocAmt/CdtNoteAmt')) {
    strd.creditNoteAmountOre = amount(fields, 'RfrdDocAmt/CdtNoteAmt', at, issues);
    const ccy = first(fields, 'RfrdDocAmt/CdtNoteAmt@Ccy');
    if (ccy !== undefined) strd.creditNoteCurrency = ccy;
  }
  return strd;
}

function readPaymentInformation(fields: Fields, into: PaymentInformation): void {
  into.paymentInformationId = first(fields, 'PmtInfId') ?? '';
  into.paymentMethod = first(fields, 'PmtMtd') ?? '';
  const batch = first(fields, 'BtchBookg');
  if (batch !== undefined) into.batchBooking = batch.trim() === 'true' || batch.trim() === '1';
  const nb = first(fields, 'NbOfTxs');
  if (nb !== undefined) into.numberOfTransactions = nb;
  const sum = first(fields, 'CtrlSum');
  if (sum !== undefined) into.controlSum = sum.trim();
  const svcLvl = first(fields, 'PmtTpInf/SvcLvl/Cd') ?? first(fields, 'PmtTpInf/SvcLvl/Prtry');
  if (svcLvl !== undefined) into.serviceLevel = svcLvl;
  const purpose = first(fields, 'PmtTpInf/CtgyPurp/Cd') ?? first(fields, 'PmtTpInf/CtgyPurp/Prtry');
  if (purpose !== undefined) into.categoryPurpose = purpose;
  const date = first(fields, 'ReqdExctnDt') ?? first(fields, 'ReqdExctnDt/Dt') ?? first(fields, 'ReqdExctnDt/DtTm')?.slice(0, 10);
  into.requestedExecutionDate = date?.trim() ?? '';
  into.debtor = readParty(prefixed(fields, 'Dbtr'), all(fields, 'Dbtr/PstlAdr/AdrLine'));
  into.debtorAccount = readAccount(prefixed(fields, 'DbtrAcct')) ?? { other: '' };
  into.debtorAgent = readAgent(prefixed(fields, 'DbtrAgt')) ?? {};
  const chargeBearer = first(fields, 'ChrgBr');
  if (chargeBearer !== undefined) into.chargeBearer = chargeBearer;
}

export interface Pain001ParseOptions {
  /** Business rules to apply after the schema checks; omitted → schema and structure only. */
  rules?: Pain001Rules;
}

/**
 * Parses and validates a pain.001 (.03 or .09) in one streaming pass: schema issues from the
 * XSD-equivalent checks, then the Swedish rules. Returns the model whenever the document could
 * be read to its end, even with issues, so a bank can reject per payment.
 */
export function parsePain001(input: string | Uint8Array, options: Pain001ParseOptions = {}): ParseResult<Pain001Document> {
  const decoded = decodeXml(input);
  if (!decoded.ok) return { ok: false, issues: [decoded.issue] };
  const b: Builder = { doc: undefined, header: undefined, current: undefined, pmtInfs: [], strd: [], issues: [] };
  const read = readIsoXml(decoded.text, PAIN001_SCHEMAS, {
    boundaries: BOUNDARIES,
    open(path) {
      if (path === PMTINF) {
        b.current = {
          paymentInformationId: '', paymentMethod: '', requestedExecutionDate: '',
          debtor: {}, debtorAccount: { other: '' }, debtorAgent: {}, transactions: [],
        };
        b.pmtInfs.push(b.current);
      } else if (path === TX) b.strd = [];
    },
    close(path, fields, at) {
      if (path === STRD) b.strd.push(readStructured(fields, at, b.issues));
      else if (path === TX) b.current?.transactions.push(readTransaction(fields, b.strd, at, b.issues));
      else if (path === PMTINF && b.current) readPaymentInformation(fields, b.current);
      else if (path === GRPHDR) {
        b.header = {
          messageId: first(fields, 'MsgId') ?? '',
          creationDateTime: first(fields, 'CreDtTm') ?? '',
          numberOfTransactions: first(fields, 'NbOfTxs') ?? '',
          initiatingParty: readParty(prefixed(fields, 'InitgPty'), all(fields, 'InitgPty/PstlAdr/AdrLine')),
        };
        const sum = first(fields, 'CtrlSum');
        if (sum !== undefined) b.header.controlSum = sum.trim();
      }
    },
  });
  const issues = [...read.issues, ...b.issues];
  if (!read.complete || !read.schema || !b.header) return { ok: false, issues };
  const doc: Pain001Document = {
    version: read.schema.message === 'pain.001.001.09' ? 'pain.001.001.09' : 'pain.001.001.03',
    groupHeader: b.header,
    paymentInformation: b.pmtInfs,
  };
  if (options.rules) issues.push(...validatePain001(doc, options.rules));
  return result(doc, issues);
}
