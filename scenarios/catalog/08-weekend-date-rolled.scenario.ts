import { given, scenario, then, when } from '../dsl.ts';

export default scenario({
  name: 'A payment date on a Saturday rolls forward to Monday',
  tags: ['calendar'],
  steps: [
    given.invoice('A', { amount: '300,00', due: '2026-03-14' }),
    when.changeDate('A', '2026-03-14'),
    then.paymentDate('A', '2026-03-16'),
    when.send({ sign: 'admin' }),
    when.advanceTo('2026-03-15T23:00:00'),
    then.status('A', 'Received by bank'),
    when.advanceTo('2026-03-16T12:00:00'),
    then.status('A', 'Paid'),
  ],
});
