import { scenario } from '../dsl.ts';
import { bureau } from '../bureau-dsl.ts';

const { given, when, then } = bureau;

export default scenario({
  name: "Bureau: editing a customer in the bureau's program is refused; the edit made in the invoicing program arrives",
  tags: ['bureau', 'master-data'],
  banks: ['swedbank'],
  steps: [
    given.collaboration(),
    given.customer('Acme', { name: 'Acme AB' }),
    when.sync(),
    when.bureauEditsCustomer('Acme', { name: 'Acme Sverige AB' }),
    then.refusedNaming("invoicing program"),
    then.bureauCustomer('Acme', { name: 'Acme AB' }),
    when.editCustomer('Acme', { name: 'Acme Sverige AB' }),
    when.sync(),
    then.bureauCustomer('Acme', { name: 'Acme Sverige AB' }),
  ],
});
