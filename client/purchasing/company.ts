/**
 * The accounting side of bank integration, as the product does it: purchase invoices are
 * registered and posted, collected in a ready-for-payment proposal, sent as a pain.001
 * ("Send", or "Send and sign" for administrators with two-step verification), and their
 * statuses follow the bank's reports — never guessed.
 */
import { isIsoDate } from '../../formats/dates.ts';
import { rollToBankDay } from '../../formats/calendar.ts';
import { stockholmDateTime } from '../../formats/stockholm.ts';
import { parseResolution } from '../../formats/camt/cancellation.ts';
import { parseAccountReport } from '../../formats/camt/report-parse.ts';
import { checkBankgiro, checkPlusgiro } from '../../formats/identifiers/giro.ts';
import { checkSwedishAccount } from '../../formats/identifiers/account.ts';
import { checkOcr } from '../../formats/identifiers/ocr.ts';
import { withComputedTotals, writePain001, type CreditTransfer, type Pain001Document } from '../../formats/pain001/index.ts';
import { parsePain002 } from '../../formats/pain002/parse.ts';
import { newUser, verifyForSigning, enrol, type ClientUser } from '../auth/users.ts';
import { BankConnection, type ConnectionOptions } from '../bank/connection.ts';
import { Journal, type Voucher } from '../ledger/journal.ts';

export type InvoiceState = 'registered' | 'posted' | 'sent' | 'received' | 'paid' | 'rejected' | 'request-sent' | 'cancelled';

/** The statuses the user sees, in the product's words. */
export const STATUS_WORDS: Record<InvoiceState, string> = {
  registered: 'Registered',
  posted: 'Posted',
  sent: 'Sent',
  received: 'Received by bank',
  paid: 'Paid',
  rejected: 'Rejected',
  'request-sent': 'Request sent',
  cancelled: 'Payment cancelled',
};

/** The bank's reason codes in words (ISO 20022 external status reasons). */
export const REASON_WORDS: Record<string, string> = {
  AC01: 'The account number is incorrect',
  AC02: 'The debtor account is not ours at this bank',
  AC04: "The payee's account is closed",
  AC06: "The payee's account is blocked",
  AG01: 'The transaction is not allowed',
  AM01: 'The amount is zero',
  AM02: 'The amount is not allowed',
  AM04: 'Insufficient funds',
  AM05: 'Duplicate payment',
  AM10: 'The control sum is wrong',
  AM12: 'The amount is invalid',
  AM18: 'The number of transactions is wrong',
  CH16: 'A field has invalid content (OCR reference or text)',
  DS02: 'Cancelled at your request',
  CUST: 'Cancelled at your request',
  DT01: 'Invalid payment date',
  DUPL: 'The file was already sent',
  FF01: 'The file format is invalid',
  MS03: 'Rejected by the bank',
  NARR: 'Rejected by the bank',
  RC01: 'The bank identifier is incorrect',
  RR03: "The payee's name is missing",
  TM01: 'Received after the cut-off time',
  ARDT: 'The payment was already executed',
};

export interface Supplier {
  id: string;
  name: string;
  payee: { kind: 'bankgiro' | 'plusgiro'; number: string } | { kind: 'account'; clearing: string; account: string };
}

export interface PurchaseInvoice {
  id: string;
  supplierId: string;
  invoiceNumber: string;
  invoiceDate: string;
  dueDate: string;
  totalOre: number;
  vatOre: number;
  costAccount: string;
  ocr?: string;
  message?: string;
  state: InvoiceState;
  /** The date the user wants it paid (proposal); defaults to the due date rolled to a bank day. */
  paymentDate?: string;
  selected: boolean;
  bank?: { fileId: string; messageId: string; endToEndId: string; paymentId?: string; signed: boolean; executionDate?: string };
  reason?: { code: string; text: string };
  sendAttempts: number;
  history: { at: string; state: InvoiceState; note?: string }[];
}

