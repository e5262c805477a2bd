import { issue, result, type FormatIssue, type ParseResult } from '../issues.ts';
import { parseAmountToOre } from '../money.ts';
import { createXmlDecoder, decodeXml } from '../xml/decode.ts';
import { all, first } from '../xml/fields.ts';
import { schema as schema03 } from '../xml/schemas/pain.001.001.03.ts';
import { schema as schema09 } from '../xml/schemas/pain.001.001.09.ts';
import { createIsoXmlReader, type Fields, type IsoXmlReader, type RecordLocation } from '../xml/stream.ts';
import type { AccountRef, Agent, CreditTransfer, GroupHeader, Pain001Document, Party, PaymentInformation, StructuredRemittance } from './model.ts';
import { validatePain001, type CreditorKind, type Pain001Rules } from './validate.ts';

const ROOT = 'Document/CstmrCdtTrfInitn';
const GRPHDR = `${ROOT}/GrpHdr`;
const PMTINF = `${ROOT}/PmtInf`;
const TX = `${PMTINF}/CdtTrfTxInf`;
const STRD = `${TX}/RmtInf/Strd`;
const BOUNDARIES = new Set([GRPHDR, PMTINF, TX, STRD]);

export const PAIN001_SCHEMAS = [schema03, schema09];

/** Field keys under one prefix (`Cdtr`, `DbtrAcct`, …), joined once per prefix for the whole process. */
interface PrefixKeys {
  [key: string]: string;
}
const keyTables = new Map<string, PrefixKeys>();
const SUFFIXES = {
  name: 'Nm', street: 'PstlAdr/StrtNm', building: 'PstlAdr/BldgNb', postCode: 'PstlAdr/PstCd', town: 'PstlAdr/TwnNm', country: 'PstlAdr/Ctry', lines: 'PstlAdr/AdrLine',
  orgId: 'Id/OrgId/Othr/Id', orgScheme: 'Id/OrgId/Othr/SchmeNm/Cd',
  ccy: 'Ccy', iban: 'Id/IBAN', other: 'Id/Othr/Id', schemeCode: 'Id/Othr/SchmeNm/Cd', schemePrtry: 'Id/Othr/SchmeNm/Prtry',
  bic: 'FinInstnId/BIC', bicfi: 'FinInstnId/BICFI', clrSys: 'FinInstnId/ClrSysMmbId/ClrSysId/Cd', member: 'FinInstnId/ClrSysMmbId/MmbId',
} as const;
type KeyName = keyof typeof SUFFIXES;

function keysFor(prefix: string): Record<KeyName, string> {
  let table = keyTables.get(prefix);
  if (!table) {
    table = {};
    for (const [name, suffix] of Object.entries(SUFFIXES)) table[name] = prefix === '' ? suffix : `${prefix}/${suffix}`;
    keyTables.set(prefix, table);
  }
  return table as Record<KeyName, string>;
}

export function readParty(fields: Fields, prefix: string): Party {
  const k = keysFor(prefix);
  const party: Party = {};
  const name = first(fields, k.name);
  if (name !== undefined) party.name = name;
  const streetName = first(fields, k.street);
  const buildingNumber = first(fields, k.building);
  const postCode = first(fields, k.postCode);
  const townName = first(fields, k.town);
  const country = first(fields, k.country);
  const lines = all(fields, k.lines);
  if (streetName !== undefined || buildingNumber !== undefined || postCode !== undefined || townName !== undefined || country !== undefined || lines.length > 0) {
    const address: NonNullable<Party['postalAddress']> = {};
    if (streetName !== undefined) address.streetName = streetName;
    if (buildingNumber !== undefined) address.buildingNumber = buildingNumber;
    if (postCode !== undefined) address.postCode = postCode;
    if (townName !== undefined) address.townName = townName;
    if (country !== undefined) address.country = country;
    if (lines.length > 0) address.addressLines = lines;
    party.postalAddress = address;
  }
  const orgId = first(fields, k.orgId);
  if (orgId !== undefined) {
    const schemeCode = first(fields, k.orgScheme);
    party.organisationId = schemeCode === undefined ? { id: orgId } : { id: orgId, schemeCode };
  }
  return party;
}

export function readAccount(fields: Fields, prefix: string): AccountRef | undefined {
  const k = keysFor(prefix);
  const currency = first(fields, k.ccy);
  const iban = first(fields, k.iban);
  if (iban !== undefined) return currency === undefined ? { iban } : { iban, currency };
  const other = first(fields, k.other);
  if (other === undefined) return undefined;
  const account: AccountRef = { other };
  const code = first(fields, k.schemeCode);
  const proprietary = first(fields, k.schemePrtry);
  if (code !== undefined) account.schemeCode = code;
  if (proprietary !== undefined) account.schemeProprietary = proprietary;
  if (currency !== undefined) account.currency = currency;
  return account;
}

