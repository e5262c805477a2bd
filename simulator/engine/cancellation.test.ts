/** When the back office can still cancel a payment, as a flat table of its status. */
import { describe, expect, it } from 'vitest';
import { cancellationOutcome } from './cancellation.ts';
import type { PaymentStatus } from './model.ts';

const rows: { status: PaymentStatus; executionDate?: string; outcome: ReturnType<typeof cancellationOutcome> }[] = [
  { status: 'RECEIVED', outcome: { cancellable: true } },
  { status: 'AWAITING_SIGNATURE', outcome: { cancellable: true } },
  { status: 'SCHEDULED', executionDate: '2026-03-13', outcome: { cancellable: true } },
  { status: 'EXECUTED', executionDate: '2026-03-12', outcome: { cancellable: false, reason: { code: 'ARDT', message: 'already executed on 2026-03-12' } } },
  { status: 'REJECTED', outcome: { cancellable: false, reason: { code: 'NOOR', message: 'payment is REJECTED' } } },
  { status: 'CANCELLED', outcome: { cancellable: false, reason: { code: 'NOOR', message: 'payment is CANCELLED' } } },
];

describe('cancellationOutcome (cancellation timing)', () => {
  it.each(rows)('$status → $outcome.cancellable', ({ status, executionDate, outcome }) => {
    expect(cancellationOutcome(executionDate === undefined ? { status } : { status, executionDate })).toEqual(outcome);
  });
});
