import { given as bankGiven, scenario, when as bank } from '../dsl.ts';
import { bureau } from '../bureau-dsl.ts';

const { given, when, then } = bureau;

export default scenario({
  name: "Bureau: the bank's reports mailbox is a bank day late with the BgMax file — the bureau reads it when it is there, nothing booked twice",
  tags: ['bureau', 'payments', 'bgmax', 'faults'],
  banks: ['swedbank'],
  steps: [
    bankGiven.faults([{ match: { reportType: 'bgmax' }, action: { type: 'delay-report', bankDays: 1 } }]),
    given.collaboration({ paymentsBy: 'bureau' }),
    given.customer('Acme', { name: 'Acme AB' }),
    when.invoice('1001', { customer: 'Acme', lines: [{ text: 'Konsult', qty: 1, price: '800,00', vat: 25 }] }),
    when.invoice('1002', { customer: 'Acme', lines: [{ text: 'Konsult', qty: 1, price: '800,00', vat: 25 }] }),
    when.sync(),
    when.bankPayments([{ invoice: '1001', amount: '1 000,00' }, { invoice: '1002', amount: '500,00' }]),
    bank.advanceTo('2026-03-02T23:59:59'),
    when.readBgMaxFromBank(),
    then.lastRead({ files: 0, booked: 0 }),
    then.paid('1001', '0'),
    then.ledger({ '1930': '0' }),
    bank.advanceTo('2026-03-03T23:59:59'),
    when.readBgMaxFromBank(),
    then.lastRead({ files: 1, booked: 2 }),
    when.readBgMaxFromBank(),
    then.lastRead({ files: 1, booked: 0, alreadyRead: 2 }),
    then.paid('1001', '1 000,00'), then.paid('1002', '500,00'),
    then.ledger({ '1930': '1 500,00', '1510': '500,00' }),
    then.paymentsOnce(2),
  ],
});
