import { scenario, when as bank } from '../dsl.ts';
import { bureau } from '../bureau-dsl.ts';
import { generateOcr } from '../../formats/identifiers/ocr.ts';

const { given, when, then } = bureau;
const unknown = generateOcr('4711');

export default scenario({
  name: "Bureau: the bureau registers incoming payments from the bank's BgMax — full, partial, over, unknown, TK22/TK23, deduction; the same file twice books once; the customer's own registration refused",
  tags: ['bureau', 'payments', 'bgmax'],
  banks: ['swedbank'],
  steps: [
    given.collaboration({ paymentsBy: 'bureau' }),
    given.customer('Acme', { name: 'Acme AB' }),
    ...['1001', '1002', '1003', '1004', '1005', '1006', '1007'].map((n) => when.invoice(n, { customer: 'Acme', lines: [{ text: 'Konsult', qty: 1, price: '800,00', vat: 25 }] })),
    when.sync(),
    when.bankPayments([
      { invoice: '1001', amount: '1 000,00' },
      { invoice: '1002', amount: '400,00' },
      { invoice: '1003', amount: '1 100,00' },
      { ocr: unknown, amount: '55,00' },
      // 1 800,00 = 1 000,00 on 1004 + 1 000,00 on 1005 (TK22) − 200,00 set off against 1006 (TK23)
      { invoice: '1004', amount: '1 800,00', extra: [{ invoice: '1005', amount: '1 000,00' }, { invoice: '1006', amount: '200,00', negative: true }] },
      { invoice: '1007', amount: '50,00', deduction: '0', payer: 'Berits Garn' },
    ]),
    bank.advanceTo('2026-03-02T23:59:59'),
    when.readBgMaxFromBank(),
    then.lastRead({ files: 1, booked: 5, unmatched: 3 }),
    then.paid('1001', '1 000,00'), then.paid('1002', '400,00'), then.paid('1003', '1 000,00'), then.paid('1004', '1 000,00'), then.paid('1005', '1 000,00'), then.paid('1006', '0'), then.paid('1007', '0'),
    then.unmatched(['unknown-reference', 'negative-reference', 'deduction']),
    then.ledger({ '1930': '4 305,00', '1510': '2 600,00', '2420': '-100,00', '2890': '195,00' }),
    when.readBgMaxFromBank(),
    then.lastRead({ files: 1, booked: 0, unmatched: 0, alreadyRead: 8 }),
    then.ledger({ '1930': '4 305,00', '1510': '2 600,00' }),
    when.assignUnmatched(unknown, '1006'),
    then.paid('1006', '55,00'),
    then.unmatched(['negative-reference', 'deduction']),
    then.paymentsOnce(8),
    when.customerPays('1002', '600,00'),
    then.refusedNaming('who registers incoming payments'),
  ],
});
