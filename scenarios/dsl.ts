/**
 * The scenario DSL: a scenario is a TypeScript file with a name, tags, banks, a seed and
 * readable steps — given (sandbox, balances, suppliers, invoices, faults), when (client and
 * internet-bank actions, clock advances, incoming payments), then (statuses in the product's
 * words, balances, ledger, reports, webhooks). A failed step says what was expected, what was
 * seen, and which sandbox to inspect.
 *
 *   export default scenario({
 *     name: 'A future-dated payment is cancelled the day before',
 *     tags: ['cancellation'],
 *     steps: [
 *       given.invoice('A', { amount: '1 000,00', due: '2026-03-20' }),
 *       when.send(), when.signInInternetBank(), when.advanceTo('2026-03-19'),
 *       when.cancel('A'), then.status('A', 'Payment cancelled'),
 *     ],
 *   });
 */
import { generate } from 'otplib';
import { parseUserAmountToOre, formatOreSwedish } from '../formats/money.ts';
import { parseAccountReport } from '../formats/camt/report-parse.ts';
import { withComputedTotals, writePain001, type Pain001Document } from '../formats/pain001/index.ts';
import type { AccountingCompany, ClientError, InvoiceState, Supplier } from '../client/purchasing/company.ts';
import { STATUS_WORDS } from '../client/purchasing/company.ts';
import type { BankId } from '../simulator/banks/index.ts';

export interface SandboxInfo {
  sandboxId: string;
  apiKey: string;
  bank: BankId;
  now: string;
  company: { bankgiro: string; name: string };
  accounts: { accountId: string; iban: string; primary: boolean }[];
  internetBankUsers: { userId: string; password: string; totpSecret: string; role: string }[];
}

/** What a target (in-process msw bank or a running server) offers the steps. */
export interface TargetDriver {
  baseUrl: string;
  /** Signs a file as the sandbox's internet-bank administrator would. */
  signInInternetBank(sandbox: SandboxInfo, fileId: string): Promise<void>;
  /** Deletes a future payment in the internet bank. */
  deleteInInternetBank(sandbox: SandboxInfo, paymentId: string): Promise<void>;
  /** Where webhooks for this run are received. */
  webhookUrl: string;
  /** The invoicing program the bureau steps use (in-process, or --invoicing-target). */
  invoicingUrl?: () => Promise<string>;
  receivedWebhooks(sandboxId: string): { type: string; data: Record<string, unknown> }[];
}

export interface ScenarioContext {
  bank: BankId;
  seed: number;
  target: TargetDriver;
  sandbox: SandboxInfo;
  company: AccountingCompany;
  suppliers: Map<string, Supplier>;
  invoices: Map<string, string>;
  /** The last file sent (for internet-bank steps). */
  lastFileId?: string;
  /** An error a `when` step expected to happen (checked by `then.refused`). */
  lastError?: Error;
  /** The TOTP code used last (replay scenarios). */
  lastCode?: string;
  adminSecret: string;
  userSecret: string;
  /** Signings so far: each uses a code of a later time step (a code is accepted once). */
  signings: number;
  /** Files uploaded directly (not by the client), by label. */
  rawFiles: Map<string, string>;
}

export interface Step {
  kind: 'given' | 'when' | 'then';
  text: string;
  run(ctx: ScenarioContext): Promise<void>;
}

export interface ScenarioDefinition {
  name: string;
  tags: string[];
  /** Banks it runs against (default both). */
  banks?: BankId[];
  seed?: number;
  /** Sandbox clock at the start (default 2026-03-02T08:00:00, a Monday). */
  start?: string;
  /** Opening balance of the primary account (default 500 000,00 kr). */
  balance?: string;
  /** Send each invoice when posted (default: collect into a file). */
  sendEachWhenPosted?: boolean;
  webhooks?: boolean;
  steps: Step[];
}

export interface Scenario extends ScenarioDefinition {
  file?: string;
}

export function scenario(definition: ScenarioDefinition): Scenario {
  return definition;
}

export class ScenarioFailure extends Error {
  constructor(readonly expected: string, readonly seen: string, readonly sandboxId: string, what: string) {
    super(`${what}: expected ${expected}, saw ${seen} (sandbox ${sandboxId})`);
  }
}

