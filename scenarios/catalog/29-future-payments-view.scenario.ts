import { given, scenario, then, when } from '../dsl.ts';

export default scenario({
  name: 'Show future payments: the payments sent with a future date and the primary account balance',
  tags: ['future'],
  steps: [
    given.invoice('A', { amount: '1 000,00', due: '2026-03-03' }),
    given.invoice('B', { amount: '2 000,00', due: '2026-03-18' }),
    given.invoice('C', { amount: '3 000,00', due: '2026-03-25' }),
    when.send({ sign: 'admin' }),
    when.advanceTo('2026-03-03T23:00:00'),
    then.futurePayments(['B', 'C']),
    then.balance({ booked: '499 000,00', reserved: '5 000,00', available: '494 000,00' }),
  ],
});
