import { given, scenario, then, when } from '../dsl.ts';

export default scenario({
  name: 'An unsigned file stays pending: nothing is paid, no money moves',
  tags: ['internet-bank'],
  steps: [
    given.invoice('A', { amount: '9 999,00', due: '2026-03-04' }),
    when.send(),
    when.advanceTo('2026-03-31T23:00:00'),
    then.status('A', 'Received by bank'),
    then.bankFile('last', 'AWAITING_SIGNATURE'),
    then.balance({ booked: '500 000,00', reserved: '0' }),
    then.ledger('1930', '0'),
  ],
});
