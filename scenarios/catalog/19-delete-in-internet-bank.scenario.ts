import { given, scenario, then, when } from '../dsl.ts';

export default scenario({
  name: 'A future payment deleted in the internet bank shows as Payment cancelled',
  tags: ['cancellation', 'internet-bank'],
  steps: [
    given.invoice('A', { amount: '1 500,00', due: '2026-03-25' }),
    when.send(),
    when.signInInternetBank(),
    when.deleteInInternetBank('A'),
    then.status('A', 'Payment cancelled'),
    then.balance({ reserved: '0' }),
  ],
});