export interface ClientState {
  company: { name: string; organisationNumber: string };
  bank: { baseUrl: string; bank: 'swedbank' | 'sparbanken'; apiKey: string; sandboxId?: string; reportCursor?: string };
  settings: { sendEachWhenPosted: boolean };
  users: ClientUser[];
  suppliers: Supplier[];
  invoices: PurchaseInvoice[];
  vouchers: Voucher[];
  counters: { invoice: number; supplier: number; batch: number };
}

export interface ClientStore {
  load(): Promise<ClientState | undefined>;
  /** Resolves when the state is durable; the client acknowledges nothing before. */
  save(state: ClientState): Promise<void>;
}

export interface CompanyDeps {
  store: ClientStore;
  /**
   * Today's date (`YYYY-MM-DD`) for payment-date rules; default the system clock in Swedish
   * time. Tests and the scenario runner pass the bank sandbox's clock: a real bank has none.
   */
  today?: () => Promise<string>;
  /** Wall-clock milliseconds, for two-step verification codes. */
  nowMs?: () => number;
  connection?: Partial<ConnectionOptions>;
}

/** The states whose invoices the ready-for-payment proposal holds. */
const IN_PROPOSAL: ReadonlySet<PurchaseInvoice['state']> = new Set(['posted', 'rejected', 'cancelled']);

export class ClientError extends Error {
  constructor(readonly code: 'NOT_FOUND' | 'INVALID' | 'NOT_ALLOWED' | 'TWO_STEP_FAILED' | 'WRONG_STATE', message: string) {
    super(message);
  }
}

export interface SyncProgress {
  (done: number, total: number): void;
}

export class AccountingCompany {
  readonly bank: BankConnection;
  private readonly journal: Journal;

  private constructor(private state: ClientState, private readonly deps: CompanyDeps) {
    this.bank = new BankConnection({ baseUrl: state.bank.baseUrl, bank: state.bank.bank, apiKey: state.bank.apiKey, ...deps.connection });
    this.journal = new Journal(state.vouchers);
  }

  static async create(init: { name: string; organisationNumber: string; bank: ClientState['bank']; sendEachWhenPosted?: boolean }, deps: CompanyDeps): Promise<AccountingCompany> {
    const state: ClientState = {
      company: { name: init.name, organisationNumber: init.organisationNumber },
      bank: init.bank,
      settings: { sendEachWhenPosted: init.sendEachWhenPosted ?? false },
      users: [], suppliers: [], invoices: [], vouchers: [],
      counters: { invoice: 0, supplier: 0, batch: 0 },
    };
    await deps.store.save(state);
    return new AccountingCompany(state, deps);
  }

  static async open(deps: CompanyDeps): Promise<AccountingCompany> {
    const state = await deps.store.load();
    if (!state) throw new ClientError('NOT_FOUND', 'no company here: run `sandbank client init` first');
    return new AccountingCompany(state, deps);
  }

  get snapshot(): Readonly<ClientState> {
    return this.state;
  }

  private async save(): Promise<void> {
    await this.deps.store.save(this.state);
  }

  async today(): Promise<string> {
    if (this.deps.today) return this.deps.today();
    return stockholmDateTime(this.nowMs()).slice(0, 10);
  }

  private nowMs(): number {
    return this.deps.nowMs ? this.deps.nowMs() : Date.now();
  }

  private stamp(invoice: PurchaseInvoice, state: InvoiceState, at: string, note?: string): void {
    invoice.state = state;
    invoice.history.push(note === undefined ? { at, state } : { at, state, note });
  }

  // ── users ──

  async addUser(id: string, name: string, role: ClientUser['role']): Promise<ClientUser> {
    if (this.state.users.some((u) => u.id === id)) throw new ClientError('INVALID', `user ${id} exists`);
    const user = newUser(id, name, role);
    this.state.users.push(user);
    await this.save();
    return user;
  }

  async enrolTwoStep(userId: string): Promise<{ secret: string; uri: string }> {
    const user = this.user(userId);
    const result = enrol(user, `sandbank ${this.state.company.name}`);
    await this.save();
    return result;
  }

  private user(userId: string): ClientUser {
    const user = this.state.users.find((u) => u.id === userId);
    if (!user) throw new ClientError('NOT_FOUND', `no user ${userId}`);
    return user;
  }

  // ── suppliers and invoices ──

