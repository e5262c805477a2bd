import { scenario } from '../dsl.ts';
import { bureau } from '../bureau-dsl.ts';

const { given, when, then } = bureau;

export default scenario({
  name: 'Bureau: a scanned supplier invoice with a comment becomes voucher A 1; the customer sees the status and a notification',
  tags: ['bureau', 'documents'],
  banks: ['swedbank'],
  steps: [
    given.collaboration(),
    when.scan('kontorsmaterial', { kind: 'supplier-invoice', comment: 'Pennor och papper' }),
    when.sync(),
    when.registerDocument('kontorsmaterial', { total: '1 250,00', vat: '250,00', account: '5460' }),
    then.documentStatus('kontorsmaterial', 'registered as voucher A 1'),
    then.customerNotification('document kontorsmaterial.pdf registered as voucher A 1', { unread: true }),
    then.ledger({ '5460': '1 000,00', '2641': '250,00', '2440': '-1 250,00' }),
    then.vatReport('2026-03-01', '2026-03-31', { '48': '250,00', '49': '-250,00' }),
  ],
});
