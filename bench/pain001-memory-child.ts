/** Child of bench/formats.ts: reads a 100,000-payment file from disk and parses it under a heap cap. */
import { readFileSync } from 'node:fs';
import { DEFAULT_PAIN001_RULES, parsePain001 } from '../formats/pain001/index.ts';

const file = process.argv[2];
if (!file) throw new Error('usage: pain001-memory-child FILE');
const bytes = readFileSync(file);
const start = performance.now();
const result = parsePain001(bytes, { rules: DEFAULT_PAIN001_RULES });
const ms = performance.now() - start;
if (!result.ok) throw new Error('invalid');
const payments = result.value.paymentInformation.reduce((n, p) => n + p.transactions.length, 0);
console.log(`${payments} payments (${(bytes.length / 1e6).toFixed(0)} MB) parsed+validated in ${ms.toFixed(0)} ms; peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB (file bytes and model included)`);
