import { scenario } from '../dsl.ts';
import { bureau } from '../bureau-dsl.ts';
import { generateOcr } from '../../formats/identifiers/ocr.ts';

const { given, when, then } = bureau;

export default scenario({
  name: "Bureau: the bureau registers incoming payments from BgMax — full, partial, over, unknown, deduction; the same file twice books once; the customer's own registration refused",
  tags: ['bureau', 'payments', 'bgmax'],
  banks: ['swedbank'],
  steps: [
    given.collaboration({ paymentsBy: 'bureau' }),
    given.customer('Acme', { name: 'Acme AB' }),
    ...['1001', '1002', '1003', '1004'].map((n) => when.invoice(n, { customer: 'Acme', lines: [{ text: 'Konsult', qty: 1, price: '800,00', vat: 25 }] })),
    when.sync(),
    when.bgmaxArrives([{ invoice: '1001', amount: '1 000,00' }, { invoice: '1002', amount: '400,00' }, { invoice: '1003', amount: '1 100,00' }, { ocr: generateOcr('4711'), amount: '55,00' }, { invoice: '1004', amount: '50,00', deduction: true }]),
    then.paid('1001', '1 000,00'), then.paid('1002', '400,00'), then.paid('1003', '1 000,00'), then.paid('1004', '0'),
    then.unmatched(['unknown-reference', 'deduction']),
    then.ledger({ '1930': '2 505,00', '1510': '1 600,00', '2420': '-100,00', '2890': '-5,00' }),
    when.bgmaxArrives([{ invoice: '1001', amount: '1 000,00' }, { invoice: '1002', amount: '400,00' }, { invoice: '1003', amount: '1 100,00' }, { ocr: generateOcr('4711'), amount: '55,00' }, { invoice: '1004', amount: '50,00', deduction: true }]),
    then.ledger({ '1930': '2 505,00', '1510': '1 600,00' }),
    when.customerPays('1002', '600,00'),
    then.refusedNaming('who registers incoming payments'),
  ],
});
