import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HAS_SHARED } from '../../test/support/shared.ts';
import { xsdErrors } from '../../test/support/xsd.ts';
import { DEFAULT_PAIN001_RULES, parsePain001, samplePain001, writePain001, type Pain001Document } from './index.ts';

const golden = readFileSync(new URL('./testdata/swedbank-supplier-payments.pain001.03.xml', import.meta.url), 'utf8');
const rules = DEFAULT_PAIN001_RULES;

function parsed(xml: string): Pain001Document {
  const result = parsePain001(xml, { rules });
  if (!result.ok) throw new Error(`expected a valid file, got ${JSON.stringify(result.issues, null, 2)}`);
  return result.value;
}

function codes(xml: string): string[] {
  return parsePain001(xml, { rules }).issues.map((i) => i.code);
}

describe('pain.001 golden file (hand-written from the Swedbank guide)', () => {
  it('parses to the expected model', () => {
    const doc = parsed(golden);
    expect(doc.version).toBe('pain.001.001.03');
    expect(doc.groupHeader).toMatchObject({ messageId: 'SB-20260314-0001', numberOfTransactions: '3', controlSum: '18637.50' });
    expect(doc.groupHeader.initiatingParty.organisationId).toEqual({ id: '065565123456B001', schemeCode: 'BANK' });
    const [pmtInf] = doc.paymentInformation;
    expect(pmtInf?.requestedExecutionDate).toBe('2026-03-16');
    expect(pmtInf?.debtorAgent).toEqual({ bic: 'SWEDSESS' });
    expect(pmtInf?.transactions.map((t) => [t.endToEndId, t.amountOre, t.creditor.name])).toEqual([
      ['E2E-INV-1001', 1250000, 'Trävaruhuset i Göteborg AB'],
      ['E2E-INV-1002', 489050, 'Åkeri Östergren'],
      ['E2E-INV-1003', 124700, 'Kontorsmaterial Nilsson'],
    ]);
    expect(pmtInf?.transactions[0]?.structuredRemittance).toEqual([{ creditorReferenceType: 'SCOR', creditorReference: '1234574' }]);
  });

  it('writes back byte-identical XML (the golden file is in the writer\'s own layout)', () => {
    expect(writePain001(parsed(golden))).toBe(golden);
  });

  it('reads bytes as strict UTF-8', () => {
    expect(parsePain001(Buffer.from(golden, 'utf8'), { rules }).ok).toBe(true);
    const latin1 = Buffer.from(golden, 'latin1');
    expect(parsePain001(latin1).issues.map((i) => i.code)).toEqual(['ENCODING_INVALID']);
  });
});

describe('round trip parse → write → parse', () => {
  it.each(['pain.001.001.03', 'pain.001.001.09'] as const)('%s sample documents keep their model', (version) => {
    const doc = samplePain001({ seed: 7, transactions: 60, perPaymentInformation: 25, version });
    const xml = writePain001(doc);
    expect(parsed(xml)).toEqual(doc);
  });

  it('random valid models round-trip (property)', () => {
    const seed = Date.now() % 100000;
    console.log(`pain.001 round-trip property seed=${seed}`);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 }), fc.integer({ min: 1, max: 30 }), fc.boolean(), (s, n, nine) => {
        const doc = samplePain001({ seed: s, transactions: n, perPaymentInformation: 7, version: nine ? 'pain.001.001.09' : 'pain.001.001.03' });
        expect(parsed(writePain001(doc))).toEqual(doc);
      }),
      { seed, numRuns: 60 },
    );
  });
});

describe.skipIf(!HAS_SHARED)('writer output against the official XSDs', () => {
  it.each(['pain.001.001.03', 'pain.001.001.09'] as const)('%s validates', (version) => {
    const xml = writePain001(samplePain001({ seed: 3, transactions: 40, perPaymentInformation: 15, version }));
    expect(xsdErrors(version, xml)).toEqual([]);
  });

  it('the golden file validates', () => {
    expect(xsdErrors('pain.001.001.03', golden)).toEqual([]);
  });
});

