import { given, scenario, then, when } from '../dsl.ts';

export default scenario({
  name: 'Batch payment: three invoices in one file, signed in the internet bank, paid on their dates',
  tags: ['happy-path', 'internet-bank'],
  steps: [
    given.supplier('Åkeri Östergren', { plusgiro: '90 20 03-3' }),
    given.invoice('A', { amount: '12 500,00', due: '2026-03-04', ocr: '1234574' }),
    given.invoice('B', { amount: '4 890,50', due: '2026-03-05', supplier: 'Åkeri Östergren' }),
    given.invoice('C', { amount: '1 247,00', due: '2026-03-05' }),
    when.send(),
    then.status('A', 'Received by bank'),
    when.signInInternetBank(),
    when.advanceTo('2026-03-05T23:00:00'),
    then.status('A', 'Paid'), then.status('B', 'Paid'), then.status('C', 'Paid'),
    then.balance({ booked: '481 362,50', reserved: '0' }),
    then.ledger('1930', '-18 637,50'),
    then.ledger('2440', '0'),
    then.reportsReceived(['pain.002', 'camt.054', 'camt.053']),
  ],
});
