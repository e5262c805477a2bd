import { scenario } from '../dsl.ts';
import { bureau } from '../bureau-dsl.ts';

const { given, when, then } = bureau;

export default scenario({
  name: 'Bureau: dunning follows the clock — not before the due date, once per interval, never a credited invoice',
  tags: ['bureau', 'dunning'],
  banks: ['swedbank'],
  steps: [
    given.collaboration(),
    given.customer('Acme', { name: 'Acme AB', terms: 10 }),
    when.invoice('1001', { customer: 'Acme', lines: [{ text: 'Konsult', qty: 1, price: '1 000,00', vat: 25 }] }),
    when.invoice('1002', { customer: 'Acme', lines: [{ text: 'Konsult', qty: 1, price: '500,00', vat: 25 }] }),
    when.credit('1003', '1002'),
    when.sync(),
    when.dunning('2026-03-12'),
    then.noNotification('invoice 1001 reminded'),
    when.dunning('2026-03-13'),
    then.customerNotification('invoice 1001 reminded (reminder 1', { unread: true }),
    then.noNotification('invoice 1002 reminded'),
    when.dunning('2026-03-20'),
    then.noNotification('invoice 1001 reminded (reminder 2'),
    when.dunning('2026-03-27'),
    then.customerNotification('invoice 1001 reminded (reminder 2', { unread: true }),
  ],
});
