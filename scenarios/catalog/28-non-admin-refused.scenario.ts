import { given, scenario, then, when } from '../dsl.ts';

export default scenario({
  name: 'Send and sign is for administrators only',
  tags: ['two-step', 'security'],
  steps: [
    given.invoice('A', { amount: '100,00', due: '2026-03-10' }),
    when.send({ sign: 'user', expectRefusal: true }),
    then.refused(/only administrators/),
    then.filesAtBank(0),
  ],
});
