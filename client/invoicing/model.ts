/**
 * The invoicing program's records. Every record carries a version that grows by one per
 * change; the change feed names (entity, id, version) so a consumer applies idempotently.
 */

export const VAT_RATES = [25, 12, 6, 0] as const;
export type VatRate = (typeof VAT_RATES)[number];

export interface Customer {
  id: string;
  version: number;
  customerNumber: string;
  name: string;
  organisationNumber?: string;
  email?: string;
  address?: string;
  paymentTermsDays: number;
}

export interface Article {
  id: string;
  version: number;
  articleNumber: string;
  name: string;
  unit: string;
  unitPriceOre: number;
  vatRate: VatRate;
}

export interface InvoiceLine {
  articleId?: string;
  description: string;
  /** Whole units; negative on a credit invoice. */
  quantity: number;
  unitPriceOre: number;
  vatRate: VatRate;
  netOre: number;
}

export interface VatGroup {
  rate: VatRate;
  baseOre: number;
  vatOre: number;
}

export interface Invoice {
  id: string;
  version: number;
  number: number;
  kind: 'invoice' | 'credit';
  /** A credit invoice names the invoice number it credits. */
  creditOf?: number;
  customerId: string;
  customerName: string;
  invoiceDate: string;
  dueDate: string;
  lines: InvoiceLine[];
  vat: VatGroup[];
  netOre: number;
  vatOre: number;
  /** Öresavrundning: what rounding the total to whole kronor added (may be negative). */
  roundingOre: number;
  totalOre: number;
  /** OCR reference (invoice number + length digit + Luhn check digit). */
  ocr: string;
  /** What payments have settled so far ("Bureau collaboration II"); absent = nothing. */
  paidOre?: number;
}

/**
 * An incoming payment, registered by whichever side the collaboration names. Its identity
 * comes from its source (BgMax: receiving bankgiro, payment date, Bankgirot's serial), so the
 * same payment is never registered twice.
 */
export interface Payment {
  id: string;
  version: number;
  identity: string;
  registeredBy: 'customer' | 'bureau';
  date: string;
  amountOre: number;
  invoiceId?: string;
  customerId?: string;
  /** Applied to the invoice; the rest stays as an unapplied credit on the customer. */
  appliedOre: number;
  unappliedOre: number;
  reference?: string;
  /** Part of the customer's unapplied credit applied to the invoice: amount 0, applied +X, unapplied −X. */
  fromCustomerCredit?: true;
}

export type DocumentKind = 'supplier-invoice' | 'receipt';

export interface ScannedDocument {
  id: string;
  version: number;
  kind: DocumentKind;
  fileName: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  /** The customer's comment from the scanner. */
  comment: string;
  scannedAt: string;
  status: 'new' | 'registered';
  /** Set by the bureau: "A 17". */
  voucher?: string;
  statusText?: string;
}

export interface Note {
  id: string;
  version: number;
  author: 'customer' | 'bureau';
  kind: 'note' | 'notification';
  text: string;
  createdAt: string;
  subject?: { entity: FeedEntity; id: string };
  /** The customer side's unread state (the bureau keeps its own). */
  readByCustomer: boolean;
}

export interface Settings {
  version: number;
  nextInvoiceNumber: number;
  /** Öresavrundning: totals rounded to whole kronor. */
  roundToWholeKronor: boolean;
  paymentTermsDays: number;
}

export type FeedEntity = 'customer' | 'article' | 'invoice' | 'document' | 'note' | 'payment';
export type Entity = FeedEntity | 'settings';

export interface EntityData {
  customer: Customer;
  article: Article;
  invoice: Invoice;
  document: ScannedDocument;
  note: Note;
  payment: Payment;
  settings: Settings;
}

export type Change = { [E in Entity]: { entity: E; id: string; version: number; operation: 'created' | 'updated'; data: EntityData[E] } }[Entity];

/** One line of a company's log: the changes of one request, written as one append. */
export interface Txn {
  seq: number;
  at: string;
  changes: Change[];
  /** Document bytes (base64) stored with the document's creation. */
  content?: { documentId: string; base64: string };
  /** The request's idempotency record, committed with its effect. */
  idempotency?: IdempotencyRecord;
}

export interface IdempotencyRecord {
  scope: string;
  key: string;
  hash: string;
  status: number;
  body: string;
}

export interface FeedEntry {
  cursor: string;
  entity: FeedEntity;
  id: string;
  version: number;
  operation: 'created' | 'updated';
  at: string;
  data: EntityData[FeedEntity];
}

export interface Collaboration {
  id: string;
  bureauId: string;
  companyId: string;
  /** Who registers incoming payments (issue "Bureau collaboration II" acts on it). */
  paymentsRegisteredBy: 'customer' | 'bureau';
  createdAt: string;
}

/** The terms a collaboration is activated with: creating it with them is its activation. */
export interface ActivationTerms {
  recipient: 'bureau' | 'customer';
  period: 'quarterly' | 'yearly';
  /** End users covered from the start (default 1). */
  licences?: number | undefined;
}

export interface Company {
  id: string;
  name: string;
  organisationNumber: string;
  apiKey: string;
}

export interface Bureau {
  id: string;
  name: string;
  apiKey: string;
}
