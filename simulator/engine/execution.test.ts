/** The execution rules as flat tables: cut-off rolling of a signed payment, and the retry days on insufficient funds. */
import { describe, expect, it } from 'vitest';
import { BANKS, type BankId } from '../banks/index.ts';
import { executionDateFor, insufficientFundsOutcome } from './execution.ts';

// 2026-03-12 is a Thursday; 03-14/15 a weekend; 04-03 Good Friday and 04-06 Easter Monday.
const cutoffRows: { bank: BankId; now: string; requested: string; executes: string; why: string }[] = [
  { bank: 'swedbank', now: '2026-03-12T09:59:00', requested: '', executes: '2026-03-12', why: 'as soon as possible, before cut-off: today' },
  { bank: 'swedbank', now: '2026-03-12T10:00:00', requested: '', executes: '2026-03-13', why: 'at cut-off (10:00) counts as past it' },
  { bank: 'sparbanken', now: '2026-03-12T09:45:00', requested: '', executes: '2026-03-13', why: "past Sparbanken's 09:30 cut-off" },
  { bank: 'swedbank', now: '2026-03-13T11:00:00', requested: '', executes: '2026-03-16', why: 'Friday after cut-off rolls over the weekend' },
  { bank: 'swedbank', now: '2026-03-14T08:00:00', requested: '', executes: '2026-03-16', why: 'signed on a Saturday' },
  { bank: 'swedbank', now: '2026-03-12T08:00:00', requested: '2026-03-12', executes: '2026-03-12', why: 'today, before cut-off' },
  { bank: 'swedbank', now: '2026-03-12T10:30:00', requested: '2026-03-12', executes: '2026-03-13', why: 'today, after cut-off' },
  { bank: 'swedbank', now: '2026-03-12T08:00:00', requested: '2026-03-10', executes: '2026-03-12', why: 'a past date: the earliest day' },
  { bank: 'swedbank', now: '2026-03-12T08:00:00', requested: '2026-03-14', executes: '2026-03-16', why: 'a Saturday rolls to Monday' },
  { bank: 'sparbanken', now: '2026-03-12T08:00:00', requested: '2026-04-03', executes: '2026-04-07', why: 'Good Friday rolls past Easter Monday' },
  { bank: 'swedbank', now: '2026-03-12T08:00:00', requested: '2026-03-20', executes: '2026-03-20', why: 'a future bank day stays' },
];

describe('executionDateFor (cut-off rolling)', () => {
  it.each(cutoffRows)('$bank at $now, requested "$requested" → $executes ($why)', ({ bank, now, requested, executes }) => {
    expect(executionDateFor(BANKS[bank], now, requested)).toBe(executes);
  });
});

// Swedbank retries for 3 bank days, Sparbanken for 1; `retries` counts the failed cut-offs so far.
const retryRows: { bank: BankId; retries: number; day: string; outcome: { retryOn: string } | { reject: true } }[] = [
  { bank: 'swedbank', retries: 1, day: '2026-03-12', outcome: { retryOn: '2026-03-13' } },
  { bank: 'swedbank', retries: 2, day: '2026-03-13', outcome: { retryOn: '2026-03-16' } },
  { bank: 'swedbank', retries: 3, day: '2026-03-16', outcome: { retryOn: '2026-03-17' } },
  { bank: 'swedbank', retries: 4, day: '2026-03-17', outcome: { reject: true } },
  { bank: 'sparbanken', retries: 1, day: '2026-04-02', outcome: { retryOn: '2026-04-07' } },
  { bank: 'sparbanken', retries: 2, day: '2026-04-07', outcome: { reject: true } },
];

describe('insufficientFundsOutcome (retry days)', () => {
  it.each(retryRows)('$bank, failure $retries on $day → $outcome', ({ bank, retries, day, outcome }) => {
    expect(insufficientFundsOutcome(BANKS[bank], retries, day)).toEqual(outcome);
  });
});
