import { given, scenario, then, when } from '../dsl.ts';

export default scenario({
  name: 'Send and sign: an administrator signs in the program with a two-step code',
  tags: ['two-step', 'happy-path'],
  steps: [
    given.invoice('A', { amount: '5 000,00', due: '2026-03-03', ocr: '1234574' }),
    when.send({ sign: 'admin' }),
    then.bankFile('last', 'SIGNED'),
    when.advanceTo('2026-03-03T23:00:00'),
    then.status('A', 'Paid'),
    then.ledger('1930', '-5 000,00'),
  ],
});
