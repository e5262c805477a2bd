/** `npm run bench`: every benchmark, each printing its figures and ratios against a baseline measured in the same run. */
import { benchBankgirot, benchMemory, benchPain001 } from './formats.ts';

const section = (title: string) => console.log(`\n== ${title}`);
section('formats: pain.001 parse+validate vs decode + raw saxes tokenize (median of 7 interleaved pairs)');
console.log(benchPain001([1_000, 10_000, 100_000], 7));
console.log(benchMemory());
section('formats: Bankgirot fixed-width parse+validate (median of 5)');
console.log(benchBankgirot(5));
