import { given, scenario, then, when } from '../dsl.ts';

export default scenario({
  name: 'Status reports delayed one bank day: the invoice stays Sent until the report arrives',
  tags: ['faults', 'reports'],
  steps: [
    given.faults([{ match: { reportType: 'pain.002' }, action: { type: 'delay-report', bankDays: 1 } }]),
    given.invoice('A', { amount: '100,00', due: '2026-03-10' }),
    when.send(),
    then.status('A', 'Sent'),
    when.advanceTo('2026-03-03T07:00:00'),
    then.status('A', 'Received by bank'),
  ],
});
