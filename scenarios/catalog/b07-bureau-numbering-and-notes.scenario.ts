import { scenario } from '../dsl.ts';
import { bureau } from '../bureau-dsl.ts';

const { given, when, then } = bureau;

export default scenario({
  name: "Bureau: numbering continues from the previous program's next number; notes pass both ways with unread state",
  tags: ['bureau', 'notes'],
  banks: ['swedbank'],
  steps: [
    given.collaboration({ nextInvoiceNumber: 1001 }),
    when.setNextInvoiceNumber(5000),
    given.customer('Acme', { name: 'Acme AB' }),
    when.invoice('5000', { customer: 'Acme', lines: [{ text: 'Konsult', qty: 1, price: '100,00', vat: 12 }] }),
    when.customerNote('Fakturorna från det gamla programmet slutar på 4999'),
    when.sync(),
    then.invoiceNumbers([5000]),
    then.bureauUnread(1),
    when.bureauReadsNotes(),
    then.bureauUnread(0),
  ],
});