  async addSupplier(name: string, payee: Supplier['payee']): Promise<Supplier> {
    if (payee.kind === 'bankgiro' && !checkBankgiro(payee.number).ok) throw new ClientError('INVALID', `bankgiro ${payee.number} is invalid`);
    if (payee.kind === 'plusgiro' && !checkPlusgiro(payee.number).ok) throw new ClientError('INVALID', `plusgiro ${payee.number} is invalid`);
    if (payee.kind === 'account' && !checkSwedishAccount(payee.clearing, payee.account).ok) throw new ClientError('INVALID', `account ${payee.clearing}-${payee.account} is invalid`);
    this.state.counters.supplier++;
    const normalized: Supplier['payee'] = payee.kind === 'account' ? payee : { kind: payee.kind, number: payee.number.replace(/\D/g, '') };
    const supplier: Supplier = { id: `SUP-${this.state.counters.supplier}`, name, payee: normalized };
    this.state.suppliers.push(supplier);
    await this.save();
    return supplier;
  }

  async registerInvoice(input: { supplierId: string; invoiceNumber: string; invoiceDate: string; dueDate: string; totalOre: number; vatOre?: number; costAccount?: string; ocr?: string; message?: string }): Promise<PurchaseInvoice> {
    const supplier = this.state.suppliers.find((s) => s.id === input.supplierId);
    if (!supplier) throw new ClientError('NOT_FOUND', `no supplier ${input.supplierId}`);
    if (!Number.isSafeInteger(input.totalOre) || input.totalOre <= 0) throw new ClientError('INVALID', 'the amount must be a positive number of öre');
    for (const [field, value] of [['invoice date', input.invoiceDate], ['due date', input.dueDate]] as const) {
      if (!isIsoDate(value)) throw new ClientError('INVALID', `the ${field} "${value}" is not a date: give YYYY-MM-DD`);
    }
    // A supplier's invoice number names one invoice: registering it again would pay it twice.
    const twin = this.state.invoices.find((i) => i.supplierId === supplier.id && i.invoiceNumber === input.invoiceNumber);
    if (twin) throw new ClientError('INVALID', `${supplier.name}'s invoice ${input.invoiceNumber} is already registered as ${twin.id}`);
    if (input.ocr !== undefined) {
      const check = checkOcr(input.ocr, 'check-digit');
      if (!check.ok) throw new ClientError('INVALID', `OCR ${input.ocr}: ${check.message}`);
      if (supplier.payee.kind === 'account') throw new ClientError('INVALID', 'an OCR reference needs a bankgiro or plusgiro payee');
    }
    this.state.counters.invoice++;
    const invoice: PurchaseInvoice = {
      id: `INV-${this.state.counters.invoice}`,
      supplierId: supplier.id, invoiceNumber: input.invoiceNumber, invoiceDate: input.invoiceDate, dueDate: input.dueDate,
      totalOre: input.totalOre, vatOre: input.vatOre ?? Math.round(input.totalOre / 5), costAccount: input.costAccount ?? '4010',
      ...(input.ocr === undefined ? {} : { ocr: input.ocr }),
      ...(input.message === undefined ? {} : { message: input.message }),
      state: 'registered', selected: true, sendAttempts: 0, history: [{ at: input.invoiceDate, state: 'registered' }],
    };
    this.state.invoices.push(invoice);
    await this.save();
    return invoice;
  }

  invoice(id: string): PurchaseInvoice {
    const invoice = this.state.invoices.find((i) => i.id === id);
    if (!invoice) throw new ClientError('NOT_FOUND', `no invoice ${id}`);
    return invoice;
  }

  /** Posting books the invoice; with "send each invoice when posted" it also goes to the bank. */
  async postInvoice(id: string): Promise<PurchaseInvoice> {
    const invoice = this.invoice(id);
    if (invoice.state !== 'registered') throw new ClientError('WRONG_STATE', `${id} is already ${STATUS_WORDS[invoice.state]}`);
    const supplier = this.state.suppliers.find((s) => s.id === invoice.supplierId);
    this.journal.postSupplierInvoice({ invoiceId: id, date: invoice.invoiceDate, supplier: supplier?.name ?? '', totalOre: invoice.totalOre, vatOre: invoice.vatOre, costAccount: invoice.costAccount });
    this.stamp(invoice, 'posted', await this.today());
    await this.save();
    if (this.state.settings.sendEachWhenPosted) await this.send({ invoiceIds: [id] });
    return invoice;
  }

