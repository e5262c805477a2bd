/**
 * Incoming payments: a payer's credit to one of the company's accounts, booked at once and
 * notified in a camt.054; the day's bankgiro payments go into the end-of-day BgMax file with
 * everything BgMax carries: extra references (TK22/TK23), deductions (TK21), information text
 * (TK25), the payer's name, address and organisation number (TK26–TK29).
 */
import { book } from './accounts.ts';
import { rollToBankDay } from './calendar.ts';
import { fail, ok, type EngineResult } from './errors.ts';
import { emit } from './events.ts';
import { addReport } from './mailbox.ts';
import type { IncomingPayment } from './model.ts';
import { flush } from './persistence.ts';
import { camt054For } from './reports.ts';
import { dateOf, pad, profileOf, type DayBook, type Dirty, type EngineDeps, type SandboxState } from './state.ts';

/** What a test says arrived: the stored payment's own fields, the bank filling in the rest. */
export type IncomingPaymentInput = Pick<IncomingPayment, 'amountOre' | 'reference'>
  & Partial<Pick<IncomingPayment, 'payerName' | 'payerBankgiro' | 'accountId' | 'extraReferences' | 'deductionCode' | 'information' | 'payerExtraName' | 'payerAddress' | 'payerOrganisationNumber'>>;

/** What the deposit of the next BgMax file holds so far: payments less deductions. */
function pendingDepositOre(state: SandboxState): number {
  let net = 0;
  for (const [day, book] of state.days) {
    if (day <= state.lastStatementDate) continue;
    for (const p of book.incoming) net += p.deductionCode === undefined ? p.amountOre : -p.amountOre;
  }
  return net;
}

function refusal(state: SandboxState, input: IncomingPaymentInput): string | undefined {
  const extras = input.extraReferences ?? [];
  if (input.deductionCode !== undefined) {
    if (extras.length > 0) return 'a deduction (TK21) carries no extra references';
    // Bankgirot takes a deduction off the same day's deposit, which can never go below zero.
    const deposit = pendingDepositOre(state);
    if (input.amountOre > deposit) return `a deduction of ${input.amountOre} öre exceeds the ${deposit} öre of today's deposit so far: receive the payments first`;
  }
  // The TK20 amount is the whole payment: the extra references name parts of it (TK23 parts are negative).
  const own = extras.reduce((rest, e) => rest + (e.negative ? e.amountOre : -e.amountOre), input.amountOre);
  if (own < 0) return `the extra references name ${input.amountOre - own} öre (TK22 less TK23), more than the payment's ${input.amountOre} öre`;
  return undefined;
}

export async function receiveIncomingPayment(deps: EngineDeps, state: SandboxState, input: IncomingPaymentInput): Promise<EngineResult<IncomingPayment>> {
  const core = state.core;
  const account = input.accountId === undefined ? core.accounts.find((a) => a.primary) : core.accounts.find((a) => a.id === input.accountId);
  if (!account) return fail('ACCOUNT_NOT_FOUND', `no account ${input.accountId} in this sandbox`);
  if (!Number.isSafeInteger(input.amountOre) || input.amountOre <= 0) return fail('INVALID_REQUEST', 'amountOre must be a positive integer');
  const refused = refusal(state, input);
  if (refused !== undefined) return fail('INVALID_REQUEST', refused);
  const dirty: Dirty = new Set();
  core.counters.incoming++;
  const today = dateOf(core.now);
  const referenceType = /^\d{2,25}$/.test(input.reference) ? 'ocr' : 'message';
  const id = `inc_${pad(core.counters.incoming)}`;
  const payerBankgiro = input.payerBankgiro ?? '9912346';
  const deduction = input.deductionCode !== undefined;
  const entry = book(state, {
    accountId: account.id, bookingDate: today, valueDate: rollToBankDay(today), amountOre: input.amountOre, creditDebit: deduction ? 'DBIT' : 'CRDT',
    // A deduction is money the payer takes back off a received bankgiro deposit: still a
    // received-credit-transfer booking, the other way.
    bankTransactionCode: { domain: 'PMNT', family: 'RCDT', subFamily: deduction ? 'OTHR' : 'DMCT' }, counterpartyName: input.payerName ?? 'Kund AB',
    counterpartyAccount: { kind: 'bankgiro', account: payerBankgiro },
    reference: { type: referenceType, value: input.reference }, incomingId: id,
  }, dirty);
  const incoming: IncomingPayment = {
    id, receivedAt: core.now, date: today, amountOre: input.amountOre, reference: input.reference, referenceType,
    payerName: input.payerName ?? 'Kund AB', payerBankgiro, accountId: account.id, entryId: entry.id,
    ...(input.extraReferences?.length ? { extraReferences: input.extraReferences } : {}),
    ...(input.deductionCode === undefined ? {} : { deductionCode: input.deductionCode }),
    ...(input.information?.length ? { information: input.information } : {}),
    ...(input.payerExtraName === undefined ? {} : { payerExtraName: input.payerExtraName }),
    ...(input.payerAddress === undefined ? {} : { payerAddress: input.payerAddress }),
    ...(input.payerOrganisationNumber === undefined ? {} : { payerOrganisationNumber: input.payerOrganisationNumber }),
  };
  (state.days.get(today) as DayBook).incoming.push(incoming);
  const profile = profileOf(state);
  addReport(state, 'camt.054', `camt.054.001.${profile.camtVersion}`, camt054For(profile, core, account, `${profile.id.toUpperCase().slice(0, 4)}-054-${pad(core.counters.report + 1, 8)}`, core.now, [entry]), { accountId: account.id }, dirty);
  emit(state, 'incoming_payment.received', { incomingPaymentId: id, amountOre: input.amountOre, reference: input.reference, ...(deduction ? { deductionCode: input.deductionCode } : {}) }, dirty);
  await flush(deps, state, dirty);
  return ok(incoming);
}
