/**
 * Account statements: the camt.053 (and BgMax for incoming bankgiro payments) at the end of
 * each bank day, covering every booking since the last statement, and the camt.052 intraday
 * report on request.
 */
import { reservedOre } from './accounts.ts';
import { dayNumber } from './calendar.ts';
import { addReport } from './mailbox.ts';
import type { SandboxAccount } from './model.ts';
import { bgmaxFor, statementFor } from './reports.ts';
import { dateOf, profileOf, type Dirty, type SandboxState } from './state.ts';

export function endOfDay(state: SandboxState, day: string, dirty: Dirty): void {
  const core = state.core;
  const profile = profileOf(state);
  const since = state.lastStatementDate;
  const days = [...state.days.keys()].filter((d) => d > since && d <= day).sort();
  for (const account of core.accounts) {
    const entries = days.flatMap((d) => (state.days.get(d)?.entries ?? []).filter((e) => e.accountId === account.id));
    const net = entries.reduce((s, e) => s + (e.creditDebit === 'CRDT' ? e.amountOre : -e.amountOre), 0);
    // A running number per account: software that checks the sequence sees no gap over weekends.
    account.statementSequence = (account.statementSequence ?? 0) + 1;
    const body = statementFor(profile, 'camt.053', core, account, `${profile.id.toUpperCase().slice(0, 4)}-053-${day}-${account.id}`, core.now, day, account.bookedOre - net, entries, reservedOre(state, account.id), account.statementSequence);
    addReport(state, 'camt.053', `camt.053.001.${profile.camtVersion}`, body, { accountId: account.id }, dirty);
  }
  const incoming = days.flatMap((d) => state.days.get(d)?.incoming ?? []);
  const primary = core.accounts.find((a) => a.primary);
  if (incoming.length > 0 && primary) {
    addReport(state, 'bgmax', 'BgMax 01', bgmaxFor(core, primary, core.now, day, dayNumber(day) % 100000, incoming), { accountId: primary.id }, dirty);
  }
  state.lastStatementDate = day;
}

/** camt.052: the intraday report of today's bookings so far (not stored in the mailbox). */
export function intradayReport(state: SandboxState, account: SandboxAccount): string {
  const today = dateOf(state.core.now);
  const entries = (state.days.get(today)?.entries ?? []).filter((e) => e.accountId === account.id);
  const net = entries.reduce((s, e) => s + (e.creditDebit === 'CRDT' ? e.amountOre : -e.amountOre), 0);
  const profile = profileOf(state);
  return statementFor(profile, 'camt.052', state.core, account, `${profile.id.toUpperCase().slice(0, 4)}-052-${today}-${account.id}`, state.core.now, today, account.bookedOre - net, entries, reservedOre(state, account.id));
}
