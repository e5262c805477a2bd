/**
 * A realistic week at the bank, driven through the real HTTP API: a supplier-payment file
 * (bankgiro with OCR, an IBAN payee, a future-dated payment later cancelled, a payee with a
 * wrong bankgiro check digit), an in-app signature, incoming customer payments, execution,
 * the intraday report and the statements. Returns every report the bank wrote, raw, with the
 * engine's own records to compare the third-party readers' output against.
 */
import { withComputedTotals, writePain001, type CreditTransfer } from '../../formats/pain001/index.ts';
import { call, createSandbox, type Target } from '../simulator/api-suite.ts';

export type Bank = 'swedbank' | 'sparbanken';

export interface ReportFile {
  reportId: string;
  type: string;
  message: string;
  createdAt: string;
  accountId: string | null;
  text: string;
  bytes: Uint8Array;
}

export interface EnginePayment {
  paymentId: string;
  endToEndId: string;
  instructionId?: string;
  amountOre: number;
  status: string;
  reasons: { code: string }[];
  creditor: { kind: string; account: string; name?: string };
  reference: { type: string; value: string } | null;
  history: { at: string; status: string; reason?: string }[];
}

export interface EngineEntry {
  entryId?: string;
  id?: string;
  bookingDate: string;
  amountOre: number;
  creditDebit: 'CRDT' | 'DBIT';
  paymentId?: string;
  incomingId?: string;
  endToEndId?: string;
  reference?: { type: string; value: string };
}

export interface FlowResult {
  bank: Bank;
  sandbox: Awaited<ReturnType<typeof createSandbox>>;
  fileMessageId: string;
  payments: EnginePayment[];
  incoming: { incomingPaymentId: string; amountOre: number; reference: string; payerBankgiro: string; payerName: string }[];
  entries: EngineEntry[];
  bookedOre: number;
  accountId: string;
  reports: ReportFile[];
  intraday: ReportFile;
}

const IBAN_PAYEE = 'SE4550000000058398257466';

function transfers(): CreditTransfer[] {
  const bankgiro = (endToEndId: string, instructionId: string, amountOre: number, bg: string, ocr: string): CreditTransfer => ({
    instructionId, endToEndId, amountOre, currency: 'SEK',
    creditor: { name: 'Trävaruhuset AB' },
    creditorAgent: { clearingSystemCode: 'SESBA', memberId: '9900' },
    creditorAccount: { other: bg, schemeProprietary: 'BGNR' },
    unstructuredRemittance: [],
    structuredRemittance: [{ creditorReferenceType: 'SCOR', creditorReference: ocr }],
  });
  return [
    bankgiro('E2E-INV-1001', 'INV-1001', 1_250_000, '50501055', '1234574'),
    bankgiro('E2E-INV-1002', 'INV-1002', 48_950, '50501055', '1234582'),
    // Wrong check digit: rejected at intake, the rest of the file goes on.
    bankgiro('E2E-INV-1004', 'INV-1004', 10_000, '50501056', '1234590'),
    {
      instructionId: 'INV-1005', endToEndId: 'E2E-INV-1005', amountOre: 77_700, currency: 'SEK',
      creditor: { name: 'Kontorsmaterial Nilsson' }, creditorAccount: { iban: IBAN_PAYEE },
      unstructuredRemittance: ['Faktura 1005'], structuredRemittance: [],
    },
  ];
}

