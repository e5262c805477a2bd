/**
 * Invariants of a sandbox, checked after every operation in tests: money never appears or
 * vanishes, each executed payment is booked exactly once, statuses only move forward.
 */
import type { Engine } from './bank.ts';
import type { PaymentStatus } from './model.ts';

const RANK: Record<string, number> = { RECEIVED: 0, AWAITING_SIGNATURE: 1, SCHEDULED: 2, REJECTED: 3, EXECUTED: 3, CANCELLED: 3 };
const TERMINAL = new Set<PaymentStatus>(['REJECTED', 'EXECUTED', 'CANCELLED']);

export async function checkInvariants(engine: Engine, sandboxId: string): Promise<string[]> {
  const snap = await engine.snapshot(sandboxId);
  if (!snap) return [`sandbox ${sandboxId} not found`];
  const problems: string[] = [];
  const { core, payments, entries, files } = snap;
  for (const account of core.accounts) {
    const net = entries.filter((e) => e.accountId === account.id).reduce((s, e) => s + (e.creditDebit === 'CRDT' ? e.amountOre : -e.amountOre), 0);
    if (account.openingBalanceOre + net !== account.bookedOre) problems.push(`${account.id}: booked ${account.bookedOre} ≠ opening ${account.openingBalanceOre} + entries ${net}`);
  }
  const debitsByPayment = new Map<string, number>();
  for (const e of entries) if (e.paymentId) debitsByPayment.set(e.paymentId, (debitsByPayment.get(e.paymentId) ?? 0) + 1);
  for (const p of payments) {
    const booked = debitsByPayment.get(p.id) ?? 0;
    if (p.status === 'EXECUTED' && booked !== 1) problems.push(`${p.id}: executed but booked ${booked} time(s)`);
    if (p.status !== 'EXECUTED' && booked !== 0) problems.push(`${p.id}: ${p.status} but booked ${booked} time(s)`);
    const entry = entries.find((e) => e.paymentId === p.id);
    if (entry && (entry.amountOre !== p.amountOre || entry.creditDebit !== 'DBIT')) problems.push(`${p.id}: booked as ${entry.creditDebit} ${entry.amountOre}, payment is ${p.amountOre}`);
    let rank = -1;
    let terminal = false;
    for (const h of p.history) {
      const r = RANK[h.status];
      if (r === undefined) continue;
      if (terminal) problems.push(`${p.id}: status ${h.status} after a final status`);
      if (r < rank) problems.push(`${p.id}: status went back to ${h.status}`);
      rank = Math.max(rank, r);
      if (TERMINAL.has(h.status as PaymentStatus)) terminal = true;
    }
    if (p.status === 'SCHEDULED' && !p.executionDate) problems.push(`${p.id}: scheduled without an execution date`);
  }
  for (const f of files) {
    if (f.status === 'RECEIVED') continue;
    if (f.payments.length !== f.numberOfTransactions) problems.push(`${f.id}: ${f.payments.length} payments, NbOfTxs ${f.numberOfTransactions}`);
    const sum = f.payments.reduce((s, p) => s + p.amountOre, 0);
    if (sum !== f.controlSumOre) problems.push(`${f.id}: payments sum ${sum}, control sum ${f.controlSumOre}`);
  }
  const opening = core.accounts.reduce((s, a) => s + a.openingBalanceOre, 0);
  const booked = core.accounts.reduce((s, a) => s + a.bookedOre, 0);
  const paidOut = payments.filter((p) => p.status === 'EXECUTED').reduce((s, p) => s + p.amountOre, 0);
  const paidIn = entries.filter((e) => e.creditDebit === 'CRDT').reduce((s, e) => s + e.amountOre, 0);
  if (opening - paidOut + paidIn !== booked) problems.push(`money not conserved: opening ${opening} − paid out ${paidOut} + paid in ${paidIn} ≠ booked ${booked}`);
  return problems;
}
