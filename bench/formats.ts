/**
 * formats/ benchmark: pain.001 parse+validate (every Swedish rule) against a raw saxes tokenize
 * of the same bytes, write time, the 100,000-payment file under a 512 MB heap cap, and
 * LB/BgMax parse throughput.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SaxesParser } from 'saxes';
import { encodeLatin1, parseBgMax, parseLb, withBgMaxTotals, writeBgMax, writeLb, type BgMaxPayment, type LbRecord } from '../formats/bankgirot/index.ts';
import { DEFAULT_PAIN001_RULES, parsePain001, samplePain001, writePain001 } from '../formats/pain001/index.ts';
import { fmt, table, timeMedian, timePairs } from './lib.ts';

/** The baseline: decode the same bytes and tokenize them with saxes, handlers doing nothing. */
export function rawSaxes(bytes: Uint8Array): void {
  const xml = new TextDecoder().decode(bytes);
  const parser = new SaxesParser();
  let count = 0;
  parser.on('opentag', () => void count++);
  parser.on('text', () => void count++);
  parser.on('closetag', () => void count++);
  parser.write(xml).close();
}

export function benchPain001(sizes: readonly number[], runs: number): string {
  const rows: (string | number)[][] = [['payments', 'size', 'write', 'decode+saxes', 'parse+validate', 'throughput vs saxes', 'target ≥ 0.5']];
  for (const n of sizes) {
    const doc = samplePain001({ seed: 42, transactions: n, perPaymentInformation: 500 });
    const writeMs = timeMedian(runs, () => writePain001(doc));
    const bytes = Buffer.from(writePain001(doc), 'utf8');
    // Interleaved so that machine noise hits both alike; the ratio is the median of pairs.
    const pairs = timePairs(runs, () => rawSaxes(bytes), () => {
      const result = parsePain001(bytes, { rules: DEFAULT_PAIN001_RULES });
      if (!result.ok) throw new Error(`generated file invalid: ${result.issues[0]?.message}`);
    });
    const saxesMs = pairs.baselineMs;
    const oursMs = pairs.subjectMs;
    const ratio = pairs.ratio;
    rows.push([n, `${(bytes.length / 1e6).toFixed(1)} MB`, fmt(writeMs), fmt(saxesMs), fmt(oursMs), `${ratio.toFixed(2)}×`, ratio >= 0.5 ? 'met' : 'MISSED']);
  }
  return table(rows);
}

/** Parses a 100,000-payment file in a child with --max-old-space-size=512 and reports its peak RSS. */
export function benchMemory(): string {
  const script = fileURLToPath(new URL('./pain001-memory-child.ts', import.meta.url));
  const dir = mkdtempSync(join(tmpdir(), 'sandbank-bench-'));
  const file = join(dir, 'pain001-100k.xml');
  writeFileSync(file, writePain001(samplePain001({ seed: 42, transactions: 100_000, perPaymentInformation: 500 })));
  const run = spawnSync(process.execPath, ['--max-old-space-size=512', '--import', 'tsx', script, file], { encoding: 'utf8' });
  rmSync(dir, { recursive: true, force: true });
  if (run.status !== 0) return `100,000 payments under a 512 MB heap: FAILED (${run.stderr.split('\n').slice(-5).join(' ')})`;
  return `100,000 payments under a 512 MB heap cap: ${run.stdout.trim()}`;
}

export function benchBankgirot(runs: number): string {
  const payments = 50_000;
  const lbRecords: LbRecord[] = [{ type: '11', senderBankgiro: '0005050105', fileDate: '260314', product: 'LEVERANTÖRSBETALNINGAR', paymentDate: '', currency: 'SEK' }];
  let total = 0;
  for (let i = 0; i < payments; i++) {
    lbRecords.push({ type: '14', payee: '0009912346', reference: String(1_000_000 + i), amountOre: 10_000 + i, paymentDate: '260316', information: `Faktura ${i}` });
    total += 10_000 + i;
  }
  lbRecords.push({ type: '29', senderBankgiro: '0005050105', paymentCount: payments, totalOre: total });
  const lb = encodeLatin1(writeLb({ records: lbRecords }));
  const bgPayments: BgMaxPayment[] = [];
  for (let i = 0; i < payments; i++) {
    bgPayments.push({ senderBankgiro: '0009912346', reference: String(1_000_000 + i), referenceAlignment: 'left', amountOre: 10_000, referenceCode: '2', paymentChannel: '1', bgcSerialNumber: String(i), imageFlag: '0', deduction: false, extraReferences: [], information: [], name: 'Kund AB' });
  }
  const bg = encodeLatin1(writeBgMax(withBgMaxTotals({
    version: '01', timestamp: '20260316063012123456', testMarker: 'P',
    sections: [{ payeeBankgiro: '0050501055', payeePlusgiro: '', currency: 'SEK', payments: bgPayments, deposit: { payeeBankAccount: '81059694857993', paymentDate: '2026-03-16', depositSerialNumber: '1', amountOre: 0, currency: 'SEK', paymentCount: 0, depositType: '' } }],
    trailer: { paymentCount: 0, deductionCount: 0, extraReferenceCount: 0, depositCount: 0 },
  })));
  const lbMs = timeMedian(runs, () => { if (!parseLb(lb).ok) throw new Error('LB invalid'); });
  const bgMs = timeMedian(runs, () => { if (!parseBgMax(bg).ok) throw new Error('BgMax invalid'); });
  const mbps = (bytes: number, ms: number) => `${(bytes / 1e6 / (ms / 1000)).toFixed(1)} MB/s`;
  return table([
    ['file', 'records', 'size', 'parse+validate', 'throughput'],
    ['LB', lbRecords.length, `${(lb.length / 1e6).toFixed(1)} MB`, fmt(lbMs), mbps(lb.length, lbMs)],
    ['BgMax', payments + 5, `${(bg.length / 1e6).toFixed(1)} MB`, fmt(bgMs), mbps(bg.length, bgMs)],
  ]);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log('pain.001 parse+validate vs raw saxes (median of 5)\n' + benchPain001([1_000, 10_000, 100_000], 5));
  console.log(benchMemory());
  console.log('\nBankgirot fixed-width (median of 5)\n' + benchBankgirot(5));
}
