/** `npm run bench`: every benchmark, each printing its figures and ratios against a baseline measured in the same run. */
import { benchBankgirot, benchMemory, benchPain001 } from './formats.ts';
import { benchColdStart, benchGetStatus, benchScaling, benchUpload } from './simulator.ts';

const section = (title: string) => console.log(`\n== ${title}`);
section('formats: pain.001 parse+validate vs decode + raw saxes tokenize (median of 7 interleaved pairs)');
console.log(benchPain001([1_000, 10_000, 100_000], 7));
console.log(benchMemory());
section('formats: Bankgirot fixed-width parse+validate (median of 5)');
console.log(benchBankgirot(5));
section('simulator (a): 10,000-payment pain.001 over HTTP until validated, pain.002 produced, all persisted (lowdb)');
console.log(await benchUpload());
section('simulator (b): GET payment-file status vs bare node:http');
console.log(await benchGetStatus());
section('simulator (c): 1,000-payment upload, sandbox with 100,000 payments vs empty (lowdb)');
console.log(await benchScaling());
section('simulator (d): cold start');
console.log(await benchColdStart());
