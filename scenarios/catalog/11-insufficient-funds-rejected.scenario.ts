import { given, scenario, then, when } from '../dsl.ts';

export default scenario({
  name: 'Insufficient funds: retried for the bank\'s retry days, then Rejected (AM04)',
  tags: ['funds', 'rejection'],
  balance: '1 000,00',
  steps: [
    given.invoice('A', { amount: '5 000,00', due: '2026-03-03' }),
    when.send({ sign: 'admin' }),
    when.advanceTo('2026-03-03T23:00:00'),
    then.status('A', 'Received by bank'),
    when.advanceTo('2026-03-13T23:00:00'),
    then.status('A', 'Rejected'),
    then.reason('A', 'AM04'),
    then.ledger('1930', '0'),
    then.balance({ booked: '1 000,00', reserved: '0' }),
  ],
});
