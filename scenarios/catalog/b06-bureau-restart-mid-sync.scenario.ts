import { scenario } from '../dsl.ts';
import { bureau } from '../bureau-dsl.ts';

const { given, when, then } = bureau;

export default scenario({
  name: "Bureau: the bureau's program restarted mid-sync resumes from its cursor; nothing booked twice",
  tags: ['bureau', 'reliability'],
  banks: ['swedbank'],
  steps: [
    given.collaboration(),
    given.customer('Acme', { name: 'Acme AB' }),
    ...Array.from({ length: 12 }, (_, i) => when.invoice(`${1001 + i}`, { customer: 'Acme', lines: [{ text: `Rad ${i}`, qty: 1, price: '100,00', vat: 25 }] })),
    when.sync({ pageSize: 4, stopAfterPages: 2 }),
    then.lastSync({ applied: 8, vouchers: 7 }),
    when.restartBureau(),
    when.sync({ pageSize: 4 }),
    then.lastSync({ applied: 5, vouchers: 5, skipped: 0 }),
    then.bookedOnce(),
    then.ledger({ '1510': '1 500,00', '3001': '-1 200,00', '2611': '-300,00' }),
  ],
});