export async function realisticFlow(target: Target, bank: Bank): Promise<FlowResult> {
  const sandbox = await createSandbox(target, bank, { start: '2026-03-12T08:00:00' });
  const key = sandbox.apiKey;
  const account = sandbox.accounts.find((a) => a.primary) ?? sandbox.accounts[0];
  if (!account) throw new Error('sandbox without account');
  const messageId = `INTEROP-${bank.toUpperCase()}-1`;
  const [p1, p2, p4, p5] = transfers();
  const future: CreditTransfer = { instructionId: 'INV-1003', endToEndId: 'E2E-INV-1003', amountOre: 30_000, currency: 'SEK', creditor: { name: 'Åkeri Östergren' }, creditorAgent: { clearingSystemCode: 'SESBA', memberId: '9900' }, creditorAccount: { other: '50501055', schemeProprietary: 'BGNR' }, unstructuredRemittance: [], structuredRemittance: [{ creditorReferenceType: 'SCOR', creditorReference: '1234608' }] };
  const debtor = { debtor: { name: sandbox.company.name }, debtorAccount: { iban: account.iban }, debtorAgent: { bic: 'SWEDSESS' }, paymentMethod: 'TRF' };
  const xml = writePain001(withComputedTotals({
    version: 'pain.001.001.03',
    groupHeader: { messageId, creationDateTime: '2026-03-12T08:00:00', numberOfTransactions: '0', initiatingParty: { name: sandbox.company.name, organisationId: { id: sandbox.company.agreementId, schemeCode: 'BANK' } } },
    paymentInformation: [
      { paymentInformationId: `${messageId}-1`, requestedExecutionDate: '2026-03-16', ...debtor, transactions: [p1, p2, p4, p5].filter((t): t is CreditTransfer => t !== undefined) },
      { paymentInformationId: `${messageId}-2`, requestedExecutionDate: '2026-03-20', ...debtor, transactions: [future] },
    ],
  }));
  const upload = await call(target, 'POST', `/v1/${bank}/payment-files`, { key, body: xml, headers: { 'content-type': 'application/xml', 'idempotency-key': `interop-${bank}` } });
  if (upload.status !== 202) throw new Error(`upload refused: ${upload.text}`);
  const fileId = upload.json.fileId as string;
  const sign = await call(target, 'POST', `/v1/${bank}/payment-files/${fileId}/signatures`, { key, json: { signedBy: 'Anna Admin', role: 'administrator', verification: 'totp' } });
  if (sign.status !== 201) throw new Error(`signature refused: ${sign.text}`);

  const incoming = [];
  for (const payment of [{ amountOre: 15_250, reference: '1234574', payerName: 'Kund AB', payerBankgiro: '9912346' }, { amountOre: 9_900, reference: 'Faktura 77', payerName: 'Kunden HB', payerBankgiro: '50501055' }]) {
    const res = await call(target, 'POST', `/sandboxes/${sandbox.sandboxId}/incoming-payments`, { key, json: payment });
    if (res.status !== 201) throw new Error(`incoming payment refused: ${res.text}`);
    incoming.push({ ...payment, incomingPaymentId: res.json.incomingPaymentId as string });
  }

  const scheduled = await call(target, 'GET', `/v1/${bank}/payment-files/${fileId}`, { key });
  const toCancel = (scheduled.json.payments as EnginePayment[]).find((p) => p.endToEndId === 'E2E-INV-1003');
  if (!toCancel) throw new Error('future payment missing');
  const cancel = await call(target, 'POST', `/v1/${bank}/payments/${toCancel.paymentId}/cancellation-requests`, { key, json: { reason: 'CUST' } });
  if (cancel.status !== 202) throw new Error(`cancellation refused: ${cancel.text}`);

  await call(target, 'POST', `/sandboxes/${sandbox.sandboxId}/clock/advance`, { key, json: { to: '2026-03-16T12:00:00' } });
  const intradayRes = await fetch(`${target.baseUrl()}/v1/${bank}/accounts/${account.accountId}/intraday-report`, { headers: { authorization: `Bearer ${key}` } });
  const intradayBytes = new Uint8Array(await intradayRes.arrayBuffer());
  const intradayText = new TextDecoder().decode(intradayBytes);
  await call(target, 'POST', `/sandboxes/${sandbox.sandboxId}/clock/advance`, { key, json: { to: '2026-03-17T08:00:00' } });

  const listing = await call(target, 'GET', `/v1/${bank}/reports?limit=1000`, { key });
  const reports: ReportFile[] = [];
  for (const r of listing.json.reports as { reportId: string; type: string; message: string; createdAt: string; accountId: string | null }[]) {
    const res = await fetch(`${target.baseUrl()}/v1/${bank}/reports/${r.reportId}`, { headers: { authorization: `Bearer ${key}` } });
    const bytes = new Uint8Array(await res.arrayBuffer());
    reports.push({ ...r, bytes, text: r.type === 'bgmax' ? Buffer.from(bytes).toString('latin1') : new TextDecoder().decode(bytes) });
  }
  const file = await call(target, 'GET', `/v1/${bank}/payment-files/${fileId}`, { key });
  const entries = await call(target, 'GET', `/v1/${bank}/accounts/${account.accountId}/entries?from=2026-01-01`, { key });
  const balances = await call(target, 'GET', `/v1/${bank}/accounts/${account.accountId}/balances`, { key });
  return {
    bank,
    sandbox,
    fileMessageId: messageId,
    payments: file.json.payments as EnginePayment[],
    incoming,
    entries: entries.json.entries as EngineEntry[],
    bookedOre: balances.json.bookedOre as number,
    accountId: account.accountId,
    reports,
    intraday: { reportId: 'intraday', type: 'camt.052', message: /camt\.052\.001\.\d\d/.exec(intradayText)?.[0] ?? '', createdAt: '2026-03-16T12:00:00', accountId: account.accountId, text: intradayText, bytes: intradayBytes },
  };
}
