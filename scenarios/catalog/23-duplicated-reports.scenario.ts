import { given, scenario, then, when } from '../dsl.ts';

export default scenario({
  name: 'Every status report delivered twice: statuses and ledger are unaffected',
  tags: ['faults', 'reports'],
  steps: [
    given.faults([{ match: { reportType: 'pain.002' }, action: { type: 'duplicate-report' } }]),
    given.invoice('A', { amount: '700,00', due: '2026-03-04' }),
    when.send({ sign: 'admin' }),
    when.advanceTo('2026-03-04T23:00:00'),
    then.status('A', 'Paid'),
    then.ledger('1930', '-700,00'),
    then.reportCount('pain.002', 6),
  ],
});
