import { scenario, then, when } from '../dsl.ts';

export default scenario({
  name: 'A file whose control sum is wrong is rejected as a whole (AM10)',
  tags: ['rejection', 'validation'],
  steps: [
    when.uploadRawFile('F', 'wrong-control-sum'),
    then.bankFile('F', 'REJECTED', 'AM10'),
    then.balance({ reserved: '0' }),
  ],
});