describe('invalid inputs, each with its expected issue code', () => {
  const swap = (from: string, to: string) => golden.replace(from, to);
  it.each([
    ['NbOfTxs does not match', swap('<NbOfTxs>3</NbOfTxs>\n      <CtrlSum>18637.50</CtrlSum>\n      <InitgPty>', '<NbOfTxs>4</NbOfTxs>\n      <CtrlSum>18637.50</CtrlSum>\n      <InitgPty>'), 'NB_OF_TXS_MISMATCH'],
    ['CtrlSum does not match', swap('<CtrlSum>18637.50</CtrlSum>\n      <InitgPty>', '<CtrlSum>18637.51</CtrlSum>\n      <InitgPty>'), 'CTRL_SUM_MISMATCH'],
    ['CtrlSum missing', swap('      <CtrlSum>18637.50</CtrlSum>\n      <InitgPty>', '      <InitgPty>'), 'CTRL_SUM_MISSING'],
    ['bankgiro check digit wrong', swap('<Id>50501055</Id>', '<Id>50501056</Id>'), 'BANKGIRO_INVALID'],
    ['plusgiro check digit wrong', swap('<Id>9020033</Id>', '<Id>9020034</Id>'), 'PLUSGIRO_INVALID'],
    ['account check digit wrong', swap('<Id>6948579930</Id>', '<Id>6948579931</Id>'), 'ACCOUNT_INVALID'],
    ['clearing number wrong', swap('<MmbId>81059</MmbId>', '<MmbId>81058</MmbId>'), 'CLEARING_INVALID'],
    ['debtor IBAN wrong', swap('SE9380000810596948579930', 'SE9480000810596948579930'), 'DEBTOR_ACCOUNT_INVALID'],
    ['OCR check digit wrong', swap('<Ref>1234574</Ref>', '<Ref>1234575</Ref>'), 'OCR_INVALID'],
    ['zero amount', swap('>1247.00<', '>0.00<'), 'AMOUNT_NOT_POSITIVE'],
    ['three decimals', swap('>1247.00<', '>1247.005<'), 'AMOUNT_DECIMALS'],
    ['currency not accepted', swap('<InstdAmt Ccy="SEK">1247.00', '<InstdAmt Ccy="USD">1247.00'), 'CURRENCY_NOT_ALLOWED'],
    ['impossible date', swap('<ReqdExctnDt>2026-03-16', '<ReqdExctnDt>2026-02-30'), 'SCHEMA_DATE'],
    ['MsgId longer than 35', swap('SB-20260314-0001</MsgId>', `${'X'.repeat(36)}</MsgId>`), 'SCHEMA_LENGTH'],
    ['EndToEndId longer than 35', swap('E2E-INV-1003', 'E'.repeat(36)), 'SCHEMA_LENGTH'],
    ['character outside the bank\'s set', swap('Kontorsmaterial Nilsson', 'Kontors€material'), 'CHARSET'],
    ['duplicate EndToEndId', swap('E2E-INV-1003', 'E2E-INV-1002'), 'DUPLICATE_END_TO_END_ID'],
    ['cheque payment method', swap('<PmtMtd>TRF</PmtMtd>', '<PmtMtd>CHK</PmtMtd>'), 'PAYMENT_METHOD_NOT_ALLOWED'],
    ['creditor name missing for an account payment', swap('<Cdtr>\n          <Nm>Kontorsmaterial Nilsson</Nm>\n        </Cdtr>', ''), 'NAME_MISSING'],
    ['wrong namespace', swap('pain.001.001.03"', 'pain.001.001.02"'), 'XML_WRONG_NAMESPACE'],
    ['malformed XML', golden.slice(0, 500), 'XML_MALFORMED'],
    ['element out of order', swap('<PmtMtd>TRF</PmtMtd>\n      <NbOfTxs>3</NbOfTxs>', '<NbOfTxs>3</NbOfTxs>\n      <PmtMtd>TRF</PmtMtd>'), 'SCHEMA_UNEXPECTED_ELEMENT'],
    ['required element missing', swap('<PmtMtd>TRF</PmtMtd>', ''), 'SCHEMA_MISSING_ELEMENT'],
    ['unknown attribute', swap('<InstdAmt Ccy="SEK">1247.00', '<InstdAmt Ccy="SEK" Foo="1">1247.00'), 'SCHEMA_UNEXPECTED_ATTRIBUTE'],
    ['text inside a complex element', swap('<PmtId>\n          <EndToEndId>E2E-INV-1002', '<PmtId>oops\n          <EndToEndId>E2E-INV-1002'), 'SCHEMA_UNEXPECTED_TEXT'],
  ])('%s → %s', (_name, xml, code) => {
    expect(codes(xml)).toContain(code);
    expect(parsePain001(xml, { rules }).ok).toBe(false);
  });

  it('reports every problem, not just the first, each with its path and line', () => {
    const xml = swap('<Id>50501055</Id>', '<Id>50501056</Id>').replace('<Ref>1234574</Ref>', '<Ref>1234575</Ref>').replace('>1247.00<', '>0.00<');
    const result = parsePain001(xml, { rules });
    const bankgiro = result.issues.find((i) => i.code === 'BANKGIRO_INVALID');
    expect(bankgiro).toMatchObject({ path: '/Document/CstmrCdtTrfInitn/PmtInf[1]/CdtTrfTxInf[1]/CdtrAcct', value: '50501056' });
    expect(result.issues.find((i) => i.code === 'OCR_INVALID')?.path).toBe('/Document/CstmrCdtTrfInitn/PmtInf[1]/CdtTrfTxInf[1]/RmtInf/Strd[1]/CdtrRefInf/Ref');
    expect(result.issues.map((i) => i.code)).toEqual(expect.arrayContaining(['BANKGIRO_INVALID', 'OCR_INVALID', 'AMOUNT_NOT_POSITIVE', 'CTRL_SUM_MISMATCH']));
    const schemaIssue = parsePain001(swap('<PmtMtd>TRF</PmtMtd>', '')).issues[0];
    expect(schemaIssue?.line).toBeGreaterThan(20);
    expect(schemaIssue?.path).toBe('/Document/CstmrCdtTrfInitn/PmtInf[1]');
  });
});

