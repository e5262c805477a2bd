import { scenario, when as bank } from '../dsl.ts';
import { bureau } from '../bureau-dsl.ts';
import { generateOcr } from '../../formats/identifiers/ocr.ts';

const { given, when, then } = bureau;
const unknown = generateOcr('4711');
// The credit invoice K1 gets the next number after 1001–1003: its OCR is what the payer names.
const creditOcr = generateOcr('1004');

export default scenario({
  name: "Bureau: what waits for a person is resolved — an unknown payment kept as the customer's credit and applied to an invoice later; a TK21 deduction and a TK23 part set off against the customer's credit invoice; 2420 and 2890 end at zero, both programs show the same open amounts",
  tags: ['bureau', 'payments', 'bgmax'],
  banks: ['swedbank'],
  steps: [
    given.collaboration({ paymentsBy: 'bureau' }),
    given.customer('Acme', { name: 'Acme AB' }),
    ...['1001', '1002', '1003'].map((n) => when.invoice(n, { customer: 'Acme', lines: [{ text: 'Konsult', qty: 1, price: '800,00', vat: 25 }] })),
    when.sync(),
    when.bankPayments([{ invoice: '1001', amount: '1 000,00' }, { ocr: unknown, amount: '300,00', payer: 'Acme AB' }]),
    bank.advanceTo('2026-03-02T23:59:59'),
    when.readBgMaxFromBank(),
    then.unmatched(['unknown-reference']),
    when.assignToCustomer(unknown, 'Acme'),
    then.customerCredit('Acme', '300,00'),
    then.ledger({ '1930': '1 300,00', '2420': '-300,00', '2890': '0,00' }),
    when.applyCredit('Acme', '1002'),
    then.open('1002', '700,00'),
    then.customerCredit('Acme', '0,00'),
    when.credit('K1', '1001', '2026-03-03'),
    when.sync(),
    then.open('K1', '-1 000,00'),
    // The next bank day the payer sets the credit note off: 800,00 as a deduction, 200,00 as a TK23 part of its payment of 1002.
    bank.advanceTo('2026-03-03T08:00:00'),
    when.bankPayments([
      { invoice: '1003', amount: '1 000,00' },
      { invoice: 'K1', amount: '800,00', deduction: '1', payer: 'Acme AB' },
      { invoice: '1002', amount: '500,00', extra: [{ invoice: 'K1', amount: '200,00', negative: true }] },
    ]),
    bank.advanceTo('2026-03-03T23:59:59'),
    when.readBgMaxFromBank(),
    then.unmatched(['deduction', 'negative-reference']),
    then.open('1002', '0,00'),
    when.assignUnmatched(creditOcr, 'K1'),
    then.open('K1', '-200,00'),
    when.assignUnmatched(creditOcr, 'K1'),
    then.open('K1', '0,00'),
    then.unmatched([]),
    then.ledger({ '1930': '2 000,00', '1510': '0,00', '2420': '0,00', '2890': '0,00' }),
    // 6 from the two files and the credit application; the assignments move what was booked.
    then.paymentsOnce(7),
  ],
});
