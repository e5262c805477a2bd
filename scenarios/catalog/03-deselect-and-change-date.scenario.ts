import { given, scenario, then, when } from '../dsl.ts';

export default scenario({
  name: 'Proposal: one invoice deselected, one moved to next month',
  tags: ['proposal'],
  steps: [
    given.invoice('A', { amount: '1 000,00', due: '2026-03-10' }),
    given.invoice('B', { amount: '2 000,00', due: '2026-03-10' }),
    given.invoice('C', { amount: '3 000,00', due: '2026-03-10' }),
    when.deselect('B'),
    when.changeDate('C', '2026-04-15'),
    when.send({ sign: 'admin' }),
    then.status('A', 'Received by bank'),
    then.status('B', 'Posted'),
    then.paymentDate('C', '2026-04-15'),
    when.advanceTo('2026-03-31T23:00:00'),
    then.status('A', 'Paid'),
    then.status('C', 'Received by bank'),
    then.futurePayments(['C']),
  ],
});
