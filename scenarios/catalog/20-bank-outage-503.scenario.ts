import { given, scenario, then, when } from '../dsl.ts';

export default scenario({
  name: 'The bank answers 503 twice during the upload; the retry lands exactly one file',
  tags: ['faults', 'idempotency'],
  steps: [
    given.faults([{ match: { endpoint: '/v1/{bank}/payment-files', method: 'POST' }, action: { type: 'http-error', status: 503, times: 2 } }]),
    given.invoice('A', { amount: '100,00', due: '2026-03-10' }),
    when.send(),
    then.filesAtBank(1),
    then.status('A', 'Received by bank'),
  ],
});
