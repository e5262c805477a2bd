/**
 * Incoming payments: a payer's credit to one of the company's accounts, booked at once and
 * notified in a camt.054; the day's bankgiro payments go into the end-of-day BgMax file.
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

export interface IncomingPaymentInput {
  amountOre: number;
  reference: string;
  payerName?: string;
  payerBankgiro?: string;
  accountId?: string;
}

export async function receiveIncomingPayment(deps: EngineDeps, state: SandboxState, input: IncomingPaymentInput): Promise<EngineResult<IncomingPayment>> {
  const core = state.core;
  const account = input.accountId === undefined ? core.accounts.find((a) => a.primary) : core.accounts.find((a) => a.id === input.accountId);
  if (!account) return fail('ACCOUNT_NOT_FOUND', `no account ${input.accountId} in this sandbox`);
  if (!Number.isSafeInteger(input.amountOre) || input.amountOre <= 0) return fail('INVALID_REQUEST', 'amountOre must be a positive integer');
  const dirty: Dirty = new Set();
  core.counters.incoming++;
  const today = dateOf(core.now);
  const referenceType = /^\d{2,25}$/.test(input.reference) ? 'ocr' : 'message';
  const id = `inc_${pad(core.counters.incoming)}`;
  const payerBankgiro = input.payerBankgiro ?? '9912346';
  const entry = book(state, {
    accountId: account.id, bookingDate: today, valueDate: rollToBankDay(today), amountOre: input.amountOre, creditDebit: 'CRDT',
    bankTransactionCode: { domain: 'PMNT', family: 'RCDT', subFamily: 'DMCT' }, counterpartyName: input.payerName ?? 'Kund AB',
    counterpartyAccount: { kind: 'bankgiro', account: payerBankgiro },
    reference: { type: referenceType, value: input.reference }, incomingId: id,
  }, dirty);
  const incoming: IncomingPayment = {
    id, receivedAt: core.now, date: today, amountOre: input.amountOre, reference: input.reference, referenceType,
    payerName: input.payerName ?? 'Kund AB', payerBankgiro, accountId: account.id, entryId: entry.id,
  };
  (state.days.get(today) as DayBook).incoming.push(incoming);
  const profile = profileOf(state);
  addReport(state, 'camt.054', `camt.054.001.${profile.camtVersion}`, camt054For(profile, core, account, `${profile.id.toUpperCase().slice(0, 4)}-054-${pad(core.counters.report + 1, 8)}`, core.now, [entry]), { accountId: account.id }, dirty);
  emit(state, 'incoming_payment.received', { incomingPaymentId: id, amountOre: input.amountOre, reference: input.reference }, dirty);
  await flush(deps, state, dirty);
  return ok(incoming);
}
