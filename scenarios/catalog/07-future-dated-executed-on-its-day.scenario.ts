import { given, scenario, then, when } from '../dsl.ts';

export default scenario({
  name: 'A future-dated payment is executed on its day, not before',
  tags: ['future', 'clock'],
  steps: [
    given.invoice('A', { amount: '2 500,00', due: '2026-03-20' }),
    when.send({ sign: 'admin' }),
    when.advanceTo('2026-03-19T23:00:00'),
    then.status('A', 'Received by bank'),
    then.balance({ booked: '500 000,00', reserved: '2 500,00', available: '497 500,00' }),
    when.advanceTo('2026-03-20T12:00:00'),
    then.status('A', 'Paid'),
    then.balance({ booked: '497 500,00', reserved: '0' }),
  ],
});
