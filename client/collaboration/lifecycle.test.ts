/**
 * The collaboration's lifecycle as flat table rows driven by the (simulated) clock: each row
 * is a time, an action, and what must hold after it.
 */
import { describe, expect, it } from 'vitest';
import { activate, addUser, billing, buyLicences, changeRecipient, permits, recipientOn, terminate, type CollaborationLifecycle, type LifecycleResult } from './lifecycle.ts';

type Step = [at: string, act: (lc: CollaborationLifecycle | undefined, at: string) => LifecycleResult<CollaborationLifecycle>, expectation: string | ((lc: CollaborationLifecycle) => void)];

/** Runs the rows; a string expectation is the error code that row must be refused with (state unchanged). */
function run(steps: Step[]): CollaborationLifecycle {
  let lc: CollaborationLifecycle | undefined;
  for (const [at, act, expectation] of steps) {
    const result = act(lc, at);
    if (typeof expectation === 'string') {
      expect(result.ok ? 'ok' : result.code, `${at}`).toBe(expectation);
      continue;
    }
    if (!result.ok) throw new Error(`${at}: ${result.code} ${result.message}`);
    lc = result.value;
    expectation(lc);
  }
  if (!lc) throw new Error('no lifecycle');
  return lc;
}

const need = (lc: CollaborationLifecycle | undefined) => {
  if (!lc) throw new Error('not activated');
  return lc;
};
const BUREAU = 'bureau:Redovisningsbyrån AB';
const ADMIN = 'customer-admin:anna@kund';

