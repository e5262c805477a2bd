import { describe, expect, it } from 'vitest';
import { HAS_SHARED } from '../../test/support/shared.ts';
import { xsdErrors } from '../../test/support/xsd.ts';
import {
  ACCOUNT_REPORT_MESSAGES, parseAccountReport, parseCancellationRequest, parseResolution, writeAccountReport, writeCancellationRequest, writeResolution,
  type AccountReportDocument, type AccountReportMessage, type CancellationRequestDocument, type ResolutionDocument,
} from './index.ts';

function statement(message: AccountReportMessage): AccountReportDocument {
  const withBalances = !message.startsWith('camt.054');
  return {
    message,
    messageId: 'SWED-053-20260316',
    creationDateTime: '2026-03-16T23:59:00+01:00',
    reports: [{
      id: 'STMT-20260316-1',
      electronicSequenceNumber: '75',
      creationDateTime: '2026-03-16T23:59:00+01:00',
      fromDateTime: '2026-03-16T00:00:00+01:00',
      toDateTime: '2026-03-16T23:59:59+01:00',
      account: { iban: 'SE9380000810596948579930', currency: 'SEK', ownerName: 'Fjällbacka Snickeri AB', servicer: { bic: 'SWEDSESS', name: 'Swedbank' } },
      balances: withBalances ? [
        { type: 'OPBD', amountOre: 10_000_000, currency: 'SEK', date: '2026-03-16' },
        { type: 'CLBD', amountOre: 8_734_750, currency: 'SEK', date: '2026-03-16' },
        { type: 'CLAV', amountOre: -1_250, currency: 'SEK', date: '2026-03-16' },
      ] : [],
      entries: [
        {
          entryReference: '1', amountOre: 1_250_000, currency: 'SEK', creditDebit: 'DBIT', status: 'BOOK', bookingDate: '2026-03-16', valueDate: '2026-03-16',
          accountServicerReference: 'SWED-EXE-1', bankTransactionCode: { domain: 'PMNT', family: 'ICDT', subFamily: 'DMCT' },
          transactions: [{ messageId: 'SB-20260314-0001', paymentInformationId: 'SB-20260314-0001-1', instructionId: 'INSTR-1001', endToEndId: 'E2E-INV-1001', amountOre: 1_250_000, currency: 'SEK', creditDebit: 'DBIT', creditorName: 'Trävaruhuset AB', creditorAccount: { other: '9912346', scheme: { proprietary: 'BGNR' } }, unstructuredRemittance: [], creditorReferenceType: 'SCOR', creditorReference: '1234574' }],
        },
        {
          amountOre: 15_250, currency: 'SEK', creditDebit: 'CRDT', status: 'BOOK', bookingDate: '2026-03-16',
          bankTransactionCode: { domain: 'PMNT', family: 'RCDT', subFamily: 'DMCT' },
          transactions: [{ endToEndId: 'NOTPROVIDED', debtorName: 'Kund Ab', debtorAccount: { iban: 'SE4550000000058398257466' }, unstructuredRemittance: ['Faktura 77'] }],
        },
      ],
    }],
  };
}

