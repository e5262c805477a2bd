/**
 * Request bodies and query parameters of the API (zod), also the source of the OpenAPI
 * schemas. Dates and times are checked as real ones (a 30 February or 25:61 is refused), and a
 * sandbox clock stays within CLOCK_YEARS.
 */
import { z } from 'zod';
import { isIsoDate } from '../../formats/dates.ts';
import { CLOCK_YEARS, MAX_ADVANCE_DAYS, isLocalDateTime, withinClockRange } from '../engine/clock-range.ts';
import { problem } from './problem.ts';
import type { ApiResponse } from './types.ts';

export { CLOCK_YEARS, MAX_ADVANCE_DAYS, isLocalDateTime, withinClockRange };

const isoDate = z.string().refine(isIsoDate, 'a real date, YYYY-MM-DD');
const isoDateTime = z.string().refine(isLocalDateTime, 'a real date and time, YYYY-MM-DD or YYYY-MM-DDThh:mm[:ss] (hours 00–23)')
  .refine(withinClockRange, `a year from ${CLOCK_YEARS.from} to ${CLOCK_YEARS.to}`);
/** A BgMax text field: it must fit its positions in an 80-character Latin-1 record. */
const bgmaxText = (max: number) => z.string().max(max).regex(/^[\x20-\x7E\xA0-\xFF]*$/, 'printable Latin-1 only (BgMax records are Latin-1 text)');
const webhookUrl = z.string().min(1).max(2048).describe('http or https; the server refuses private, link-local and (on a shared server) loopback addresses');

const faultAction = z.discriminatedUnion('type', [
  z.object({ type: z.literal('reject'), reasonCode: z.string().regex(/^[A-Z0-9]{4}$/), message: z.string().max(105).optional() }),
  z.object({ type: z.literal('delay-report'), bankDays: z.number().int().min(1).max(30) }),
  z.object({ type: z.literal('drop-report') }),
  z.object({ type: z.literal('duplicate-report') }),
  z.object({ type: z.literal('http-error'), status: z.union([z.literal(500), z.literal(502), z.literal(503), z.literal(504)]), times: z.number().int().min(1).max(10_000).optional() }),
  z.object({ type: z.literal('latency'), ms: z.number().int().min(1).max(30_000) }),
  z.object({ type: z.literal('fail-webhook'), status: z.number().int().min(400).max(599).optional(), times: z.number().int().min(1).max(10_000).optional() }),
]);

const faultMatch = z.object({
  endpoint: z.string().max(200).optional().describe('route template, e.g. /v1/{bank}/payment-files, or "execution" for reject rules'),
  method: z.string().max(10).optional(),
  creditorAccount: z.string().max(64).optional(),
  minAmountOre: z.number().int().optional(),
  maxAmountOre: z.number().int().optional(),
  endToEndId: z.string().max(35).optional(),
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
    webhook: z.object({ url: webhookUrl, secret: z.string().min(16).max(256).optional() }).strict().optional(),
  }).strict(),
  advanceClock: z.union([
    z.object({ days: z.number().int().min(0).max(MAX_ADVANCE_DAYS) }).strict(),
    z.object({ to: isoDateTime }).strict(),
  ], { error: `give days (a whole number 0–${MAX_ADVANCE_DAYS}) or to (YYYY-MM-DD or YYYY-MM-DDThh:mm[:ss])` }),
  faults: z.object({ rules: z.array(z.object({ match: faultMatch.default({}), action: faultAction }).strict()).max(50) }).strict(),
  incomingPayment: z.object({
    amountOre: z.number().int().min(1).max(1e15).describe('the payment (TK20), or with deductionCode the deduction (TK21), in öre'),
    reference: bgmaxText(25).min(1).describe('OCR number (digits) or another reference'),
    payerName: bgmaxText(35).optional().describe('TK26'),
    payerBankgiro: z.string().regex(/^\d{7,8}$/).optional(),
    accountId: z.string().optional(),
    extraReferences: z.array(z.object({
      reference: bgmaxText(25).min(1),
      amountOre: z.number().int().min(0).max(1e15),
      negative: z.boolean().default(false).describe('TK23 (e.g. a credit invoice) instead of TK22'),
    }).strict()).max(99).optional().describe('TK22/TK23: further references the payment pays, each with the part of amountOre it names'),
    deductionCode: z.enum(['0', '1', '2']).optional().describe('makes this a TK21 deduction off the day\'s deposit: 0 whole, 1 partial with a rest, 2 the final part'),
    information: z.array(bgmaxText(50).min(1)).max(90).optional().describe('TK25 information texts'),
    payerExtraName: bgmaxText(35).optional().describe('TK26 extra name'),
    payerAddress: z.object({
      street: bgmaxText(35).optional(), postCode: bgmaxText(9).optional().describe('TK27'),
      town: bgmaxText(35).optional(), country: bgmaxText(35).optional(), countryCode: z.string().regex(/^[A-Z]{2}$/).optional().describe('TK28'),
    }).strict().optional(),
    payerOrganisationNumber: z.string().regex(/^(\d{6}-?\d{4}|\d{12})$/).transform((v) => v.replace('-', '')).optional().describe('TK29'),
  }).strict(),
  webhook: z.object({ url: webhookUrl, secret: z.string().min(16).max(256).optional() }).strict(),
  signature: z.object({
    signedBy: z.string().min(1).max(140),
    role: z.enum(['administrator', 'user']),
    verification: z.literal('totp').describe('the client verified the signer with a TOTP code (two-step verification)'),
  }).strict(),
  cancellation: z.object({ reason: z.enum(['CUST', 'DUPL', 'TECH', 'FRAD']).default('CUST') }).strict(),
  date: isoDate,
  clockYears: `${CLOCK_YEARS.from}–${CLOCK_YEARS.to}`,
};

type QueryResult<T> = { ok: true; value: T } | { ok: false; response: ApiResponse };

/** Query parameters: absent is allowed, anything present must be exactly right. */
export const query = {
  sequence(value: string | null, name: string): QueryResult<number> {
    if (value === null) return { ok: true, value: 0 };
    if (!/^\d{1,15}$/.test(value)) return { ok: false, response: problem('INVALID_REQUEST', `${name} must be a non-negative integer`) };
    return { ok: true, value: Number(value) };
  },
  integer(value: string | null, name: string, min: number, max: number): QueryResult<number | undefined> {
    if (value === null) return { ok: true, value: undefined };
    const n = /^\d{1,15}$/.test(value) ? Number(value) : Number.NaN;
    if (!(n >= min && n <= max)) return { ok: false, response: problem('INVALID_REQUEST', `${name} must be an integer from ${min} to ${max}`) };
    return { ok: true, value: n };
  },
  date(value: string | null, name: string): QueryResult<string | undefined> {
    if (value === null) return { ok: true, value: undefined };
    if (!isIsoDate(value)) return { ok: false, response: problem('INVALID_REQUEST', `${name} must be a real date, YYYY-MM-DD`) };
    return { ok: true, value };
  },
};
