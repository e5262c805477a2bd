import { given, scenario, then, when } from '../dsl.ts';

export default scenario({
  name: 'Status reports dropped: the debit notification (camt.054) still shows the payment Paid',
  tags: ['faults', 'reports'],
  steps: [
    given.faults([{ match: { reportType: 'pain.002' }, action: { type: 'drop-report' } }]),
    given.invoice('A', { amount: '700,00', due: '2026-03-04' }),
    when.send({ sign: 'admin' }),
    then.status('A', 'Sent'),
    when.advanceTo('2026-03-04T23:00:00'),
    then.status('A', 'Paid'),
    then.ledger('1930', '-700,00'),
  ],
});
