import { given, scenario, then, when } from '../dsl.ts';

export default scenario({
  name: 'Send and sign with a wrong two-step code is refused; nothing is sent',
  tags: ['two-step', 'security'],
  banks: ['swedbank'],
  steps: [
    given.invoice('A', { amount: '100,00', due: '2026-03-10' }),
    when.send({ sign: 'admin', code: 'wrong', expectRefusal: true }),
    then.refused(/wrong verification code/),
    then.status('A', 'Posted'),
    then.filesAtBank(0),
  ],
});
