import { describe, expect, it } from 'vitest';
import { HAS_SHARED } from '../../test/support/shared.ts';
import { xsdErrors } from '../../test/support/xsd.ts';
import { parsePain002, writePain002, type Pain002Document, type Pain002Version } from './index.ts';

function report(version: Pain002Version): Pain002Document {
  return {
    version,
    messageId: 'SWED-STS-000042',
    creationDateTime: '2026-03-16T10:00:05+01:00',
    initiatingParty: { name: 'Swedbank', bic: 'SWEDSESS' },
    debtorAgentBic: 'SWEDSESS',
    original: {
      messageId: 'SB-20260314-0001',
      messageNameId: 'pain.001.001.03',
      creationDateTime: '2026-03-14T09:12:45',
      numberOfTransactions: '3',
      controlSum: '18637.50',
      groupStatus: 'PART',
      reasons: [],
      countsPerStatus: [{ count: 2, status: 'ACCP' }, { count: 1, status: 'RJCT' }],
    },
    paymentInformation: [{
      originalPaymentInformationId: 'SB-20260314-0001-1',
      status: 'PART',
      reasons: [],
      transactions: [
        { originalEndToEndId: 'E2E-INV-1001', status: 'ACCP', reasons: [], originalAmountOre: 1250000, originalCurrency: 'SEK', originalRequestedExecutionDate: '2026-03-16' },
        { statusId: 'STS-2', originalInstructionId: 'INV-1002', originalEndToEndId: 'E2E-INV-1002', status: 'RJCT', reasons: [{ code: 'AC01', additionalInfo: ['Mottagarens plusgironummer är felaktigt'] }], accountServicerReference: 'SWED-REF-2' },
        { originalEndToEndId: 'E2E-INV-1003', status: 'RJCT', reasons: [{ code: 'AM04' }, { proprietary: 'RETRY-EXHAUSTED' }] },
      ],
    }],
  };
}

describe('pain.002 status report', () => {
  it.each(['pain.002.001.03', 'pain.002.001.10'] as const)('%s round-trips write → parse', (version) => {
    const doc = report(version);
    const parsed = parsePain002(writePain002(doc));
    expect(parsed.issues).toEqual([]);
    expect(parsed.value).toEqual(doc);
  });

  it.skipIf(!HAS_SHARED).each(['pain.002.001.03', 'pain.002.001.10'] as const)('%s writer output passes the official XSD', (version) => {
    expect(xsdErrors(version, writePain002(report(version)))).toEqual([]);
  });

  it('a file-level rejection carries its reason at group level', () => {
    const doc: Pain002Document = { ...report('pain.002.001.03'), original: { ...report('pain.002.001.03').original, groupStatus: 'RJCT', reasons: [{ code: 'FF01', additionalInfo: ['Schema validation failed'] }], countsPerStatus: [] }, paymentInformation: [] };
    const parsed = parsePain002(writePain002(doc));
    expect(parsed.value?.original).toMatchObject({ groupStatus: 'RJCT', reasons: [{ code: 'FF01' }] });
  });

  it('.03 refuses CANC as a transaction status (an XSD enumeration there); .10 accepts it', () => {
    const doc = report('pain.002.001.03');
    const tx = doc.paymentInformation[0]?.transactions[0];
    if (tx) tx.status = 'CANC';
    expect(parsePain002(writePain002(doc)).issues.map((i) => i.code)).toContain('SCHEMA_ENUMERATION');
    expect(parsePain002(writePain002({ ...doc, version: 'pain.002.001.10' })).ok).toBe(true);
  });

  it('cuts AddtlInf to the schema\'s 105 characters instead of writing an invalid report', () => {
    const doc = report('pain.002.001.10');
    const tx = doc.paymentInformation[0]?.transactions[1];
    if (tx) tx.reasons = [{ code: 'NARR', additionalInfo: ['x'.repeat(300)] }];
    const parsed = parsePain002(writePain002(doc));
    expect(parsed.ok).toBe(true);
    expect(parsed.value?.paymentInformation[0]?.transactions[1]?.reasons[0]?.additionalInfo?.[0]).toHaveLength(105);
  });
});
