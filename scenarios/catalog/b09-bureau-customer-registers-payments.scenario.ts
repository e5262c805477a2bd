import { scenario, when as bank } from '../dsl.ts';
import { bureau } from '../bureau-dsl.ts';

const { given, when, then } = bureau;

export default scenario({
  name: "Bureau: the customer registers incoming payments — booked by the bureau once, dunning skips paid invoices, the bank's BgMax refused to the bureau",
  tags: ['bureau', 'payments'],
  banks: ['swedbank'],
  steps: [
    given.collaboration({ paymentsBy: 'customer' }),
    given.customer('Acme', { name: 'Acme AB', terms: 10 }),
    when.invoice('1001', { customer: 'Acme', lines: [{ text: 'Konsult', qty: 1, price: '800,00', vat: 25 }] }),
    when.invoice('1002', { customer: 'Acme', lines: [{ text: 'Konsult', qty: 1, price: '800,00', vat: 25 }] }),
    when.customerPays('1001', '1 000,00'),
    when.sync(),
    when.sync(),
    then.paid('1001', '1 000,00'),
    then.ledger({ '1930': '1 000,00', '1510': '1 000,00' }),
    when.dunning('2026-03-20'),
    then.noNotification('invoice 1001 reminded'),
    then.customerNotification('invoice 1002 reminded', { unread: true }),
    when.bankPayments([{ invoice: '1002', amount: '1 000,00' }]),
    bank.advanceTo('2026-03-02T23:59:59'),
    when.readBgMaxFromBank(),
    then.refusedNaming('customer registers incoming payments'),
    then.ledger({ '1930': '1 000,00', '1510': '1 000,00' }),
  ],
});
