import { given, scenario, then, when } from '../dsl.ts';

export default scenario({
  name: 'Five wrong two-step codes lock the administrator',
  tags: ['two-step', 'security'],
  banks: ['swedbank'],
  steps: [
    given.invoice('A', { amount: '100,00', due: '2026-03-10' }),
    when.send({ sign: 'admin', code: 'wrong', expectRefusal: true }),
    when.send({ sign: 'admin', code: 'wrong', expectRefusal: true }),
    when.send({ sign: 'admin', code: 'wrong', expectRefusal: true }),
    when.send({ sign: 'admin', code: 'wrong', expectRefusal: true }),
    when.send({ sign: 'admin', code: 'wrong', expectRefusal: true }),
    then.refused(/locked/),
    when.send({ sign: 'admin', expectRefusal: true }),
    then.refused(/locked/),
  ],
});
