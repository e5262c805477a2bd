import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyCreditor, createPain001Parser, DEFAULT_PAIN001_RULES, parsePain001, samplePain001, writePain001, type CreditorKind } from './index.ts';

const rules = DEFAULT_PAIN001_RULES;
const golden = readFileSync(new URL('./testdata/swedbank-supplier-payments.pain001.03.xml', import.meta.url));

function inPieces(bytes: Uint8Array, cuts: number[]) {
  const parser = createPain001Parser({ rules });
  let from = 0;
  for (const cut of [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b)) {
    parser.write(bytes.subarray(from, cut));
    from = cut;
  }
  parser.write(bytes.subarray(from));
  return parser.close();
}

describe('pain.001 parsed as it arrives (an upload in pieces)', () => {
  it('gives the same model and issues as the whole-file parse, wherever the pieces are cut', () => {
    // Cuts land inside tags, inside multi-byte characters (å, ä, ö in the golden file), anywhere.
    const seed = Date.now() % 100000;
    console.log(`pain.001 streaming property seed=${seed}`);
    const sample = Buffer.from(writePain001(samplePain001({ seed: 11, transactions: 30, perPaymentInformation: 7 })));
    const broken = Buffer.from(golden.toString('utf8').replace('<NbOfTxs>3</NbOfTxs>', '<NbOfTxs>4</NbOfTxs>').replace('<InstdAmt Ccy="SEK">', '<InstdAmt Ccy="SEKK">'));
    for (const bytes of [golden, sample, broken]) {
      const whole = parsePain001(bytes, { rules });
      fc.assert(fc.property(fc.array(fc.nat(), { maxLength: 40 }), (cuts) => {
        expect(inPieces(bytes, cuts)).toEqual(whole);
      }), { seed, numRuns: 40 });
    }
  });

  it('refuses bytes that are not UTF-8 even when the bad sequence is split across pieces', () => {
    const text = golden.toString('utf8');
    const at = text.indexOf('Trävaruhuset') + 3;
    const bad = Buffer.concat([Buffer.from(text.slice(0, at)), Buffer.from([0xc3]), Buffer.from(text.slice(at + 1))]);
    const result = inPieces(bad, [Buffer.byteLength(text.slice(0, at)) + 1]);
    expect(result.ok).toBe(false);
    expect(result.issues.map((i) => i.code)).toEqual(['ENCODING_INVALID']);
  });

  it('refuses a declared encoding other than UTF-8 before parsing anything', () => {
    const latin = Buffer.from(golden.toString('utf8').replace('encoding="UTF-8"', 'encoding="ISO-8859-1"'));
    const result = inPieces(latin, [3, 10, 20]);
    expect(result.issues).toEqual([expect.objectContaining({ code: 'ENCODING_INVALID', value: 'ISO-8859-1' })]);
  });

  it('hands back each transaction\'s creditor as the rules read it, in document order (undefined where unreadable)', () => {
    const sample = writePain001(samplePain001({ seed: 12, transactions: 40, perPaymentInformation: 9 }));
    // One creditor account made unreadable (a bankgiro number with a wrong check digit).
    const broken = sample.replace(/(<CdtrAcct>\s*<Id>\s*<Othr>\s*<Id>)(\d+)(<\/Id>\s*<SchmeNm>\s*<Prtry>BGNR)/, (_, a: string, n: string, b: string) => `${a}${n.slice(0, -1)}${(Number(n.slice(-1)) + 1) % 10}${b}`);
    expect(broken).not.toBe(sample);
    for (const text of [sample, broken]) {
      const creditors: (CreditorKind | undefined)[] = [];
      const parsed = parsePain001(text, { rules, creditors });
      const transactions = parsed.value?.paymentInformation.flatMap((p) => p.transactions) ?? [];
      expect(transactions).toHaveLength(40);
      expect(creditors).toEqual(transactions.map((tx) => {
        const read = classifyCreditor(tx, '');
        return read.ok ? read.value : undefined;
      }));
      if (text === broken) expect(creditors.filter((c) => c === undefined)).toHaveLength(1);
    }
  });
});
