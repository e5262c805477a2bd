import { given, scenario, then, when } from '../dsl.ts';

export default scenario({
  name: 'Signed after the cut-off: executed the next bank day',
  tags: ['cut-off', 'clock'],
  start: '2026-03-10T15:00:00',
  steps: [
    given.invoice('A', { amount: '400,00', due: '2026-03-10' }),
    when.send({ sign: 'admin' }),
    when.advanceTo('2026-03-10T23:59:00'),
    then.status('A', 'Received by bank'),
    when.advanceTo('2026-03-11T23:00:00'),
    then.status('A', 'Paid'),
  ],
});
