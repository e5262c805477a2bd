import { given, scenario, then, when } from '../dsl.ts';

export default scenario({
  name: 'Send each invoice when posted: every invoice becomes its own file',
  tags: ['settings'],
  sendEachWhenPosted: true,
  steps: [
    given.invoice('A', { amount: '100,00', due: '2026-03-10' }),
    given.invoice('B', { amount: '200,00', due: '2026-03-11' }),
    then.status('A', 'Received by bank'),
    then.status('B', 'Received by bank'),
    then.filesAtBank(2),
  ],
});
