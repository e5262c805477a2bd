import { scenario, then, when } from '../dsl.ts';

export default scenario({
  name: 'The same message id with other content is rejected as a duplicate (DUPL)',
  tags: ['rejection', 'idempotency'],
  steps: [
    when.uploadRawFile('first', 'valid', { messageId: 'DUP-2026-1', amount: '100,00' }),
    then.bankFile('first', 'AWAITING_SIGNATURE'),
    when.uploadRawFile('second', 'valid', { messageId: 'DUP-2026-1', amount: '999,00' }),
    then.bankFile('second', 'REJECTED', 'DUPL'),
    then.filesAtBank(2),
  ],
});