  // ── the ready-for-payment proposal ──

  private async earliestPaymentDate(): Promise<string> {
    return rollToBankDay(await this.today());
  }

  /** Invoices not yet sent to the bank, with the payment date each would get. */
  async proposal(): Promise<(PurchaseInvoice & { proposedDate: string })[]> {
    const earliest = await this.earliestPaymentDate();
    return this.state.invoices
      .filter((i) => IN_PROPOSAL.has(i.state))
      .map((i) => {
        const due = rollToBankDay(i.dueDate);
        const proposedDate = i.paymentDate ?? (due < earliest ? earliest : due);
        return { ...i, proposedDate };
      });
  }

  /** An invoice in the proposal (posted, or back after a rejection or cancellation); anything else is refused by name. */
  private proposed(id: string): PurchaseInvoice {
    const invoice = this.invoice(id);
    if (!IN_PROPOSAL.has(invoice.state)) throw new ClientError('WRONG_STATE', `${id} is ${STATUS_WORDS[invoice.state]}, not in the payment proposal${invoice.state === 'registered' ? ': post it first' : ''}`);
    return invoice;
  }

  async select(id: string, selected: boolean): Promise<void> {
    this.proposed(id).selected = selected;
    await this.save();
  }

  /** Changes a payment date: rolled to a bank day, never before today's bank day. */
  async setPaymentDate(id: string, date: string): Promise<string> {
    if (!isIsoDate(date)) throw new ClientError('INVALID', `the payment date "${date}" is not a date: give YYYY-MM-DD`);
    const earliest = await this.earliestPaymentDate();
    const rolled = rollToBankDay(date);
    if (rolled < earliest) throw new ClientError('INVALID', `the payment date cannot be before ${earliest}`);
    this.proposed(id).paymentDate = rolled;
    await this.save();
    return rolled;
  }

  // ── Send / Send and sign ──

  private creditTransfer(invoice: PurchaseInvoice, endToEndId: string): CreditTransfer {
    const supplier = this.state.suppliers.find((s) => s.id === invoice.supplierId);
    if (!supplier) throw new ClientError('NOT_FOUND', `no supplier ${invoice.supplierId}`);
    const tx: CreditTransfer = {
      endToEndId, instructionId: invoice.id, amountOre: invoice.totalOre, currency: 'SEK',
      creditor: { name: supplier.name.slice(0, 70) }, unstructuredRemittance: [], structuredRemittance: [],
    };
    const payee = supplier.payee;
    if (payee.kind === 'account') {
      tx.creditorAgent = { clearingSystemCode: 'SESBA', memberId: payee.clearing.replace(/\D/g, '') };
      tx.creditorAccount = { other: payee.account.replace(/\D/g, ''), schemeCode: 'BBAN' };
    } else if (payee.kind === 'bankgiro') {
      tx.creditorAgent = { clearingSystemCode: 'SESBA', memberId: '9900' };
      tx.creditorAccount = { other: payee.number, schemeProprietary: 'BGNR' };
    } else {
      tx.creditorAgent = { clearingSystemCode: 'SESBA', memberId: '9960' };
      tx.creditorAccount = { other: payee.number, schemeCode: 'BBAN' };
    }
    if (invoice.ocr) tx.structuredRemittance = [{ creditorReferenceType: 'SCOR', creditorReference: invoice.ocr }];
    else tx.unstructuredRemittance = [(invoice.message ?? `Faktura ${invoice.invoiceNumber}`).slice(0, 140)];
    return tx;
  }

