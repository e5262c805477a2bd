import { given, scenario, then, when } from '../dsl.ts';

export default scenario({
  name: 'Without two-step integration: "Received by bank", then signed in the internet bank',
  tags: ['internet-bank'],
  steps: [
    given.invoice('A', { amount: '750,00', due: '2026-03-06' }),
    when.send(),
    then.bankFile('last', 'AWAITING_SIGNATURE'),
    then.status('A', 'Received by bank'),
    when.signInInternetBank(),
    then.bankFile('last', 'SIGNED'),
    when.advanceTo('2026-03-06T23:00:00'),
    then.status('A', 'Paid'),
  ],
});