describe('collaboration lifecycle', () => {
  it('a recipient change mid-period applies from the next period start, never before', () => {
    const lc = run([
      ['2026-01-15T10:00:00', (lc, at) => activate(lc, { collaborationId: 'collab_000001', recipient: 'bureau', period: 'quarterly', nextInvoiceNumber: 5001 }, at, BUREAU), (lc) => {
        expect(lc.start).toBe('2026-01-01');
        expect(lc.nextInvoiceNumber).toBe(5001);
      }],
      ['2026-02-20T09:30:00', (lc, at) => changeRecipient(need(lc), 'customer', at, BUREAU), (lc) => {
        expect(recipientOn(lc, '2026-02-20')).toBe('bureau');
        expect(recipientOn(lc, '2026-03-31')).toBe('bureau');
        expect(recipientOn(lc, '2026-04-01')).toBe('customer');
      }],
      ['2026-02-21T09:00:00', (lc, at) => changeRecipient(need(lc), 'customer', at, BUREAU), 'RECIPIENT_UNCHANGED'],
      // Changing back before the new period began cancels the scheduled change.
      ['2026-03-31T23:59:00', (lc, at) => changeRecipient(need(lc), 'bureau', at, BUREAU), (lc) => expect(recipientOn(lc, '2026-04-01')).toBe('bureau')],
      ['2026-04-01T00:00:01', (lc, at) => changeRecipient(need(lc), 'customer', at, BUREAU), (lc) => {
        expect(recipientOn(lc, '2026-06-30')).toBe('bureau');
        expect(recipientOn(lc, '2026-07-01')).toBe('customer');
      }],
    ]);
    expect(billing(lc, '2026-07-15').map((p) => [p.from, p.to, p.recipient, p.amountOre])).toEqual([
      ['2026-01-01', '2026-03-31', 'bureau', 1 * 109_00 * 3],
      ['2026-04-01', '2026-06-30', 'bureau', 1 * 109_00 * 3],
      ['2026-07-01', '2026-09-30', 'customer', 1 * 109_00 * 3],
    ]);
    expect(lc.audit.map((a) => [a.at, a.who, a.action])).toEqual([
      ['2026-01-15T10:00:00', BUREAU, 'activated'],
      ['2026-02-20T09:30:00', BUREAU, 'recipient-change-scheduled'],
      ['2026-03-31T23:59:00', BUREAU, 'recipient-change-scheduled'],
      ['2026-04-01T00:00:01', BUREAU, 'recipient-change-scheduled'],
    ]);
  });

  it('yearly at 99 SEK per end user and month: a change in March applies from next January', () => {
    const lc = run([
      ['2026-01-10T08:00:00', (lc, at) => activate(lc, { collaborationId: 'c', recipient: 'customer', period: 'yearly', licences: 2 }, at, BUREAU), () => undefined],
      ['2026-01-10T08:05:00', (lc, at) => addUser(need(lc), { username: 'anna', name: 'Anna', kind: 'end-user' }, at, ADMIN), () => undefined],
      ['2026-01-10T08:06:00', (lc, at) => addUser(need(lc), { username: 'bo', name: 'Bo', kind: 'end-user' }, at, ADMIN), () => undefined],
      ['2026-03-03T12:00:00', (lc, at) => changeRecipient(need(lc), 'bureau', at, BUREAU), (lc) => expect(recipientOn(lc, '2026-12-31')).toBe('customer')],
    ]);
    expect(billing(lc, '2027-01-01').map((p) => [p.from, p.recipient, p.endUsers, p.amountOre])).toEqual([
      ['2026-01-01', 'customer', 2, 2 * 99_00 * 12],
      ['2027-01-01', 'bureau', 2, 2 * 99_00 * 12],
    ]);
  });

  it('the licence limit: one end user too many is refused; the bureau\'s staff are not counted; bought users make room', () => {
    const lc = run([
      ['2026-05-02T09:00:00', (lc, at) => activate(lc, { collaborationId: 'c', recipient: 'bureau', period: 'quarterly', licences: 2, prices: { quarterlyOrePerUserMonth: 120_00, yearlyOrePerUserMonth: 100_00 } }, at, BUREAU), () => undefined],
      ['2026-05-02T09:01:00', (lc, at) => addUser(need(lc), { username: 'anna', name: 'Anna', kind: 'end-user' }, at, ADMIN), () => undefined],
      ['2026-05-02T09:02:00', (lc, at) => addUser(need(lc), { username: 'bo', name: 'Bo', kind: 'end-user' }, at, ADMIN), () => undefined],
      ['2026-05-02T09:03:00', (lc, at) => addUser(need(lc), { username: 'cia', name: 'Cia', kind: 'end-user' }, at, ADMIN), 'LICENCE_LIMIT_REACHED'],
      ['2026-05-02T09:04:00', (lc, at) => addUser(need(lc), { username: 'konsult', name: 'Byråns konsult', kind: 'bureau-staff' }, at, BUREAU), () => undefined],
      ['2026-05-02T09:05:00', (lc, at) => buyLicences(need(lc), 1, at, ADMIN), (lc) => expect(lc.licences).toBe(3)],
      ['2026-06-10T10:00:00', (lc, at) => addUser(need(lc), { username: 'cia', name: 'Cia', kind: 'end-user' }, at, ADMIN), () => undefined],
      ['2026-06-10T10:01:00', (lc, at) => addUser(need(lc), { username: 'dan', name: 'Dan', kind: 'end-user' }, at, ADMIN), 'LICENCE_LIMIT_REACHED'],
    ]);
    // Configured price 120 SEK; three end users in the first quarter (Cia from June), the consultant free.
    expect(billing(lc, '2026-06-30')).toEqual([{ from: '2026-05-01', to: '2026-07-31', recipient: 'bureau', endUsers: 3, orePerUserMonth: 120_00, months: 3, amountOre: 3 * 120_00 * 3 }]);
  });

  it.each([
    ['standalone', 'ok', 'ok'],
    ['read-only', 'COLLABORATION_READ_ONLY', 'ok'],
  ] as const)('terminated %s: the bureau is refused COLLABORATION_ENDED; customer writes %s, reads %s', (mode, write, read) => {
    const lc = run([
      ['2026-01-05T09:00:00', (lc, at) => activate(lc, { collaborationId: 'c', recipient: 'bureau', period: 'quarterly' }, at, BUREAU), (lc) => expect(permits(lc, 'bureau-sync').ok).toBe(true)],
      ['2026-08-14T16:00:00', (lc, at) => terminate(need(lc), mode, at, ADMIN), (lc) => expect(lc.termination).toEqual({ at: '2026-08-14T16:00:00', mode })],
      ['2026-08-15T09:00:00', (lc, at) => changeRecipient(need(lc), 'customer', at, BUREAU), 'COLLABORATION_ENDED'],
      ['2026-08-15T09:00:00', (lc, at) => addUser(need(lc), { username: 'x', name: 'X', kind: 'end-user' }, at, ADMIN), 'COLLABORATION_ENDED'],
      ['2026-08-15T09:00:00', (lc, at) => activate(lc, { collaborationId: 'c', recipient: 'bureau', period: 'quarterly' }, at, BUREAU), 'COLLABORATION_ENDED'],
    ]);
    const code = (r: LifecycleResult<true>) => (r.ok ? 'ok' : r.code);
    expect(code(permits(lc, 'bureau-sync'))).toBe('COLLABORATION_ENDED');
    expect(code(permits(lc, 'customer-write'))).toBe(write);
    expect(code(permits(lc, 'customer-read'))).toBe(read);
    expect(billing(lc, '2026-12-31').map((p) => p.from)).toEqual(['2026-01-01', '2026-04-01', '2026-07-01']);
    expect(lc.audit.at(-1)).toMatchObject({ at: '2026-08-14T16:00:00', who: ADMIN, action: 'terminated' });
  });

  it('before activation the bureau is refused NOT_ACTIVATED naming the activation; the customer uses its own program as without a bureau', () => {
    const refused = permits(undefined, 'bureau-sync', 'collab_000007');
    expect(refused).toEqual({ ok: false, code: 'NOT_ACTIVATED', message: expect.stringContaining('collaboration collab_000007 is not activated') });
    expect(refused.ok ? '' : refused.message).toContain('sandbank collaboration activate collab_000007 --recipient bureau|customer --period quarterly|yearly');
    expect(permits(undefined, 'customer-write').ok).toBe(true);
    expect(permits(undefined, 'customer-read').ok).toBe(true);
  });

  it('a change of invoice recipient scheduled after the end is cancelled by the termination, and the audit says so', () => {
    const lc = run([
      ['2026-01-05T09:00:00', (lc, at) => activate(lc, { collaborationId: 'c', recipient: 'bureau', period: 'quarterly' }, at, BUREAU), () => undefined],
      ['2026-02-10T09:00:00', (lc, at) => changeRecipient(need(lc), 'customer', at, BUREAU), (lc) => expect(recipientOn(lc, '2026-04-01')).toBe('customer')],
      ['2026-03-01T09:00:00', (lc, at) => terminate(need(lc), 'read-only', at, ADMIN), () => undefined],
    ]);
    expect(lc.recipients).toEqual([{ from: '2026-01-01', recipient: 'bureau' }]);
    expect(recipientOn(lc, '2026-04-01')).toBe('bureau');
    expect(lc.audit.at(-1)?.detail).toContain('cancelled: the customer as invoice recipient from 2026-04-01');
  });
});
