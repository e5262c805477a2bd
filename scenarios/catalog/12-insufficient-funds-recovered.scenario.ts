import { given, scenario, then, when } from '../dsl.ts';

export default scenario({
  name: 'Insufficient funds on the day, money arrives before the retries end: Paid',
  tags: ['funds', 'incoming'],
  balance: '1 000,00',
  banks: ['swedbank'],
  steps: [
    given.invoice('A', { amount: '5 000,00', due: '2026-03-03' }),
    when.send({ sign: 'admin' }),
    when.advanceTo('2026-03-03T23:00:00'),
    then.status('A', 'Received by bank'),
    when.incomingPayment('10 000,00', '1234574'),
    when.advanceTo('2026-03-04T23:00:00'),
    then.status('A', 'Paid'),
    then.balance({ booked: '6 000,00' }),
  ],
});
