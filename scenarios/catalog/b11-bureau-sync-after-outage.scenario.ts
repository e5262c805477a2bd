import { scenario, when as bank } from '../dsl.ts';
import { bureau } from '../bureau-dsl.ts';

const { given, when, then } = bureau;

export default scenario({
  name: 'Bureau: the invoicing service is down, then up — the bureau books nothing meanwhile and catches up after: invoices, the BgMax payments and the reminders it queued, each once',
  tags: ['bureau', 'payments', 'bgmax', 'reliability'],
  banks: ['swedbank'],
  steps: [
    given.collaboration({ paymentsBy: 'bureau', outages: true }),
    given.customer('Acme', { name: 'Acme AB', terms: 10 }),
    when.invoice('1001', { customer: 'Acme', lines: [{ text: 'Konsult', qty: 1, price: '800,00', vat: 25 }] }),
    when.sync(),
    when.invoice('1002', { customer: 'Acme', lines: [{ text: 'Konsult', qty: 1, price: '800,00', vat: 25 }] }),
    when.invoice('1003', { customer: 'Acme', lines: [{ text: 'Konsult', qty: 1, price: '400,00', vat: 25 }] }),
    when.bankPayments([{ invoice: '1002', amount: '1 000,00' }, { invoice: '1003', amount: '200,00' }]),
    bank.advanceTo('2026-03-02T23:59:59'),
    when.invoicingDown(),
    when.syncFails(),
    then.refusedNaming('did not answer'),
    when.readBgMaxFromBank(),
    then.refusedNaming('did not answer'),
    // What the bureau does on its own goes on: the reminder waits to be pushed.
    when.dunning('2026-03-20'),
    then.ledger({ '1930': '0', '1510': '1 000,00' }),
    then.noNotification('invoice 1001 reminded'),
    when.invoicingUp(),
    when.sync(),
    // The two invoices, and the reminder pushed at the start of the sync coming back as a note.
    then.lastSync({ applied: 3, vouchers: 2 }),
    then.customerNotification('invoice 1001 reminded', { unread: true }),
    when.readBgMaxFromBank(),
    then.lastRead({ files: 1, booked: 2 }),
    then.paid('1002', '1 000,00'), then.paid('1003', '200,00'),
    then.ledger({ '1930': '1 200,00', '1510': '1 300,00' }),
    when.sync(),
    then.bookedOnce(),
    then.paymentsOnce(2),
  ],
});
