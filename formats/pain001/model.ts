/**
 * One typed model for pain.001.001.03 and pain.001.001.09 (customer credit transfer
 * initiation). Amounts are integer öre; dates are `YYYY-MM-DD` strings (calendar dates have
 * no time zone, so a Date object would only add one).
 */
export type Pain001Version = 'pain.001.001.03' | 'pain.001.001.09';

export interface PostalAddress {
  streetName?: string;
  buildingNumber?: string;
  postCode?: string;
  townName?: string;
  country?: string;
  addressLines?: string[];
}

export interface PartyIdentification {
  id: string;
  /** SchmeNm/Cd, e.g. `BANK` (Swedbank's customer agreement id) or `CUST`. */
  schemeCode?: string;
}

export interface Party {
  name?: string;
  postalAddress?: PostalAddress;
  organisationId?: PartyIdentification;
}

/** Account identification as it stands in the file; `classifyCreditor` interprets it. */
export type AccountRef =
  | { iban: string; currency?: string }
  | { other: string; schemeCode?: string; schemeProprietary?: string; currency?: string };

export interface Agent {
  bic?: string;
  /** ClrSysMmbId/ClrSysId/Cd — `SESBA` for the Swedish clearing. */
  clearingSystemCode?: string;
  /** ClrSysMmbId/MmbId — 9900 bankgiro, 9960 plusgiro, else the bank's clearing number. */
  memberId?: string;
}

export interface StructuredRemittance {
  /** CdtrRefInf/Tp/CdOrPrtry/Cd — `SCOR` for an OCR reference. */
  creditorReferenceType?: string;
  creditorReference?: string;
  /** RfrdDocAmt/CdtNoteAmt — a credit note deducted by Bankgirot. */
  creditNoteAmountOre?: number;
  creditNoteCurrency?: string;
}

export interface CreditTransfer {
  instructionId?: string;
  endToEndId: string;
  amountOre: number;
  currency: string;
  chargeBearer?: string;
  creditorAgent?: Agent;
  creditor: Party;
  creditorAccount?: AccountRef;
  unstructuredRemittance: string[];
  structuredRemittance: StructuredRemittance[];
}

export interface PaymentInformation {
  paymentInformationId: string;
  paymentMethod: string;
  batchBooking?: boolean;
  numberOfTransactions?: string;
  controlSum?: string;
  serviceLevel?: string;
  categoryPurpose?: string;
  requestedExecutionDate: string;
  debtor: Party;
  debtorAccount: AccountRef;
  debtorAgent: Agent;
  chargeBearer?: string;
  transactions: CreditTransfer[];
}

export interface GroupHeader {
  messageId: string;
  creationDateTime: string;
  /** As written in the file (Max15NumericText); the validator compares it with the payments. */
  numberOfTransactions: string;
  /** Decimal text as written; compared exactly with the sum of the amounts. */
  controlSum?: string;
  initiatingParty: Party;
}

export interface Pain001Document {
  version: Pain001Version;
  groupHeader: GroupHeader;
  paymentInformation: PaymentInformation[];
}

export const PAIN001_NAMESPACES: Record<Pain001Version, string> = {
  'pain.001.001.03': 'urn:iso:std:iso:20022:tech:xsd:pain.001.001.03',
  'pain.001.001.09': 'urn:iso:std:iso:20022:tech:xsd:pain.001.001.09',
};

export function allTransactions(doc: Pain001Document): CreditTransfer[] {
  return doc.paymentInformation.flatMap((p) => p.transactions);
}
