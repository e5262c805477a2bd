/**
 * After a crash and a restart: every executed payment has its booking's reports (a pain.002
 * line ACSC and a camt.054 entry) and its EXECUTED event, exactly once; a payment not executed
 * has none of them. Works on plain data, so in-process and over-HTTP tests share it.
 */
export interface CompletenessInput {
  payments: { paymentId: string; endToEndId: string; status: string }[];
  reports: { type: string; body: string }[];
  events: { type: string; data: Record<string, unknown> }[];
}

function count(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

export function completenessProblems(input: CompletenessInput): string[] {
  const acsc = new Map<string, number>();
  const camt054 = new Map<string, number>();
  const executedEvents = new Map<string, number>();
  for (const report of input.reports) {
    if (report.type === 'pain.002') {
      for (const block of report.body.match(/<TxInfAndSts>[\s\S]*?<\/TxInfAndSts>/g) ?? []) {
        const e2e = /<OrgnlEndToEndId>([^<]*)</.exec(block)?.[1];
        if (e2e !== undefined && /<TxSts>ACSC</.test(block)) count(acsc, e2e);
      }
    } else if (report.type === 'camt.054') {
      for (const m of report.body.matchAll(/<EndToEndId>([^<]*)</g)) count(camt054, m[1] as string);
    }
  }
  for (const event of input.events) {
    if (event.type === 'payment.status_changed' && event.data['status'] === 'EXECUTED') count(executedEvents, String(event.data['paymentId']));
  }
  const problems: string[] = [];
  for (const p of input.payments) {
    const expected = p.status === 'EXECUTED' ? 1 : 0;
    const seen = { 'pain.002 ACSC': acsc.get(p.endToEndId) ?? 0, 'camt.054': camt054.get(p.endToEndId) ?? 0, 'EXECUTED event': executedEvents.get(p.paymentId) ?? 0 };
    for (const [what, n] of Object.entries(seen)) if (n !== expected) problems.push(`${p.paymentId} (${p.status}): ${what} ${n} time(s), expected ${expected}`);
  }
  return problems;
}