describe('XML safety', () => {
  it('rejects a DOCTYPE without expanding anything (billion laughs)', () => {
    const lol = `<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"><CstmrCdtTrfInitn><GrpHdr><MsgId>&lol3;</MsgId></GrpHdr></CstmrCdtTrfInitn></Document>`;
    const result = parsePain001(lol);
    expect(result.ok).toBe(false);
    expect(result.issues).toEqual([expect.objectContaining({ code: 'XML_DOCTYPE_FORBIDDEN' })]);
  });

  it('rejects external entities (XXE)', () => {
    const xxe = `<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.03">&x;</Document>`;
    expect(parsePain001(xxe).issues.map((i) => i.code)).toEqual(['XML_DOCTYPE_FORBIDDEN']);
  });

  it('refuses an undeclared entity reference as malformed', () => {
    expect(parsePain001(golden.replace('Fjällbacka Snickeri AB</Nm>', '&foo;</Nm>')).issues.map((i) => i.code)).toEqual(['XML_MALFORMED']);
  });

  it('bounds nesting depth', () => {
    const deep = `<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.03">${'<a>'.repeat(100)}${'</a>'.repeat(100)}</Document>`;
    expect(parsePain001(deep).issues.map((i) => i.code)).toContain('XML_LIMIT_EXCEEDED');
  });
});

describe('random byte mutations never throw (fuzz)', () => {
  it('returns issues for mutated files, never an exception', () => {
    const seed = Date.now() % 100000;
    console.log(`pain.001 fuzz seed=${seed}`);
    const bytes = Buffer.from(golden, 'utf8');
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(bytes.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }), (edits) => {
        const copy = Buffer.from(bytes);
        for (const [at, value] of edits) copy[at] = value;
        const result = parsePain001(copy, { rules });
        expect(Array.isArray(result.issues)).toBe(true);
      }),
      { seed, numRuns: 400 },
    );
  });
});

describe('what ERPs and other writers send that a Swedish bank takes', () => {
  it('two payments without an end-to-end id (NOTPROVIDED) are not duplicates; two real equal ids still are', () => {
    const notProvided = golden.replace('<EndToEndId>E2E-INV-1001</EndToEndId>', '<EndToEndId>NOTPROVIDED</EndToEndId>').replace('<EndToEndId>E2E-INV-1002</EndToEndId>', '<EndToEndId>NOTPROVIDED</EndToEndId>');
    expect(codes(notProvided)).not.toContain('DUPLICATE_END_TO_END_ID');
    const duplicated = golden.replace('<EndToEndId>E2E-INV-1002</EndToEndId>', '<EndToEndId>E2E-INV-1001</EndToEndId>');
    expect(codes(duplicated)).toContain('DUPLICATE_END_TO_END_ID');
  });

  it('CdtNoteAmt 0.00 in structured remittance (an invoice without credit note) is accepted', () => {
    const withZeroCreditNote = golden.replace('<Strd>\n            <CdtrRefInf>', '<Strd>\n            <RfrdDocAmt>\n              <CdtNoteAmt Ccy="SEK">0.00</CdtNoteAmt>\n            </RfrdDocAmt>\n            <CdtrRefInf>');
    expect(withZeroCreditNote).toContain('<CdtNoteAmt Ccy="SEK">0.00</CdtNoteAmt>');
    expect(codes(withZeroCreditNote)).toEqual([]);
  });
});
