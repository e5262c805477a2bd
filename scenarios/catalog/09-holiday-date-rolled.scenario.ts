import { given, scenario, then, when } from '../dsl.ts';

export default scenario({
  name: 'Due on Good Friday: paid on the Tuesday after Easter Monday',
  tags: ['calendar'],
  start: '2026-03-30T08:00:00',
  steps: [
    given.invoice('A', { amount: '1 000,00', due: '2026-04-03' }),
    when.send({ sign: 'admin' }),
    then.paymentDate('A', '2026-04-07'),
    when.advanceTo('2026-04-06T23:00:00'),
    then.status('A', 'Received by bank'),
    when.advanceTo('2026-04-07T23:00:00'),
    then.status('A', 'Paid'),
  ],
});
