import { scenario } from '../dsl.ts';
import { bureau } from '../bureau-dsl.ts';

const { given, when, then } = bureau;

export default scenario({
  name: 'Bureau: ten invoices from 1001 with mixed VAT and a credit invoice are booked; trial balance and VAT report to the öre',
  tags: ['bureau'],
  banks: ['swedbank'],
  steps: [
    given.collaboration({ nextInvoiceNumber: 1001, round: true }),
    given.customer('Acme', { name: 'Acme AB' }),
    given.customer('Beta', { name: 'Beta HB', terms: 10 }),
    given.article('A1', { name: 'Konsulttimme', price: '950,00', vat: 25 }),
    given.article('A2', { name: 'Livsmedel', price: '129,90', vat: 12 }),
    given.article('A3', { name: 'Bok', price: '249,00', vat: 6 }),
    given.article('A4', { name: 'Porto', price: '12,50', vat: 0 }),
    when.invoice('1001', { customer: 'Acme', lines: [{ article: 'A1', qty: 2 }] }),
    when.invoice('1002', { customer: 'Beta', lines: [{ article: 'A2', qty: 3 }] }),
    when.invoice('1003', { customer: 'Acme', lines: [{ article: 'A3', qty: 1 }] }),
    when.invoice('1004', { customer: 'Acme', lines: [{ article: 'A1', qty: 1 }, { article: 'A2', qty: 1 }, { article: 'A3', qty: 1 }, { article: 'A4', qty: 1 }] }),
    when.invoice('1005', { customer: 'Beta', lines: [{ article: 'A4', qty: 5 }] }),
    when.invoice('1006', { customer: 'Acme', lines: [{ text: 'Resa', qty: 1, price: '333,33', vat: 25 }] }),
    when.invoice('1007', { customer: 'Beta', lines: [{ article: 'A3', qty: 2 }] }),
    when.invoice('1008', { customer: 'Acme', lines: [{ article: 'A2', qty: 4 }] }),
    when.invoice('1009', { customer: 'Beta', lines: [{ article: 'A1', qty: 1 }] }),
    when.credit('1010', '1004'),
    when.sync({ pageSize: 5 }),
    then.invoiceNumbers([1001, 1002, 1003, 1004, 1005, 1006, 1007, 1008, 1009, 1010]),
    then.ledger({ '1510': '5 853,00', '3001': '-3 183,33', '3002': '-909,30', '3003': '-747,00', '3004': '-62,50', '2611': '-795,83', '2621': '-109,11', '2631': '-44,82', '3740': '-1,11' }),
    then.vatReport('2026-03-01', '2026-03-31', { '05': '4 839,63', '10': '795,83', '11': '109,11', '12': '44,82', '42': '62,50', '49': '949,76' }),
    then.bookedOnce(),
  ],
});
