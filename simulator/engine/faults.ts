/**
 * Fault injection: rules a test sets on a sandbox (first match wins) that reject payments at
 * execution, delay, drop or duplicate reports, fail HTTP requests or webhook deliveries.
 * Each use of a rule counts a hit.
 */
import type { FaultAction, FaultRule, Payment, ReportType, SandboxCore } from './model.ts';
import { digitsOnly } from './state.ts';

/** Numbers the rules a test sets, with no hits yet. */
export function faultRules(rules: { match: FaultRule['match']; action: FaultAction }[]): FaultRule[] {
  return rules.map((r, i) => ({ id: `flt_${i + 1}`, match: r.match, action: r.action, hits: 0 }));
}

export function matchReportFault(core: SandboxCore, type: ReportType): FaultRule | undefined {
  return core.faults.find((f) => (f.action.type === 'delay-report' || f.action.type === 'drop-report' || f.action.type === 'duplicate-report') && (f.match.reportType === undefined || f.match.reportType === type));
}

/** The reject rule that applies to a payment at execution, if any. */
export function rejectFault(core: SandboxCore, payment: Payment): FaultRule | undefined {
  return core.faults.find((f) => {
    if (f.action.type !== 'reject') return false;
    const m = f.match;
    if (m.creditorAccount !== undefined && digitsOnly(m.creditorAccount) !== digitsOnly(payment.creditor.account) && m.creditorAccount !== payment.creditor.account) return false;
    if (m.endToEndId !== undefined && m.endToEndId !== payment.endToEndId) return false;
    if (m.minAmountOre !== undefined && payment.amountOre < m.minAmountOre) return false;
    if (m.maxAmountOre !== undefined && payment.amountOre > m.maxAmountOre) return false;
    return m.endpoint === undefined || m.endpoint === 'execution';
  });
}

/** The message an ISO reason code is reported with when the rule gives none. */
export function rejectMessage(code: string): string {
  const messages: Record<string, string> = { AC01: 'incorrect account number', AC04: 'closed account number', AC06: 'blocked account', AG01: 'transaction forbidden', AM04: 'insufficient funds', BE01: 'inconsistent with end customer', MS03: 'reason not specified' };
  return messages[code] ?? 'rejected by the bank';
}

/**
 * The first HTTP fault rule matching a request (http-error, latency), counting its use.
 * `times` limits how often an http-error fires, so a client's retry can then succeed.
 */
export function httpFault(core: SandboxCore, request: { endpoint: string; method: string }): FaultAction | undefined {
  for (const rule of core.faults) {
    if (rule.action.type !== 'http-error' && rule.action.type !== 'latency') continue;
    if (rule.match.endpoint !== undefined && rule.match.endpoint !== request.endpoint) continue;
    if (rule.match.method !== undefined && rule.match.method.toUpperCase() !== request.method) continue;
    if (rule.action.type === 'http-error' && rule.action.times !== undefined && rule.hits >= rule.action.times) continue;
    rule.hits++;
    return rule.action;
  }
  return undefined;
}

/** The fail-webhook fault, if one applies (the dispatcher then records a failed attempt). */
export function webhookFault(core: SandboxCore | undefined): { status: number } | undefined {
  const rule = core?.faults.find((f) => f.action.type === 'fail-webhook' && (f.action.times === undefined || f.hits < f.action.times));
  if (!rule || rule.action.type !== 'fail-webhook') return undefined;
  rule.hits++;
  return { status: rule.action.status ?? 500 };
}
