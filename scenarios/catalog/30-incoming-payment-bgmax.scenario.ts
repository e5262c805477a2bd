import { scenario, then, when } from '../dsl.ts';

export default scenario({
  name: "A customer pays the company's bankgiro with an OCR: camt.054 credit and the day's BgMax file",
  tags: ['incoming', 'bgmax'],
  steps: [
    when.incomingPayment('15 250,00', '1234574'),
    then.balance({ booked: '515 250,00' }),
    when.advanceTo('2026-03-02T23:59:59'),
    then.reportsReceived(['camt.054', 'bgmax', 'camt.053']),
  ],
});