export function ore(amount: string): number {
  const parsed = parseUserAmountToOre(amount);
  if (!parsed.ok) throw new Error(`not an amount: ${amount}`);
  return parsed.ore;
}

const kr = (o: number) => `${formatOreSwedish(o)} kr`;

function check(ctx: ScenarioContext, what: string, expected: unknown, seen: unknown): void {
  if (JSON.stringify(expected) !== JSON.stringify(seen)) throw new ScenarioFailure(JSON.stringify(expected), JSON.stringify(seen), ctx.sandbox.sandboxId, what);
}

function invoiceId(ctx: ScenarioContext, label: string): string {
  const id = ctx.invoices.get(label);
  if (!id) throw new Error(`no invoice labelled "${label}" in this scenario`);
  return id;
}

async function api(ctx: ScenarioContext, method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${ctx.target.baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${ctx.sandbox.apiKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  const value = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${String(value['code'] ?? '')}`);
  return value;
}

type PayeeSpec = { bankgiro: string } | { plusgiro: string } | { account: string };

export const given = {
  supplier(label: string, payee: PayeeSpec): Step {
    return {
      kind: 'given', text: `a supplier ${label} paid by ${Object.keys(payee)[0]} ${Object.values(payee)[0]}`,
      async run(ctx) {
        const spec = 'bankgiro' in payee ? { kind: 'bankgiro' as const, number: payee.bankgiro } : 'plusgiro' in payee ? { kind: 'plusgiro' as const, number: payee.plusgiro } : { kind: 'account' as const, clearing: payee.account.split(',')[0] ?? '', account: payee.account.split(',')[1] ?? '' };
        ctx.suppliers.set(label, await ctx.company.addSupplier(label, spec));
      },
    };
  },
  /** An invoice, registered and posted. Without a supplier, a bankgiro supplier is used. */
  invoice(label: string, spec: { amount: string; due: string; supplier?: string; ocr?: string; message?: string; post?: boolean }): Step {
    return {
      kind: 'given', text: `invoice ${label} of ${spec.amount} kr due ${spec.due}${spec.ocr ? ` with OCR ${spec.ocr}` : ''}`,
      async run(ctx) {
        let supplier = spec.supplier ? ctx.suppliers.get(spec.supplier) : ctx.suppliers.get('Trävaruhuset AB');
        if (!supplier) {
          supplier = await ctx.company.addSupplier('Trävaruhuset AB', { kind: 'bankgiro', number: '5050-1055' });
          ctx.suppliers.set('Trävaruhuset AB', supplier);
        }
        const invoice = await ctx.company.registerInvoice({
          supplierId: supplier.id, invoiceNumber: label, invoiceDate: ctx.sandbox.now.slice(0, 10), dueDate: spec.due, totalOre: ore(spec.amount),
          ...(spec.ocr ? { ocr: spec.ocr } : {}), ...(spec.message ? { message: spec.message } : {}),
        });
        ctx.invoices.set(label, invoice.id);
        if (spec.post !== false) await ctx.company.postInvoice(invoice.id);
      },
    };
  },
  faults(rules: unknown[]): Step {
    return { kind: 'given', text: `fault rules ${JSON.stringify(rules)}`, async run(ctx) { await api(ctx, 'PUT', `/sandboxes/${ctx.sandbox.sandboxId}/faults`, { rules }); } };
  },
};

export const when = {
  uploadRawFile(label: string, variant: 'valid' | 'wrong-control-sum' | 'one-bad-payment', options: { messageId?: string; amount?: string } = {}): Step {
    return {
      kind: 'when', text: `a ${variant} pain.001 "${label}" is uploaded directly`,
      async run(ctx) {
        const xml = rawPain001(ctx, variant, options.messageId ?? `RAW-${label}`, ore(options.amount ?? '250,00'));
        const upload = await ctx.company.bank.uploadPaymentFile(xml, `raw-${label}`);
        ctx.rawFiles.set(label, upload.fileId);
      },
    };
  },
  post(...labels: string[]): Step {
    return { kind: 'when', text: `invoices ${labels.join(', ')} are posted`, async run(ctx) { for (const l of labels) await ctx.company.postInvoice(invoiceId(ctx, l)); } };
  },
  deselect(...labels: string[]): Step {
    return { kind: 'when', text: `${labels.join(', ')} deselected in the proposal`, async run(ctx) { for (const l of labels) await ctx.company.select(invoiceId(ctx, l), false); } };
  },
  changeDate(label: string, date: string): Step {
    return { kind: 'when', text: `the payment date of ${label} is changed to ${date}`, async run(ctx) { await ctx.company.setPaymentDate(invoiceId(ctx, label), date); } };
  },
  /** Send (or Send and sign as `admin` / `user`; `code: 'wrong' | 'replay'` for refusals). */
  send(options: { sign?: 'admin' | 'user'; code?: 'wrong' | 'replay'; expectRefusal?: boolean } = {}): Step {
    return {
      kind: 'when', text: options.sign ? `Send and sign as ${options.sign}${options.code ? ` with a ${options.code} code` : ''}` : 'Send',
      async run(ctx) {
        const userId = options.sign === 'user' ? 'user@example.se' : 'admin@example.se';
        const secret = options.sign === 'user' ? ctx.userSecret : ctx.adminSecret;
        // Codes of the previous, current and next 30-second step are all valid, each once. The
        // current and the next come first: the previous step's is refused as soon as a slow run
        // crosses a step boundary before the bank checks it.
        const offset = options.code === undefined ? [0, 30, -30][Math.min(ctx.signings, 2)] ?? 0 : 0;
        if (options.code === undefined) ctx.signings++;
        let code = await generate({ secret, epoch: Math.floor(Date.now() / 1000) + offset });
        if (options.code === 'wrong') code = code === '000000' ? '111111' : '000000';
        if (options.code === 'replay' && ctx.lastCode) code = ctx.lastCode;
        try {
          const result = await ctx.company.send(options.sign ? { sign: { userId, code } } : {});
          ctx.lastFileId = result.fileId;
          ctx.lastCode = code;
          if (options.expectRefusal) throw new ScenarioFailure('Send and sign to be refused', `file ${result.fileId} sent`, ctx.sandbox.sandboxId, 'Send and sign');
        } catch (error) {
          if (!options.expectRefusal || error instanceof ScenarioFailure) throw error;
          ctx.lastError = error instanceof Error ? error : new Error(String(error));
        }
      },
    };
  },
  signInInternetBank(): Step {
    return {
      kind: 'when', text: 'the file is signed in the internet bank',
      async run(ctx) {
        if (!ctx.lastFileId) throw new Error('no file was sent');
        await ctx.target.signInInternetBank(ctx.sandbox, ctx.lastFileId);
      },
    };
  },
  deleteInInternetBank(label: string): Step {
    return {
      kind: 'when', text: `${label} is deleted in the internet bank`,
      async run(ctx) {
        await ctx.company.sync();
        const invoice = ctx.company.invoice(invoiceId(ctx, label));
        const file = await ctx.company.bank.paymentFile(invoice.bank?.fileId ?? '');
        const payment = file.payments.find((p) => p.endToEndId === invoice.bank?.endToEndId);
        if (!payment) throw new Error(`no bank payment for ${label}`);
        await ctx.target.deleteInInternetBank(ctx.sandbox, payment.paymentId);
      },
    };
  },
  advanceTo(to: string): Step {
    return { kind: 'when', text: `the clock moves to ${to}`, async run(ctx) { await api(ctx, 'POST', `/sandboxes/${ctx.sandbox.sandboxId}/clock/advance`, { to }); ctx.sandbox.now = to.length === 10 ? `${to}${ctx.sandbox.now.slice(10)}` : to; } };
  },
  cancel(label: string): Step {
    return { kind: 'when', text: `a cancellation of ${label} is requested`, async run(ctx) { await ctx.company.requestCancellation(invoiceId(ctx, label)); } };
  },
  incomingPayment(amount: string, reference: string): Step {
    return { kind: 'when', text: `a customer pays ${amount} kr with reference ${reference}`, async run(ctx) { await api(ctx, 'POST', `/sandboxes/${ctx.sandbox.sandboxId}/incoming-payments`, { amountOre: ore(amount), reference, payerName: 'Kund AB' }); } };
  },
  sync(): Step {
    return { kind: 'when', text: "the bank's reports are read", async run(ctx) { await ctx.company.sync(); } };
  },
  /** Waits (real time) for webhook deliveries, e.g. retries with backoff. */
  waitForWebhooks(count: number, timeoutMs = 20_000): Step {
    return {
      kind: 'when', text: `at least ${count} webhooks arrive`,
      async run(ctx) {
        const end = Date.now() + timeoutMs;
        while (ctx.target.receivedWebhooks(ctx.sandbox.sandboxId).length < count && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
      },
    };
  },
};

/** Payment files a buggy or hostile sender might produce, to see the bank's answer. */
function rawPain001(ctx: ScenarioContext, variant: 'valid' | 'wrong-control-sum' | 'one-bad-payment', messageId: string, amountOre: number): string {
  const account = ctx.sandbox.accounts.find((a) => a.primary) ?? ctx.sandbox.accounts[0];
  const doc: Pain001Document = withComputedTotals({
    version: 'pain.001.001.03',
    groupHeader: { messageId, creationDateTime: ctx.sandbox.now, numberOfTransactions: '0', initiatingParty: { name: 'Scenariobolaget AB' } },
    paymentInformation: [{
      paymentInformationId: `${messageId}-1`, paymentMethod: 'TRF', requestedExecutionDate: ctx.sandbox.now.slice(0, 10),
      debtor: { name: 'Scenariobolaget AB' }, debtorAccount: { iban: account?.iban ?? '' }, debtorAgent: { bic: 'SWEDSESS' },
      transactions: [
        { endToEndId: `${messageId}-1`, amountOre, currency: 'SEK', creditor: { name: 'Trävaruhuset AB' }, creditorAgent: { clearingSystemCode: 'SESBA', memberId: '9900' }, creditorAccount: { other: '50501055', schemeProprietary: 'BGNR' }, unstructuredRemittance: ['Faktura 1'], structuredRemittance: [] },
        { endToEndId: `${messageId}-2`, amountOre: 100_00, currency: 'SEK', creditor: { name: 'Åkeri AB' }, creditorAgent: { clearingSystemCode: 'SESBA', memberId: '9900' }, creditorAccount: { other: variant === 'one-bad-payment' ? '50501056' : '9912346', schemeProprietary: 'BGNR' }, unstructuredRemittance: ['Faktura 2'], structuredRemittance: [] },
      ],
    }],
  });
  if (variant === 'wrong-control-sum') doc.groupHeader.controlSum = '1.00';
  return writePain001(doc);
}


export const then = {
  bankFile(label: string, status: string, reasonCode?: string): Step {
    return {
      kind: 'then', text: `the bank reports file "${label}" ${status}${reasonCode ? ` (${reasonCode})` : ''}`,
      async run(ctx) {
        const fileId = ctx.rawFiles.get(label) ?? (label === 'last' ? ctx.lastFileId : undefined);
        if (!fileId) throw new Error(`no file labelled ${label}`);
        const file = await ctx.company.bank.paymentFile(fileId);
        check(ctx, `status of file ${label}`, status, file.status);
        if (reasonCode) {
          const codes = [...file.reasons.map((r) => r.code), ...file.payments.flatMap((p) => p.reasons.map((r) => r.code))];
          if (!codes.includes(reasonCode)) throw new ScenarioFailure(reasonCode, codes.join(', ') || 'no reasons', ctx.sandbox.sandboxId, `reasons of file ${label}`);
        }
      },
    };
  },
  /** The last camt.053's closing booked balance equals the bank's booked balance, and every entry adds up. */
  statementMatchesBalance(): Step {
    return {
      kind: 'then', text: 'the last end-of-day statement (camt.053) agrees with the account balance',
      async run(ctx) {
        const accounts = await ctx.company.bank.accounts();
        const primary = accounts.find((a) => a.primary);
        const balances = await ctx.company.bank.balances(primary?.accountId ?? 'acc_1');
        let cursor: string | undefined;
        let last: string | undefined;
        for (;;) {
          const page = await ctx.company.bank.reports(cursor);
          if (page.reports.length === 0) break;
          for (const r of page.reports) if (r.type === 'camt.053' && r.accountId === primary?.accountId) last = r.reportId;
          cursor = page.nextCursor ?? undefined;
        }
        if (!last) throw new ScenarioFailure('a camt.053', 'none', ctx.sandbox.sandboxId, 'statements');
        const statements = parseAccountReport(await ctx.company.bank.downloadReport(last)).value?.reports.filter((r) => r.account.iban === primary?.iban) ?? [];
        const statement = statements[0];
        if (!statement) throw new ScenarioFailure('a statement for the primary account', 'none', ctx.sandbox.sandboxId, 'statements');
        const closing = statement.balances.find((b) => b.type === 'CLBD')?.amountOre;
        const opening = statement.balances.find((b) => b.type === 'OPBD')?.amountOre ?? 0;
        const net = statement.entries.reduce((s, e) => s + (e.creditDebit === 'CRDT' ? e.amountOre : -e.amountOre), 0);
        check(ctx, 'opening + entries = closing', closing, opening + net);
        check(ctx, 'camt.053 closing booked balance', kr(balances.bookedOre), kr(closing ?? 0));
      },
    };
  },
  /** The status in the product's words: Sent, Received by bank, Paid, Rejected, Request sent, Payment cancelled, Posted. */
  status(label: string, words: string): Step {
    return {
      kind: 'then', text: `${label} is "${words}"`,
      async run(ctx) {
        await ctx.company.sync();
        const invoice = ctx.company.invoice(invoiceId(ctx, label));
        check(ctx, `status of ${label}`, words, STATUS_WORDS[invoice.state as InvoiceState]);
      },
    };
  },
  reason(label: string, code: string): Step {
    return { kind: 'then', text: `${label} was rejected with ${code}`, async run(ctx) { await ctx.company.sync(); check(ctx, `reason of ${label}`, code, ctx.company.invoice(invoiceId(ctx, label)).reason?.code ?? null); } };
  },
  paymentDate(label: string, date: string): Step {
    return { kind: 'then', text: `${label} is paid on ${date}`, async run(ctx) { check(ctx, `payment date of ${label}`, date, ctx.company.invoice(invoiceId(ctx, label)).paymentDate ?? null); } };
  },
  balance(spec: { booked?: string; reserved?: string; available?: string }): Step {
    return {
      kind: 'then', text: `the primary account: ${Object.entries(spec).map(([k, v]) => `${k} ${v} kr`).join(', ')}`,
      async run(ctx) {
        const accounts = await ctx.company.bank.accounts();
        const b = await ctx.company.bank.balances(accounts.find((a) => a.primary)?.accountId ?? 'acc_1');
        if (spec.booked !== undefined) check(ctx, 'booked balance', kr(ore(spec.booked)), kr(b.bookedOre));
        if (spec.reserved !== undefined) check(ctx, 'reserved', kr(ore(spec.reserved)), kr(b.reservedOre));
        if (spec.available !== undefined) check(ctx, 'available', kr(ore(spec.available)), kr(b.availableOre));
      },
    };
  },
  /** Ledger balance of a BAS account (debit positive), optionally as of a date. */
  ledger(account: string, amount: string, asOf?: string): Step {
    return { kind: 'then', text: `ledger ${account} is ${amount} kr${asOf ? ` on ${asOf}` : ''}`, async run(ctx) { await ctx.company.sync(); check(ctx, `ledger ${account}`, kr(ore(amount)), kr(ctx.company.trialBalance(asOf).find((r) => r.account === account)?.balanceOre ?? 0)); } };
  },
  futurePayments(labels: string[]): Step {
    return {
      kind: 'then', text: `future payments: ${labels.join(', ') || 'none'}`,
      async run(ctx) {
        const future = await ctx.company.futurePayments();
        check(ctx, 'future payments', labels.map((l) => invoiceId(ctx, l)).sort(), future.invoices.map((i) => i.id).sort());
        const accounts = await ctx.company.bank.accounts();
        const b = await ctx.company.bank.balances(accounts.find((a) => a.primary)?.accountId ?? 'acc_1');
        check(ctx, 'balance shown with future payments', b.bookedOre, future.primaryBalanceOre);
      },
    };
  },
  reportsReceived(types: string[]): Step {
    return {
      kind: 'then', text: `reports received: ${types.join(', ')}`,
      async run(ctx) {
        const seen = new Set<string>();
        let cursor: string | undefined;
        for (;;) {
          const page = await ctx.company.bank.reports(cursor);
          if (page.reports.length === 0) break;
          for (const r of page.reports) seen.add(r.type);
          cursor = page.nextCursor ?? undefined;
        }
        for (const t of types) if (!seen.has(t)) throw new ScenarioFailure(`a ${t} report`, [...seen].join(', ') || 'no reports', ctx.sandbox.sandboxId, 'reports mailbox');
      },
    };
  },
  reportCount(type: string, count: number): Step {
    return {
      kind: 'then', text: `${count} ${type} report(s) in the mailbox`,
      async run(ctx) {
        const page = await ctx.company.bank.reports();
        check(ctx, `number of ${type} reports`, count, page.reports.filter((r) => r.type === type).length);
      },
    };
  },
  filesAtBank(count: number): Step {
    return { kind: 'then', text: `the bank holds ${count} payment file(s)`, async run(ctx) { check(ctx, 'payment files at the bank', count, (await ctx.company.bank.paymentFiles()).length); } };
  },
  refused(pattern: RegExp): Step {
    return {
      kind: 'then', text: `it was refused (${pattern.source})`,
      async run(ctx) {
        const error = ctx.lastError as (ClientError & Error) | undefined;
        if (!error || !pattern.test(error.message)) throw new ScenarioFailure(`a refusal matching /${pattern.source}/`, error?.message ?? 'no refusal', ctx.sandbox.sandboxId, 'refusal');
        ctx.lastError = undefined;
      },
    };
  },
  /** Webhooks arrive asynchronously (with retries): this waits up to `withinMs` for them. */
  webhooks(spec: { atLeast: number; type?: string; withinMs?: number }): Step {
    return {
      kind: 'then', text: `at least ${spec.atLeast} ${spec.type ?? ''} webhook(s) delivered`,
      async run(ctx) {
        const count = () => ctx.target.receivedWebhooks(ctx.sandbox.sandboxId).filter((w) => spec.type === undefined || w.type === spec.type).length;
        const end = Date.now() + (spec.withinMs ?? 15_000);
        while (count() < spec.atLeast && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
        if (count() < spec.atLeast) throw new ScenarioFailure(`≥ ${spec.atLeast} webhooks`, String(count()), ctx.sandbox.sandboxId, 'webhooks');
      },
    };
  },
  deliveryAttempts(spec: { atLeast: number; withinMs?: number }): Step {
    return {
      kind: 'then', text: `a delivery needed at least ${spec.atLeast} attempts and was delivered`,
      async run(ctx) {
        const end = Date.now() + (spec.withinMs ?? 15_000);
        let most = 0;
        for (;;) {
          const res = await api(ctx, 'GET', `/sandboxes/${ctx.sandbox.sandboxId}/webhook/deliveries`);
          const deliveries = res['deliveries'] as { attempts: unknown[]; state: string }[];
          most = Math.max(0, ...deliveries.filter((d) => d.state === 'delivered').map((d) => d.attempts.length));
          if (most >= spec.atLeast || Date.now() > end) break;
          await new Promise((r) => setTimeout(r, 20));
        }
        if (most < spec.atLeast) throw new ScenarioFailure(`a delivery with ≥ ${spec.atLeast} attempts`, String(most), ctx.sandbox.sandboxId, 'webhook deliveries');
      },
    };
  },
  /** A raw check against the bank API (for things the client does not show). */
  bank(text: string, assertion: (ctx: ScenarioContext, get: (path: string) => Promise<Record<string, unknown>>) => Promise<void>): Step {
    return { kind: 'then', text, async run(ctx) { await assertion(ctx, (path) => api(ctx, 'GET', path)); } };
  },
};

export { check as expectEqual };
