/** Request bodies of the invoicing API (zod), also the source of their OpenAPI schemas. */
import { z } from 'zod';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');
const vatRate = z.union([z.literal(25), z.literal(12), z.literal(6), z.literal(0)]).describe('VAT rate in percent');

const customer = z.object({
  name: z.string().min(1).max(100),
  customerNumber: z.string().min(1).max(20).optional(),
  organisationNumber: z.string().regex(/^\d{6}-?\d{4}$/).optional(),
  email: z.string().max(200).optional(),
  address: z.string().max(300).optional(),
  paymentTermsDays: z.number().int().min(0).max(365).optional(),
}).strict();

const article = z.object({
  name: z.string().min(1).max(100),
  articleNumber: z.string().min(1).max(20).optional(),
  unit: z.string().min(1).max(10).optional(),
  unitPriceOre: z.number().int().min(0).describe('price per unit excluding VAT, in öre'),
  vatRate,
}).strict();

export const schemas = {
  customer,
  article,
  invoice: z.object({
    customerId: z.string().min(1),
    invoiceDate: isoDate.optional().describe('default: today'),
    dueDate: isoDate.optional().describe("default: invoice date + the customer's payment terms"),
    lines: z.array(z.object({
      articleId: z.string().optional(),
      description: z.string().min(1).max(200).optional(),
      quantity: z.number().int().min(1),
      unitPriceOre: z.number().int().min(0).optional(),
      vatRate: vatRate.optional(),
    }).strict()).min(1).max(200),
  }).strict(),
  credit: z.object({ invoiceDate: isoDate.optional() }).strict(),
  settings: z.object({
    nextInvoiceNumber: z.number().int().min(1).optional().describe('continue the numbering of a previous program'),
    roundToWholeKronor: z.boolean().optional().describe('öresavrundning of invoice totals'),
    paymentTermsDays: z.number().int().min(0).max(365).optional(),
  }).strict(),
  document: z.object({
    kind: z.enum(['supplier-invoice', 'receipt']),
    fileName: z.string().min(1).max(200),
    contentType: z.enum(['image/jpeg', 'image/png', 'image/heic', 'image/tiff', 'application/pdf']),
    contentBase64: z.string().min(1).describe('the scanned image or PDF, base64'),
    comment: z.string().max(1000).optional().describe("the customer's comment"),
  }).strict(),
  note: z.object({
    text: z.string().min(1).max(2000),
    kind: z.enum(['note', 'notification']).optional(),
    subject: z.object({ entity: z.enum(['customer', 'article', 'invoice', 'document', 'note', 'payment']), id: z.string().min(1) }).strict().optional(),
  }).strict(),
  payment: z.object({
    amountOre: z.number().int().describe('öre; negative: a deduction set off against the invoice (a credit invoice it settles, or an invoice it reduces); with fromCustomerCredit: the credit applied'),
    fromCustomerCredit: z.boolean().optional().describe("apply this much of the customer's unapplied credit to the invoice (no new money)"),
    date: isoDate,
    reference: z.string().max(35).optional(),
  }).strict(),
  bureauPayment: z.object({
    identity: z.string().min(1).max(100).describe('the source of the payment, e.g. bgmax:<receiving bankgiro>:<payment date>:<Bankgirot serial>'),
    invoiceId: z.string().optional(),
    customerId: z.string().optional().describe('without invoiceId: the payment stays as an unapplied credit on this customer'),
    amountOre: z.number().int().describe('öre; negative: a deduction (TK21/TK23) set off against invoiceId; with fromCustomerCredit: the credit applied'),
    fromCustomerCredit: z.boolean().optional().describe("apply this much of the customer's unapplied credit to invoiceId (no new money)"),
    date: isoDate,
    reference: z.string().max(35).optional(),
  }).strict(),
  documentStatus: z.object({ voucher: z.string().min(1).max(30).describe('e.g. "A 17"'), statusText: z.string().max(200).optional() }).strict(),
  setupCollaboration: z.object({
    companyName: z.string().min(1).max(100),
    organisationNumber: z.string().regex(/^\d{6}-?\d{4}$/),
    bureauName: z.string().min(1).max(100).optional(),
    bureauId: z.string().optional(),
    nextInvoiceNumber: z.number().int().min(1).optional(),
    roundToWholeKronor: z.boolean().optional(),
    paymentsRegisteredBy: z.enum(['customer', 'bureau']).optional(),
    activation: z.object({
      recipient: z.enum(['bureau', 'customer']).describe('who is invoiced for the service'),
      period: z.enum(['quarterly', 'yearly']).describe('contract period'),
      licences: z.number().int().min(1).optional().describe('end users covered from the start (default 1)'),
    }).strict().optional().describe("activate the collaboration as it is created; without, the bureau's feed answers 409 NOT_ACTIVATED until POST …/lifecycle/activation"),
  }).strict(),
};
