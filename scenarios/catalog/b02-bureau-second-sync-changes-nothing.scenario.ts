import { scenario } from '../dsl.ts';
import { bureau } from '../bureau-dsl.ts';

const { given, when, then } = bureau;

export default scenario({
  name: 'Bureau: a second sync changes nothing; an invoice issued later is the only change of the third',
  tags: ['bureau'],
  banks: ['swedbank'],
  steps: [
    given.collaboration(),
    given.customer('Acme', { name: 'Acme AB' }),
    when.invoice('1001', { customer: 'Acme', lines: [{ text: 'Konsult', qty: 2, price: '950,00', vat: 25 }] }),
    when.sync(),
    then.lastSync({ applied: 2, vouchers: 1 }),
    when.sync(),
    then.lastSync({ applied: 0, vouchers: 0, skipped: 0 }),
    when.invoice('1002', { customer: 'Acme', lines: [{ text: 'Bok', qty: 1, price: '249,00', vat: 6 }] }),
    when.sync(),
    then.lastSync({ applied: 1, vouchers: 1 }),
    then.ledger({ '1510': '2 638,94', '3001': '-1 900,00', '2611': '-475,00', '3003': '-249,00', '2631': '-14,94' }),
    then.bookedOnce(),
  ],
});
