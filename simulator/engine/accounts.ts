/**
 * Accounts: bookings (entries, one store document per booking day) and balances. Booked is
 * what has been booked; reserved is what scheduled payments will take; available is the
 * difference.
 */
import { fail, ok, type EngineResult } from './errors.ts';
import type { Entry, LocalDateTime, SandboxAccount } from './model.ts';
import { pad, type Dirty, type SandboxState } from './state.ts';

export interface Balances {
  accountId: string;
  currency: string;
  bookedOre: number;
  reservedOre: number;
  availableOre: number;
  asOf: LocalDateTime;
}

export function findAccount(state: SandboxState, accountId: string): EngineResult<SandboxAccount> {
  const account = state.core.accounts.find((a) => a.id === accountId);
  return account ? ok(account) : fail('ACCOUNT_NOT_FOUND', `no account ${accountId} in this sandbox`);
}

export function reservedOre(state: SandboxState, accountId: string): number {
  let sum = 0;
  for (const p of state.payments.values()) if (p.status === 'SCHEDULED' && p.debtorAccountId === accountId) sum += p.amountOre;
  return sum;
}

export function balances(state: SandboxState, accountId: string): EngineResult<Balances> {
  const found = findAccount(state, accountId);
  if (!found.ok) return found;
  const account = found.value;
  const reserved = reservedOre(state, accountId);
  return ok({ accountId, currency: account.currency, bookedOre: account.bookedOre, reservedOre: reserved, availableOre: account.bookedOre - reserved, asOf: state.core.now });
}

/** Bookings of an account, newest last, optionally from a date. */
export function entriesOf(state: SandboxState, accountId: string, fromDate?: string): EngineResult<Entry[]> {
  if (!state.core.accounts.some((a) => a.id === accountId)) return fail('ACCOUNT_NOT_FOUND', `no account ${accountId} in this sandbox`);
  const days = [...state.days.keys()].filter((d) => fromDate === undefined || d >= fromDate).sort();
  return ok(days.flatMap((d) => (state.days.get(d)?.entries ?? []).filter((e) => e.accountId === accountId)));
}

/** Books an entry on its booking day and moves the account's booked balance. */
export function book(state: SandboxState, entry: Omit<Entry, 'id'>, dirty: Dirty): Entry {
  const core = state.core;
  core.counters.entry++;
  const full: Entry = { id: `ent_${pad(core.counters.entry, 8)}`, ...entry };
  const account = core.accounts.find((a) => a.id === entry.accountId) as SandboxAccount;
  account.bookedOre += entry.creditDebit === 'CRDT' ? entry.amountOre : -entry.amountOre;
  const day = state.days.get(entry.bookingDate) ?? { entries: [], incoming: [] };
  day.entries.push(full);
  state.days.set(entry.bookingDate, day);
  dirty.add(`day:${entry.bookingDate}`);
  return full;
}
