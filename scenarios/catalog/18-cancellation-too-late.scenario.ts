import { given, scenario, then, when } from '../dsl.ts';

export default scenario({
  name: 'A cancellation after execution is refused (ARDT) and the payment stands',
  tags: ['cancellation'],
  steps: [
    given.invoice('A', { amount: '600,00', due: '2026-03-03' }),
    when.send({ sign: 'admin' }),
    when.advanceTo('2026-03-03T23:00:00'),
    then.status('A', 'Paid'),
    when.cancel('A'),
    then.status('A', 'Paid'),
    then.reason('A', 'ARDT'),
    then.ledger('1930', '-600,00'),
  ],
});
