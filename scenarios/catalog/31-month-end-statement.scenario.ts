import { given, scenario, then, when } from '../dsl.ts';

export default scenario({
  name: 'Month-end: the last camt.053 agrees with the balance after a month of payments and receipts',
  tags: ['statements', 'reports'],
  steps: [
    given.invoice('A', { amount: '12 000,00', due: '2026-03-05' }),
    given.invoice('B', { amount: '8 500,00', due: '2026-03-16' }),
    given.invoice('C', { amount: '4 250,75', due: '2026-03-27' }),
    when.send({ sign: 'admin' }),
    when.incomingPayment('30 000,00', '1234574'),
    when.advanceTo('2026-03-20T12:00:00'),
    when.incomingPayment('1 234,50', 'Faktura 77'),
    when.advanceTo('2026-03-31T23:59:59'),
    then.status('C', 'Paid'),
    then.balance({ booked: '506 483,75' }),
    then.statementMatchesBalance(),
    then.ledger('1930', '-24 750,75'),
  ],
});