  /**
   * Sends the selected invoices of the proposal (or the given ones) as one pain.001 with one
   * payment information block per payment date. With `sign`, an administrator's TOTP code is
   * verified first, and the file is signed in-app once the bank has received it.
   */
  async send(options: { invoiceIds?: string[]; sign?: { userId: string; code: string }; onStep?: (step: string) => void } = {}): Promise<{ fileId: string; invoices: string[]; signed: boolean }> {
    if (options.sign) {
      const user = this.user(options.sign.userId);
      const outcome = await verifyForSigning(user, options.sign.code, this.nowMs());
      await this.save();
      if (!outcome.ok) {
        const words = { 'not-administrator': 'only administrators may Send and sign', 'not-enrolled': 'two-step verification is not set up for this user', 'wrong-code': 'wrong verification code', replayed: 'that verification code was already used', locked: 'too many wrong codes: the user is locked for 15 minutes' } as const;
        throw new ClientError(outcome.reason === 'not-administrator' ? 'NOT_ALLOWED' : 'TWO_STEP_FAILED', words[outcome.reason]);
      }
    }
    const proposal = await this.proposal();
    const chosen = options.invoiceIds ? proposal.filter((p) => options.invoiceIds?.includes(p.id)) : proposal.filter((p) => p.selected);
    if (options.invoiceIds && chosen.length !== options.invoiceIds.length) throw new ClientError('WRONG_STATE', 'only posted invoices not yet sent can be sent');
    if (chosen.length === 0) throw new ClientError('INVALID', 'no invoices to send');
    const accounts = await this.bank.accounts();
    const primary = accounts.find((a) => a.primary) ?? accounts[0];
    if (!primary) throw new ClientError('INVALID', 'the bank reports no account');
    this.state.counters.batch++;
    const today = await this.today();
    const messageId = `${this.state.company.organisationNumber}-${today.replace(/-/g, '')}-${this.state.counters.batch}`;
    const byDate = new Map<string, CreditTransfer[]>();
    const endToEnd = new Map<string, string>();
    for (const invoice of chosen) {
      const stored = this.invoice(invoice.id);
      stored.sendAttempts++;
      const e2e = `${invoice.id}-${stored.sendAttempts}`;
      endToEnd.set(invoice.id, e2e);
      byDate.set(invoice.proposedDate, [...(byDate.get(invoice.proposedDate) ?? []), this.creditTransfer(stored, e2e)]);
    }
    const doc: Pain001Document = {
      version: 'pain.001.001.03',
      groupHeader: { messageId, creationDateTime: `${today}T12:00:00`, numberOfTransactions: '0', initiatingParty: { name: this.state.company.name, organisationId: { id: `06${this.state.company.organisationNumber}B001`, schemeCode: 'BANK' } } },
      paymentInformation: [...byDate.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([date, transactions], i) => ({
        paymentInformationId: `${messageId}-${i + 1}`, paymentMethod: 'TRF', categoryPurpose: 'SUPP', requestedExecutionDate: date,
        debtor: { name: this.state.company.name }, debtorAccount: { iban: primary.iban }, debtorAgent: { bic: 'SWEDSESS' }, transactions,
      })),
    };
    // Persist the intent before the upload: a crash after it is answered by the same key.
    await this.save();
    const xml = writePain001(withComputedTotals(doc));
    options.onStep?.(`uploading payment file ${messageId}: ${chosen.length} payment(s), ${Math.ceil(Buffer.byteLength(xml) / 1024)} KiB`);
    const upload = await this.bank.uploadPaymentFile(xml, messageId);
    options.onStep?.(`received by the bank as ${upload.fileId}`);
    for (const invoice of chosen) {
      const stored = this.invoice(invoice.id);
      stored.bank = { fileId: upload.fileId, messageId, endToEndId: endToEnd.get(invoice.id) ?? '', signed: false };
      stored.paymentDate = invoice.proposedDate;
      delete stored.reason;
      this.stamp(stored, 'sent', today);
    }
    await this.save();
    let signed = false;
    if (options.sign) {
      const user = this.user(options.sign.userId);
      const file = await this.bank.paymentFile(upload.fileId);
      if (file.status === 'AWAITING_SIGNATURE' || file.status === 'PARTIALLY_ACCEPTED') {
        options.onStep?.(`signing ${upload.fileId} as ${user.name}`);
        await this.bank.signPaymentFile(upload.fileId, user.name);
        signed = true;
      }
    }
    options.onStep?.("reading the bank's status reports");
    await this.sync();
    return { fileId: upload.fileId, invoices: chosen.map((c) => c.id), signed };
  }

