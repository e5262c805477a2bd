import { given, scenario, then, when } from '../dsl.ts';

export default scenario({
  name: "The payee's account is closed: the bank rejects at execution (AC04)",
  tags: ['rejection', 'faults'],
  steps: [
    given.supplier('Stängda AB', { bankgiro: '991-2346' }),
    given.faults([{ match: { creditorAccount: '9912346' }, action: { type: 'reject', reasonCode: 'AC04' } }]),
    given.invoice('A', { amount: '800,00', due: '2026-03-04', supplier: 'Stängda AB' }),
    given.invoice('B', { amount: '200,00', due: '2026-03-04' }),
    when.send({ sign: 'admin' }),
    when.advanceTo('2026-03-04T23:00:00'),
    then.status('A', 'Rejected'),
    then.reason('A', 'AC04'),
    then.status('B', 'Paid'),
    then.ledger('1930', '-200,00'),
  ],
});
