/** Request bodies of the JSON endpoints (zod), also the source of their OpenAPI schemas. */
import { z } from 'zod';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');
const isoDateTime = z.string().regex(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?)?$/, 'YYYY-MM-DD or YYYY-MM-DDThh:mm[:ss]');

const faultAction = z.discriminatedUnion('type', [
  z.object({ type: z.literal('reject'), reasonCode: z.string().regex(/^[A-Z0-9]{4}$/), message: z.string().max(105).optional() }),
  z.object({ type: z.literal('delay-report'), bankDays: z.number().int().min(1).max(30) }),
  z.object({ type: z.literal('drop-report') }),
  z.object({ type: z.literal('duplicate-report') }),
  z.object({ type: z.literal('http-error'), status: z.union([z.literal(500), z.literal(502), z.literal(503), z.literal(504)]), times: z.number().int().min(1).optional() }),
  z.object({ type: z.literal('latency'), ms: z.number().int().min(1).max(30_000) }),
  z.object({ type: z.literal('fail-webhook'), status: z.number().int().min(400).max(599).optional(), times: z.number().int().min(1).optional() }),
]);

const faultMatch = z.object({
  endpoint: z.string().optional().describe('route template, e.g. /v1/{bank}/payment-files, or "execution" for reject rules'),
  method: z.string().optional(),
  creditorAccount: z.string().optional(),
  minAmountOre: z.number().int().optional(),
  maxAmountOre: z.number().int().optional(),
  endToEndId: z.string().optional(),
  reportType: z.enum(['pain.002', 'camt.052', 'camt.053', 'camt.054', 'camt.029', 'bgmax']).optional(),
}).strict();

export const schemas = {
  createSandbox: z.object({
    bank: z.enum(['swedbank', 'sparbanken']),
    seed: z.number().int().min(1).max(2 ** 31 - 1).optional(),
    start: isoDateTime.optional(),
    companyName: z.string().min(1).max(70).optional(),
    openingBalancesOre: z.array(z.number().int().min(0).max(1e15)).min(1).max(10).optional(),
    signingModes: z.array(z.enum(['internet-bank', 'in-app-two-step'])).min(1).optional(),
    webhook: z.object({ url: z.url(), secret: z.string().min(16).optional() }).optional(),
  }).strict(),
  advanceClock: z.union([
    z.object({ days: z.number().int().min(0).max(3660) }).strict(),
    z.object({ to: isoDateTime }).strict(),
  ]),
  faults: z.object({ rules: z.array(z.object({ match: faultMatch.default({}), action: faultAction }).strict()).max(50) }).strict(),
  incomingPayment: z.object({
    amountOre: z.number().int().min(1),
    reference: z.string().min(1).max(25),
    payerName: z.string().max(35).optional(),
    payerBankgiro: z.string().regex(/^\d{7,8}$/).optional(),
    accountId: z.string().optional(),
  }).strict(),
  webhook: z.object({ url: z.url(), secret: z.string().min(16).optional() }).strict(),
  signature: z.object({
    signedBy: z.string().min(1).max(140),
    role: z.enum(['administrator', 'user']),
    verification: z.literal('totp').describe('the client verified the signer with a TOTP code (two-step verification)'),
  }).strict(),
  cancellation: z.object({ reason: z.enum(['CUST', 'DUPL', 'TECH', 'FRAD']).default('CUST') }).strict(),
  date: isoDate,
};
