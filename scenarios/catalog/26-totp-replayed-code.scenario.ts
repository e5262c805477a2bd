import { given, scenario, then, when } from '../dsl.ts';

export default scenario({
  name: 'A two-step code cannot be used twice',
  tags: ['two-step', 'security'],
  banks: ['sparbanken'],
  steps: [
    given.invoice('A', { amount: '100,00', due: '2026-03-10' }),
    when.send({ sign: 'admin' }),
    given.invoice('B', { amount: '200,00', due: '2026-03-10' }),
    when.send({ sign: 'admin', code: 'replay', expectRefusal: true }),
    then.refused(/already used/),
    then.status('B', 'Posted'),
  ],
});
