import { scenario, then, when } from '../dsl.ts';

export default scenario({
  name: 'A payment to an invalid bankgiro is rejected at the bank; the rest of the file stands (PART)',
  tags: ['rejection', 'validation'],
  steps: [
    when.uploadRawFile('F', 'one-bad-payment'),
    then.bankFile('F', 'PARTIALLY_ACCEPTED', 'AC01'),
    then.reportsReceived(['pain.002']),
  ],
});