describe('camt.052 / 053 / 054 account reports', () => {
  it.each(ACCOUNT_REPORT_MESSAGES)('%s round-trips write → parse', (message) => {
    const doc = statement(message);
    const parsed = parseAccountReport(writeAccountReport(doc));
    expect(parsed.issues).toEqual([]);
    expect(parsed.value).toEqual(doc);
  });

  it.skipIf(!HAS_SHARED).each(ACCOUNT_REPORT_MESSAGES)('%s writer output passes the official XSD', (message) => {
    expect(xsdErrors(message, writeAccountReport(statement(message)))).toEqual([]);
  });

  it.each(ACCOUNT_REPORT_MESSAGES)('%s names the servicing bank (Acct/Svcr: BIC and name) and echoes InstrId in Refs', (message) => {
    const xml = writeAccountReport(statement(message));
    const bicTag = message.endsWith('.08') ? 'BICFI' : 'BIC';
    expect(xml).toMatch(new RegExp(`<Svcr>\\s*<FinInstnId>\\s*<${bicTag}>SWEDSESS</${bicTag}>\\s*<Nm>Swedbank</Nm>`));
    expect(xml).toContain('<InstrId>INSTR-1001</InstrId>');
    expect(xml).toMatch(/<CdtrAcct>\s*<Id>\s*<Othr>\s*<Id>9912346<\/Id>\s*<SchmeNm>\s*<Prtry>BGNR<\/Prtry>/);
    expect(xml).toMatch(/<DbtrAcct>\s*<Id>\s*<IBAN>SE4550000000058398257466<\/IBAN>/);
  });

  it.each(ACCOUNT_REPORT_MESSAGES)('%s gives each transaction its amount in AmtDtls/TxAmt (where readers look)', (message) => {
    const xml = writeAccountReport(statement(message));
    expect(xml).toMatch(/<TxAmt>\s*<Amt Ccy="SEK">12500.00<\/Amt>\s*<\/TxAmt>/);
  });

  it('refuses to write a statement without balances (the XSD requires one)', () => {
    const doc = statement('camt.053.001.02');
    const first = doc.reports[0];
    if (first) first.balances = [];
    expect(() => writeAccountReport(doc)).toThrow(/balance/);
  });
});

const request: CancellationRequestDocument = {
  assignmentId: 'CXL-0001',
  assignerName: 'Fjällbacka Snickeri AB',
  assigneeBic: 'SWEDSESS',
  creationDateTime: '2026-03-15T08:00:00',
  paymentInformation: [{
    originalPaymentInformationId: 'SB-20260314-0001-1',
    originalMessageId: 'SB-20260314-0001',
    originalMessageNameId: 'pain.001.001.03',
    transactions: [{ cancellationId: 'CXL-0001-1', originalEndToEndId: 'E2E-INV-1001', originalAmountOre: 1_250_000, originalCurrency: 'SEK', originalRequestedExecutionDate: '2026-03-16', reasonCode: 'CUST' }],
  }],
};

const resolution: ResolutionDocument = {
  assignmentId: 'SWED-029-0001',
  assignerBic: 'SWEDSESS',
  assigneeName: 'Fjällbacka Snickeri AB',
  creationDateTime: '2026-03-15T08:00:01',
  resolvedCaseId: 'CXL-0001',
  confirmation: 'RJCR',
  paymentInformation: [{
    originalPaymentInformationId: 'SB-20260314-0001-1',
    originalMessageId: 'SB-20260314-0001',
    originalMessageNameId: 'pain.001.001.03',
    status: 'RJCR',
    transactions: [{ originalEndToEndId: 'E2E-INV-1001', status: 'RJCR', reasonCode: 'ARDT', additionalInfo: ['Payment already executed'], originalAmountOre: 1_250_000, originalCurrency: 'SEK', originalRequestedExecutionDate: '2026-03-16' }],
  }],
};

describe('camt.055 cancellation request and camt.029 resolution', () => {
  it('camt.055 round-trips', () => {
    const parsed = parseCancellationRequest(writeCancellationRequest(request));
    expect(parsed.issues).toEqual([]);
    expect(parsed.value).toEqual(request);
  });

  it('camt.029 round-trips', () => {
    const parsed = parseResolution(writeResolution(resolution));
    expect(parsed.issues).toEqual([]);
    expect(parsed.value).toEqual(resolution);
  });

  it.skipIf(!HAS_SHARED)('both pass the official XSDs', () => {
    expect(xsdErrors('camt.055.001.08', writeCancellationRequest(request))).toEqual([]);
    expect(xsdErrors('camt.029.001.09', writeResolution(resolution))).toEqual([]);
    expect(xsdErrors('camt.029.001.09', writeResolution({ ...resolution, confirmation: 'CNCL', resolvedCaseId: undefined as unknown as string }))).toEqual([]);
  });
});