  // ── statuses from the bank's reports ──

  private byEndToEnd(e2e: string): PurchaseInvoice | undefined {
    return this.state.invoices.find((i) => i.bank?.endToEndId === e2e);
  }

  private bookScheduled(invoice: PurchaseInvoice, date: string): void {
    if (this.journal.vouchers.some((v) => v.source === `payment:${invoice.id}` && !v.reverses && !this.journal.vouchers.some((r) => r.reverses === `${v.series}${v.number}`))) return;
    const supplier = this.state.suppliers.find((s) => s.id === invoice.supplierId);
    this.journal.bookPayment({ invoiceId: invoice.id, date, supplier: supplier?.name ?? '', amountOre: invoice.totalOre });
  }

  private unbook(invoice: PurchaseInvoice, date: string, why: string): void {
    this.journal.reverse(`payment:${invoice.id}`, date, `Återförd betalning ${invoice.id}: ${why}`);
  }

  private applyTransactionStatus(invoice: PurchaseInvoice, status: string, reasonCode: string | undefined, at: string, executionDate?: string): void {
    const reason = reasonCode === undefined ? undefined : { code: reasonCode, text: REASON_WORDS[reasonCode] ?? `Rejected by the bank (${reasonCode})` };
    const bank = invoice.bank;
    if (!bank) return;
    if (status === 'PDNG' || status === 'ACTC') {
      if (invoice.state === 'sent') this.stamp(invoice, 'received', at);
    } else if (status === 'ACCP') {
      bank.signed = true;
      if (invoice.state === 'sent') this.stamp(invoice, 'received', at, 'signed');
      // The payment is booked on its payment date once the bank has it signed and scheduled.
      this.bookScheduled(invoice, executionDate ?? invoice.paymentDate ?? at);
    } else if (status === 'ACSC' || status === 'ACSP') {
      this.bookScheduled(invoice, executionDate ?? invoice.paymentDate ?? at);
      if (invoice.state !== 'paid') this.stamp(invoice, 'paid', at);
    } else if (status === 'CANC' || (status === 'RJCT' && (reasonCode === 'DS02' || reasonCode === 'CUST'))) {
      // DS02/CUST: cancelled by the customer — through this program or in the internet bank.
      // camt.029 and pain.002 both report a cancellation; whichever comes first settles it.
      if (invoice.state === 'cancelled') return;
      this.unbook(invoice, at, 'cancelled');
      this.stamp(invoice, 'cancelled', at);
      invoice.reason = reason ?? { code: 'CUST', text: REASON_WORDS['CUST'] as string };
    } else if (status === 'RJCT') {
      this.unbook(invoice, at, reason?.text ?? 'rejected');
      this.stamp(invoice, 'rejected', at, reason?.code);
      if (reason) invoice.reason = reason;
    }
  }

