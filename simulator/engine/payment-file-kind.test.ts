import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { encodeLatin1 } from '../../formats/bankgirot/fixed-width.ts';
import { BANKS } from '../banks/index.ts';
import { classifyPaymentFile, notAPaymentFile } from './payment-file-kind.ts';

const bytes = (text: string) => new Uint8Array(Buffer.from(text, 'utf8'));
const SHARED = new URL('../../../shared/samples/', import.meta.url);
const shared = (path: string) => new URL(path, SHARED);

describe('what an upload is, from its first bytes', () => {
  it.each([
    ['pain.001.001.03 with a prolog and a comment', '<?xml version="1.0" encoding="UTF-8"?>\n<!-- from the ERP -->\n<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"><CstmrCdtTrfInitn/></Document>', 'pain.001'],
    ['pain.001.001.09 with a prefix', '<p:Document xmlns:p="urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"><p:CstmrCdtTrfInitn/></p:Document>', 'pain.001'],
    ['an older pain.001 version (the XML reader says which versions)', '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.02"/>', 'pain.001'],
    ['broken XML', '<Document><oops', 'undecided'],
    ['a DOCTYPE (the XML reader refuses it by name)', '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x "y">]><Document/>', 'undecided'],
    ['an LB order missing its opening record', `${'14000991234612345'.padEnd(80)}\r\n`, 'lb'],
    ['NUL bytes after an LB record type', '11\0\0\0\r\n', 'lb'],
  ])('%s → %s', (_name, text, kind) => {
    expect(classifyPaymentFile(bytes(text)).kind).toBe(kind);
  });

  it.each([
    ['a camt.053 statement', '<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt/></Document>', /camt\.053 account statement/],
    ['HTML', '<html lang="sv"><body>hi</body></html>', /XML document with root <html>/],
    ['an XML document of another kind', '<invoice xmlns="urn:example:invoice"><id>1</id></invoice>', /XML document with root <invoice> in namespace urn:example:invoice/],
    ['plain text', 'hello world, this is not a payment file', /^text starting "hello world, this is/],
    ['JSON', '{"payments":[]}', /JSON/],
    ['a PDF', '%PDF-1.7\n%âãÏÓ\n1 0 obj', /PDF document/],
    ['blank lines', '\r\n\r\n   \r\n', /blank lines/],
    ['binary data', '\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008abc', /binary data/],
  ])('%s is not a payment file', (_name, text, what) => {
    const found = classifyPaymentFile(bytes(text));
    expect(found.kind).toBe('other');
    if (found.kind === 'other') expect(found.what).toMatch(what);
  });

  it('the refusal is FF01 "not a payment file" with what the bank takes', () => {
    const refused = notAPaymentFile(bytes('garbage garbage'), BANKS.sparbanken);
    expect(refused?.fileRejections).toEqual([{ code: 'FF01', message: expect.stringMatching(/^not a payment file: this is text starting "garbage garbage"; Sparbanken takes pain\.001\.001\.03 or pain\.001\.001\.09 XML .*, or a Bankgirot LB payment order/) }]);
    expect(refused?.issues[0]?.code).toBe('FORMAT_UNKNOWN');
    expect(notAPaymentFile(encodeLatin1(`${'11'.padEnd(80)}\r\n`), BANKS.sparbanken)).toBeUndefined();
  });

  it.skipIf(!existsSync(SHARED))("Bankgirot's and the SIE samples (../shared): LB files go to the LB reader, the rest are named", () => {
    const kind = (path: string) => classifyPaymentFile(new Uint8Array(readFileSync(shared(path))));
    for (const lb of ['exempel1_sv', 'avvisade_sv', 'lon_sv', 'betalningsbevakning_sv']) expect(kind(`lb/leverantorsbetalning_exempelfil_${lb}.txt`).kind).toBe('lb');
    expect(kind('lb/leverantorsbetalning_exempelfil_aterforda-kontantutbetalningar_sv.txt')).toMatchObject({ kind: 'other', what: expect.stringMatching(/returned cash payments/) });
    expect(kind('bgmax/bankgiroinbetalningar_exempelfil_avtal-om-ocr-kontroll_checksiffra_langd_sv.txt')).toMatchObject({ kind: 'other', what: expect.stringMatching(/BgMax/) });
    expect(kind('sie/SIE_exempelfil.se')).toMatchObject({ kind: 'other', what: expect.stringMatching(/SIE 4/) });
  });
});