export function readAgent(fields: Fields, prefix: string): Agent | undefined {
  const k = keysFor(prefix);
  const bic = first(fields, k.bic) ?? first(fields, k.bicfi);
  const code = first(fields, k.clrSys);
  const member = first(fields, k.member);
  if (bic === undefined && code === undefined && member === undefined) return undefined;
  const agent: Agent = {};
  if (bic !== undefined) agent.bic = bic;
  if (code !== undefined) agent.clearingSystemCode = code;
  if (member !== undefined) agent.memberId = member;
  return agent;
}

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
    creditor: readParty(fields, 'Cdtr'),
    unstructuredRemittance: all(fields, 'RmtInf/Ustrd'),
    structuredRemittance: strd,
  };
  const instructionId = first(fields, 'PmtId/InstrId');
  if (instructionId !== undefined) tx.instructionId = instructionId;
  const chargeBearer = first(fields, 'ChrgBr');
  if (chargeBearer !== undefined) tx.chargeBearer = chargeBearer;
  const agent = readAgent(fields, 'CdtrAgt');
  if (agent) tx.creditorAgent = agent;
  const account = readAccount(fields, 'CdtrAcct');
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
  into.debtor = readParty(fields, 'Dbtr');
  into.debtorAccount = readAccount(fields, 'DbtrAcct') ?? { other: '' };
  into.debtorAgent = readAgent(fields, 'DbtrAgt') ?? {};
  const chargeBearer = first(fields, 'ChrgBr');
  if (chargeBearer !== undefined) into.chargeBearer = chargeBearer;
}

export interface Pain001ParseOptions {
  /** Business rules to apply after the schema checks; omitted → schema and structure only. */
  rules?: Pain001Rules;
  /**
   * Filled (with `rules`) with each transaction's creditor as the rules read it, in document
   * order, undefined where it cannot be read (see `validatePain001`).
   */
  creditors?: (CreditorKind | undefined)[];
}

/** A pain.001 parse fed the file in pieces as it arrives (an upload), in one streaming pass. */
export interface Pain001Parser {
  write(piece: Uint8Array): void;
  close(): ParseResult<Pain001Document>;
}

/**
 * Parses and validates a pain.001 (.03 or .09) in one streaming pass: schema issues from the
 * XSD-equivalent checks, then the Swedish rules. Returns the model whenever the document could
 * be read to its end, even with issues, so a bank can reject per payment.
 */
export function parsePain001(input: string | Uint8Array, options: Pain001ParseOptions = {}): ParseResult<Pain001Document> {
  const decoded = decodeXml(input);
  if (!decoded.ok) return { ok: false, issues: [decoded.issue] };
  const parser = pain001Reader(options);
  parser.reader.write(decoded.text);
  return parser.finish();
}

/** The same parse for a file arriving in pieces (decoded strictly as UTF-8 on the way). */
export function createPain001Parser(options: Pain001ParseOptions = {}): Pain001Parser {
  const decoder = createXmlDecoder();
  const parser = pain001Reader(options);
  return {
    write(piece) {
      const text = decoder.decode(piece);
      if (text !== '') parser.reader.write(text);
    },
    close() {
      const text = decoder.decode(new Uint8Array(0), true);
      if (text !== '') parser.reader.write(text);
      if (decoder.problem) return { ok: false, issues: [decoder.problem] };
      return parser.finish();
    },
  };
}

function pain001Reader(options: Pain001ParseOptions): { reader: IsoXmlReader; finish(): ParseResult<Pain001Document> } {
  const b: Builder = { doc: undefined, header: undefined, current: undefined, pmtInfs: [], strd: [], issues: [] };
  const reader = createIsoXmlReader(PAIN001_SCHEMAS, {
    boundaries: BOUNDARIES,
    reuseFields: true,
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
          initiatingParty: readParty(fields, 'InitgPty'),
        };
        const sum = first(fields, 'CtrlSum');
        if (sum !== undefined) b.header.controlSum = sum.trim();
      }
    },
  });
  return {
    reader,
    finish() {
      const read = reader.close();
      const issues = [...read.issues, ...b.issues];
      if (!read.complete || !read.schema || !b.header) return { ok: false, issues };
      const doc: Pain001Document = {
        version: read.schema.message === 'pain.001.001.09' ? 'pain.001.001.09' : 'pain.001.001.03',
        groupHeader: b.header,
        paymentInformation: b.pmtInfs,
      };
      if (options.rules) issues.push(...validatePain001(doc, options.rules, options.creditors));
      return result(doc, issues);
    },
  };
}