  /** Pulls new reports from the bank mailbox (persisted cursor) and applies them in order. */
  async sync(progress?: SyncProgress): Promise<{ reports: number }> {
    let count = 0;
    for (;;) {
      const page = await this.bank.reports(this.state.bank.reportCursor);
      if (page.reports.length === 0) break;
      for (const meta of page.reports) {
        const body = await this.bank.downloadReport(meta.reportId);
        const at = meta.createdAt.slice(0, 10);
        if (meta.type === 'pain.002') {
          const report = parsePain002(body).value;
          if (report) {
            const groupRejected = report.original.groupStatus === 'RJCT' && report.paymentInformation.length === 0;
            if (groupRejected) {
              const code = report.original.reasons[0]?.code;
              for (const invoice of this.state.invoices.filter((i) => i.bank?.messageId === report.original.messageId && i.state === 'sent')) this.applyTransactionStatus(invoice, 'RJCT', code, at);
            }
            for (const tx of report.paymentInformation.flatMap((p) => p.transactions)) {
              const invoice = this.byEndToEnd(tx.originalEndToEndId);
              if (invoice?.bank && tx.accountServicerReference) invoice.bank.paymentId = tx.accountServicerReference;
              if (invoice) this.applyTransactionStatus(invoice, tx.status, tx.reasons[0]?.code, at, tx.originalRequestedExecutionDate);
            }
          }
        } else if (meta.type === 'camt.029') {
          const resolution = parseResolution(body).value;
          for (const tx of resolution?.paymentInformation.flatMap((p) => p.transactions) ?? []) {
            const invoice = this.byEndToEnd(tx.originalEndToEndId);
            if (!invoice) continue;
            if (tx.status === 'ACCR') this.applyTransactionStatus(invoice, 'CANC', 'CUST', at);
            else if (invoice.state !== 'request-sent') continue;
            else {
              const previous = [...invoice.history].reverse().find((h) => h.state !== 'request-sent')?.state ?? 'received';
              const code = tx.reasonCode ?? 'NARR';
              this.stamp(invoice, previous, at, `cancellation refused: ${code}`);
              invoice.reason = { code, text: `The cancellation was refused: ${REASON_WORDS[code] ?? code}` };
            }
          }
        } else if (meta.type === 'camt.054') {
          for (const entry of parseAccountReport(body).value?.reports.flatMap((r) => r.entries) ?? []) {
            if (entry.creditDebit !== 'DBIT') continue;
            for (const tx of entry.transactions) {
              const invoice = tx.endToEndId ? this.byEndToEnd(tx.endToEndId) : undefined;
              if (invoice && invoice.state !== 'paid') this.applyTransactionStatus(invoice, 'ACSC', undefined, at, entry.bookingDate);
            }
          }
        }
        this.state.bank.reportCursor = meta.reportId;
        count++;
        progress?.(count, count + (page.reports.length - page.reports.indexOf(meta) - 1));
      }
      // Acknowledge a page only once its effects are stored: a crash re-reads, never skips.
      await this.save();
    }
    return { reports: count };
  }

  // ── future payments and cancellation ──

  /** "Show future payments": sent with a future payment date, plus the primary account's balance. */
  async futurePayments(): Promise<{ invoices: PurchaseInvoice[]; primaryBalanceOre: number; primaryAvailableOre: number }> {
    const today = await this.today();
    const invoices = this.state.invoices.filter((i) => (i.state === 'sent' || i.state === 'received' || i.state === 'request-sent') && (i.paymentDate ?? '') > today);
    const accounts = await this.bank.accounts();
    const primary = accounts.find((a) => a.primary) ?? accounts[0];
    const balances = primary ? await this.bank.balances(primary.accountId) : undefined;
    return { invoices, primaryBalanceOre: balances?.bookedOre ?? 0, primaryAvailableOre: balances?.availableOre ?? 0 };
  }

  /** "Send request": asks the bank to cancel a sent payment; the bank's answer arrives as reports. */
  async requestCancellation(id: string): Promise<PurchaseInvoice> {
    const invoice = this.invoice(id);
    if (!invoice.bank || !['sent', 'received', 'paid'].includes(invoice.state)) throw new ClientError('WRONG_STATE', `${id} is ${STATUS_WORDS[invoice.state]}: nothing to cancel`);
    if (!invoice.bank.paymentId) {
      const file = await this.bank.paymentFile(invoice.bank.fileId);
      const payment = file.payments.find((p) => p.endToEndId === invoice.bank?.endToEndId);
      if (!payment) throw new ClientError('NOT_FOUND', `the bank has no payment for ${id}`);
      invoice.bank.paymentId = payment.paymentId;
    }
    await this.bank.requestCancellation(invoice.bank.paymentId);
    this.stamp(invoice, 'request-sent', await this.today());
    await this.save();
    return invoice;
  }

  // ── ledger ──

  trialBalance(asOf?: string): ReturnType<Journal['trialBalance']> {
    return this.journal.trialBalance(asOf);
  }

  get vouchers(): readonly Voucher[] {
    return this.journal.vouchers;
  }

  async exportSie(year: number): Promise<string> {
    return this.journal.toSie(this.state.company, { start: `${year}-01-01`, end: `${year}-12-31` }, await this.today());
  }
}

