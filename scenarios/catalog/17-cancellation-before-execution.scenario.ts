import { given, scenario, then, when } from '../dsl.ts';

export default scenario({
  name: 'A future-dated payment is cancelled the day before: Request sent, then Payment cancelled',
  tags: ['cancellation'],
  steps: [
    given.invoice('A', { amount: '3 000,00', due: '2026-03-20' }),
    when.send({ sign: 'admin' }),
    then.ledger('1930', '-3 000,00'),
    when.advanceTo('2026-03-19T12:00:00'),
    when.cancel('A'),
    then.status('A', 'Payment cancelled'),
    then.ledger('1930', '0'),
    when.advanceTo('2026-03-31T23:00:00'),
    then.balance({ booked: '500 000,00', reserved: '0' }),
    then.reportsReceived(['camt.029']),
  ],
});
