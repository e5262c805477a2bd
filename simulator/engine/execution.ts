/**
 * Execution: the bank day a signed payment executes on (cut-off rolling), and the cut-off run
 * that books due payments, retries on insufficient funds for the profile's number of bank
 * days, and applies reject faults.
 */
import type { BankProfile } from '../banks/index.ts';
import { book } from './accounts.ts';
import { dayNumber, isBankDay, nextBankDay, rollToBankDay } from './calendar.ts';
import { rejectFault, rejectMessage } from './faults.ts';
import { addReport, reportStatus } from './mailbox.ts';
import type { Entry, LocalDateTime, PaymentFile, SandboxAccount, StatusReason } from './model.ts';
import { camt054For, type StatusLine } from './reports.ts';
import { dateOf, pad, profileOf, type Dirty, type SandboxState } from './state.ts';
import { setPaymentStatus } from './transitions.ts';

/**
 * The bank day a payment signed at `now` executes on: its requested date rolled to a bank
 * day, never before the earliest possible day (today before cut-off on a bank day, else the
 * next bank day). `requested` '' is "as soon as possible".
 */
export function executionDateFor(profile: BankProfile, now: LocalDateTime, requested: string): string {
  const today = dateOf(now);
  const pastCutoff = now.slice(11, 16) >= profile.cutoffTime;
  const earliest = isBankDay(today) && !pastCutoff ? today : nextBankDay(today);
  const wanted = requested === '' ? earliest : rollToBankDay(requested);
  return dayNumber(wanted) < dayNumber(earliest) ? earliest : wanted;
}

/**
 * What happens to a payment that lacked funds at cut-off on `day`, this being its
 * `retries`-th failure: retried on the next bank day while the profile's retry days last,
 * else rejected AM04.
 */
export function insufficientFundsOutcome(profile: BankProfile, retries: number, day: string): { retryOn: string } | { reject: true } {
  return retries > profile.insufficientFundsRetryBankDays ? { reject: true } : { retryOn: nextBankDay(day) };
}

export function cutoffProcessing(state: SandboxState, day: string, dirty: Dirty): void {
  const core = state.core;
  const profile = profileOf(state);
  const due = [...state.payments.values()]
    .filter((p) => p.status === 'SCHEDULED' && p.executionDate !== undefined && p.executionDate <= day)
    .sort((a, b) => (a.executionDate as string).localeCompare(b.executionDate as string) || a.id.localeCompare(b.id));
  const linesByFile = new Map<string, StatusLine[]>();
  const debitsByAccount = new Map<string, Entry[]>();
  for (const payment of due) {
    const account = core.accounts.find((a) => a.id === payment.debtorAccountId) as SandboxAccount;
    const fault = rejectFault(core, payment);
    const lines = linesByFile.get(payment.fileId) ?? [];
    linesByFile.set(payment.fileId, lines);
    if (fault && fault.action.type === 'reject') {
      fault.hits++;
      const reason = { code: fault.action.reasonCode, message: fault.action.message ?? rejectMessage(fault.action.reasonCode) };
      setPaymentStatus(state, payment, 'REJECTED', dirty, reason);
      lines.push({ payment, status: 'RJCT', reasons: [reason] });
      continue;
    }
    if (account.bookedOre >= payment.amountOre) {
      const entry = book(state, {
        accountId: account.id, bookingDate: day, valueDate: day, amountOre: payment.amountOre, creditDebit: 'DBIT',
        bankTransactionCode: { domain: 'PMNT', family: 'ICDT', subFamily: 'DMCT' }, paymentId: payment.id, fileId: payment.fileId,
        messageId: state.files.get(payment.fileId)?.messageId ?? '', paymentInformationId: payment.paymentInformationId, endToEndId: payment.endToEndId,
        ...(payment.instructionId === undefined ? {} : { instructionId: payment.instructionId }),
        ...(payment.creditor.name === undefined ? {} : { counterpartyName: payment.creditor.name }),
        counterpartyAccount: { kind: payment.creditor.kind, account: payment.creditor.account },
        ...(payment.reference === undefined ? {} : { reference: payment.reference }),
      }, dirty);
      payment.executedAt = core.now;
      payment.entryId = entry.id;
      payment.executionDate = day;
      setPaymentStatus(state, payment, 'EXECUTED', dirty);
      lines.push({ payment, status: 'ACSC', reasons: [] });
      debitsByAccount.set(account.id, [...(debitsByAccount.get(account.id) ?? []), entry]);
      continue;
    }
    payment.retries++;
    const outcome = insufficientFundsOutcome(profile, payment.retries, day);
    if ('reject' in outcome) {
      const reason: StatusReason = { code: 'AM04', message: `insufficient funds on ${account.name} after ${profile.insufficientFundsRetryBankDays} retry day(s)` };
      setPaymentStatus(state, payment, 'REJECTED', dirty, reason);
      lines.push({ payment, status: 'RJCT', reasons: [reason] });
    } else {
      payment.executionDate = outcome.retryOn;
      payment.history.push({ at: core.now, status: 'SCHEDULED', reason: `AM04 insufficient funds, retry ${payment.retries} of ${profile.insufficientFundsRetryBankDays} on ${payment.executionDate}` });
      dirty.add(`file:${payment.fileId}`);
    }
  }
  for (const [fileId, lines] of linesByFile) {
    if (lines.length === 0) continue;
    const file = state.files.get(fileId) as PaymentFile;
    const open = file.payments.some((p) => p.status === 'SCHEDULED' || p.status === 'AWAITING_SIGNATURE');
    const allExecuted = file.payments.every((p) => p.status === 'EXECUTED');
    reportStatus(state, file, open ? undefined : allExecuted ? 'ACSC' : 'PART', [], lines, dirty);
  }
  for (const [accountId, entries] of debitsByAccount) {
    const account = core.accounts.find((a) => a.id === accountId) as SandboxAccount;
    addReport(state, 'camt.054', `camt.054.001.${profile.camtVersion}`, camt054For(profile, core, account, `${profile.id.toUpperCase().slice(0, 4)}-054-${pad(core.counters.report + 1, 8)}`, core.now, entries), { accountId }, dirty);
  }
}
