/**
 * Consumer contracts, generated from the real BankConnection (client/bank) for every
 * interaction the client uses, and the webhook messages it reads. The pact files are
 * committed under contracts/pacts/: this test fails if they are stale (regenerate with
 * UPDATE_PACTS=1 npm test and review the diff).
 *
 * Payment files travel as opaque bytes (Content-Type application/octet-stream). Pact's XML
 * matching cannot compare ISO 20022 documents (default namespace; pact-js#632) and LB files
 * are Latin-1, not UTF-8: the contract carries the file's bytes, checks their kind (XML /
 * text), and the provider receives exactly those bytes. Whether a file is a *valid* pain.001
 * is the business of formats/ and its XSD tests, not of the contract. See docs/decisions/0005.
 */
import { copyFileSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MatchersV3, MessageConsumerPact, PactV4, synchronousBodyHandler } from '@pact-foundation/pact';
import { afterAll, describe, expect, it } from 'vitest';
import { BankConnection, BankError } from '../../client/bank/connection.ts';
import { readWebhook } from '../../client/bank/webhook.ts';
import { CONSUMER, CONTRACT_API_KEY, CONTRACT_BANKS, STATES, contractLb, contractPain001, messageProviderName, providerName, type ContractBank } from '../fixtures.ts';

const { regex, string, integer, boolean, eachLike, like } = MatchersV3;
const PACT_DIR = mkdtempSync(join(tmpdir(), 'sandbank-pacts-'));
const COMMITTED = fileURLToPath(new URL('../pacts/', import.meta.url));

const auth = { authorization: regex(/^Bearer \S+$/, `Bearer ${CONTRACT_API_KEY}`) };
const json = { 'Content-Type': regex(/^application\/json.*$/, 'application/json') };
const problemJson = { 'Content-Type': 'application/problem+json' };
const fileId = regex(/^pf_\d{6}$/, 'pf_000001');
const date = (example: string) => regex(/^\d{4}-\d{2}-\d{2}$/, example);
const problem = (code: string, status: number) => ({ type: string('/docs#problem-X'), title: string('title'), status: integer(status), detail: string('detail'), code });

/** JSON body first, then the headers: jsonBody() sets Content-Type, the headers given here win. */
function respond<H>(b: { jsonBody(body: unknown): { headers(headers: H): unknown } }, headers: H, body: unknown): void {
  b.jsonBody(body).headers(headers);
}

function paymentLike(status: string, extra: Record<string, unknown> = {}) {
  return { paymentId: regex(/^pmt_\d{7}$/, 'pmt_0000001'), endToEndId: string('CONTRACT-0001-E2E-1'), amountOre: integer(125000), currency: 'SEK', status, ...extra };
}

function connection(server: { url: string }, bank: ContractBank, apiKey = CONTRACT_API_KEY): BankConnection {
  return new BankConnection({ baseUrl: server.url, bank, apiKey, attempts: 1 });
}

describe.each(CONTRACT_BANKS)('bank API contract with %s', (bank) => {
  const pact = new PactV4({ consumer: CONSUMER, provider: providerName(bank), dir: PACT_DIR, logLevel: 'error' });
  const base = `/v1/${bank}`;

  it('uploads a pain.001 and gets 202 RECEIVED', async () => {
    await pact.addInteraction().given(STATES.sandbox).uponReceiving('an upload of a pain.001 payment file')
      .withRequest('POST', `${base}/payment-files`, (b) => b.headers({ ...auth, 'content-type': 'application/octet-stream', 'idempotency-key': string('CONTRACT-0001') }).body('text/xml', Buffer.from(contractPain001())))
      .willRespondWith(202, (b) => respond(b, { ...json, location: regex(/^\/v1\/\w+\/payment-files\/pf_\d{6}$/, `${base}/payment-files/pf_000001`) }, { fileId, status: 'RECEIVED' }))
      .executeTest(async (server) => {
        expect(await connection(server, bank).uploadPaymentFile(contractPain001(), 'CONTRACT-0001')).toMatchObject({ fileId: 'pf_000001', status: 'RECEIVED', idempotencyHit: false });
      });
  });

  it('uploads a Bankgirot LB file', async () => {
    await pact.addInteraction().given(STATES.sandbox).uponReceiving('an upload of a Bankgirot LB payment file')
      .withRequest('POST', `${base}/payment-files`, (b) => b.headers({ ...auth, 'content-type': 'application/octet-stream', 'idempotency-key': string('LB-1') }).body('text/plain', Buffer.from(contractLb())))
      .willRespondWith(202, (b) => respond(b, json, { fileId, status: 'RECEIVED' }))
      .executeTest(async (server) => {
        expect((await connection(server, bank).uploadPaymentFile(contractLb(), 'LB-1')).status).toBe('RECEIVED');
      });
  });

  it('gets the original file back for the same bytes and Idempotency-Key', async () => {
    await pact.addInteraction().given(STATES.uploadedWithKey, { key: 'contract-key' }).uponReceiving('a repeated upload with the same idempotency key')
      .withRequest('POST', `${base}/payment-files`, (b) => b.headers({ ...auth, 'content-type': 'application/octet-stream', 'idempotency-key': 'contract-key' }).body('text/xml', Buffer.from(contractPain001())))
      .willRespondWith(202, (b) => respond(b, { ...json, 'idempotency-hit': 'true' }, { fileId, status: string('AWAITING_SIGNATURE') }))
      .executeTest(async (server) => {
        expect(await connection(server, bank).uploadPaymentFile(contractPain001(), 'contract-key')).toMatchObject({ fileId: 'pf_000001', idempotencyHit: true });
      });
  });

  it('is refused 422 for other bytes under a used Idempotency-Key', async () => {
    const other = contractPain001('CONTRACT-0002');
    await pact.addInteraction().given(STATES.uploadedWithKey, { key: 'contract-key' }).uponReceiving('an upload of other bytes under a used idempotency key')
      .withRequest('POST', `${base}/payment-files`, (b) => b.headers({ ...auth, 'content-type': 'application/octet-stream', 'idempotency-key': 'contract-key' }).body('text/xml', Buffer.from(other)))
      .willRespondWith(422, (b) => respond(b, problemJson, problem('IDEMPOTENCY_KEY_REUSED', 422)))
      .executeTest(async (server) => {
        await expect(connection(server, bank).uploadPaymentFile(other, 'contract-key')).rejects.toMatchObject({ status: 422, code: 'IDEMPOTENCY_KEY_REUSED' });
      });
  });

  const fileStates: [string, string, string, Record<string, unknown>][] = [
    [STATES.awaitingSignature, 'a payment file awaiting signature', 'AWAITING_SIGNATURE', { payments: eachLike(paymentLike('AWAITING_SIGNATURE')) }],
    [STATES.signed, 'a signed payment file', 'SIGNED', { payments: eachLike(paymentLike('SCHEDULED', { executionDate: date('2026-03-16') })) }],
    [STATES.rejected, 'a rejected payment file', 'REJECTED', { reasons: eachLike({ code: 'FF01', message: string('malformed XML') }) }],
    [STATES.executed, 'a payment file with executed payments', 'SIGNED', { payments: eachLike(paymentLike('EXECUTED', { executionDate: date('2026-03-16') })) }],
    [STATES.insufficientFunds, 'a payment file whose payments were rejected for insufficient funds', 'SIGNED', { payments: eachLike(paymentLike('REJECTED', { reasons: eachLike({ code: 'AM04', message: string('insufficient funds') }) })) }],
  ];
  it.each(fileStates)('reads the status of %s', async (state, description, status, extra) => {
    await pact.addInteraction().given(state).uponReceiving(`the status of ${description}`)
      .withRequest('GET', `${base}/payment-files/pf_000001`, (b) => b.headers(auth))
      .willRespondWith(200, (b) => respond(b, json, { fileId, status, messageId: string('CONTRACT-0001'), numberOfTransactions: integer(2), controlSumOre: integer(173950), ...extra }))
      .executeTest(async (server) => {
        expect((await connection(server, bank).paymentFile('pf_000001')).status).toBe(status);
      });
  });

  it('signs a file in-app (two-step verified administrator)', async () => {
    await pact.addInteraction().given(STATES.awaitingSignature).uponReceiving('an in-app signature of a file awaiting signature')
      .withRequest('POST', `${base}/payment-files/pf_000001/signatures`, (b) => b.headers({ ...auth, ...json }).jsonBody({ signedBy: string('Anna Admin'), role: 'administrator', verification: 'totp' }))
      .willRespondWith(201, (b) => respond(b, json, { fileId, status: 'SIGNED' }))
      .executeTest(async (server) => {
        expect((await connection(server, bank).signPaymentFile('pf_000001', 'Anna Admin')).status).toBe('SIGNED');
      });
  });

  it('is refused 409 when signing a file that is already signed', async () => {
    await pact.addInteraction().given(STATES.signed).uponReceiving('an in-app signature of a file already signed')
      .withRequest('POST', `${base}/payment-files/pf_000001/signatures`, (b) => b.headers({ ...auth, ...json }).jsonBody({ signedBy: string('Anna Admin'), role: 'administrator', verification: 'totp' }))
      .willRespondWith(409, (b) => respond(b, problemJson, problem('FILE_NOT_AWAITING_SIGNATURE', 409)))
      .executeTest(async (server) => {
        await expect(connection(server, bank).signPaymentFile('pf_000001', 'Anna Admin')).rejects.toMatchObject({ status: 409, code: 'FILE_NOT_AWAITING_SIGNATURE' });
      });
  });

  it('lists accounts and reads balances', async () => {
    await pact.addInteraction().given(STATES.sandbox).uponReceiving('a request for the accounts')
      .withRequest('GET', `${base}/accounts`, (b) => b.headers(auth))
      .willRespondWith(200, (b) => respond(b, json, { accounts: eachLike({ accountId: string('acc_1'), name: string('Företagskonto'), iban: regex(/^SE\d{22}$/, 'SE3380000810595418469739'), bban: string('81059-5418469739'), currency: 'SEK', primary: boolean(true) }) }))
      .executeTest(async (server) => {
        expect((await connection(server, bank).accounts())[0]?.primary).toBe(true);
      });
    await pact.addInteraction().given(STATES.sandbox).uponReceiving('a request for the balances of the primary account')
      .withRequest('GET', `${base}/accounts/acc_1/balances`, (b) => b.headers(auth))
      .willRespondWith(200, (b) => respond(b, json, { accountId: 'acc_1', currency: 'SEK', bookedOre: integer(50000000), reservedOre: integer(0), availableOre: integer(50000000), asOf: string('2026-03-12T08:00:00') }))
      .executeTest(async (server) => {
        expect((await connection(server, bank).balances('acc_1')).bookedOre).toBeTypeOf('number');
      });
  });

  it('lists scheduled (future) payments', async () => {
    await pact.addInteraction().given(STATES.scheduledOn, { date: '2026-03-20' }).uponReceiving('a request for the scheduled payments')
      .withRequest('GET', `${base}/payments`, (b) => b.query({ status: 'scheduled' }).headers(auth))
      .willRespondWith(200, (b) => respond(b, json, { payments: eachLike(paymentLike('SCHEDULED', { executionDate: date('2026-03-20'), requestedExecutionDate: date('2026-03-20') })) }))
      .executeTest(async (server) => {
        expect((await connection(server, bank).payments('scheduled'))[0]?.status).toBe('SCHEDULED');
      });
  });

  it('requests a cancellation', async () => {
    await pact.addInteraction().given(STATES.scheduledOn, { date: '2026-03-20' }).uponReceiving('a cancellation request for a scheduled payment')
      .withRequest('POST', `${base}/payments/pmt_0000001/cancellation-requests`, (b) => b.headers({ ...auth, ...json }).jsonBody({ reason: 'CUST' }))
      .willRespondWith(202, (b) => respond(b, json, { paymentId: 'pmt_0000001', cancellation: { status: 'REQUESTED', requestedAt: string('2026-03-12T08:00:00'), via: 'api' } }))
      .executeTest(async (server) => {
        expect((await connection(server, bank).requestCancellation('pmt_0000001')).cancellation.status).toBe('REQUESTED');
      });
  });

  it('lists the reports mailbox and downloads a report raw', async () => {
    await pact.addInteraction().given(STATES.awaitingSignature).uponReceiving('a request for the reports mailbox')
      .withRequest('GET', `${base}/reports`, (b) => b.headers(auth))
      .willRespondWith(200, (b) => respond(b, json, { reports: eachLike({ reportId: regex(/^rpt_\d{6}$/, 'rpt_000001'), sequence: integer(1), type: 'pain.002', message: regex(/^pain\.002\.001\.(03|10)$/, bank === 'swedbank' ? 'pain.002.001.03' : 'pain.002.001.10'), createdAt: string('2026-03-12T08:00:00'), contentType: 'application/xml', fileId }), nextCursor: regex(/^rpt_\d{6}$/, 'rpt_000001') }))
      .executeTest(async (server) => {
        expect((await connection(server, bank).reports()).reports[0]?.type).toBe('pain.002');
      });
    await pact.addInteraction().given(STATES.awaitingSignature).uponReceiving('a download of a report')
      .withRequest('GET', `${base}/reports/rpt_000001`, (b) => b.headers(auth))
      .willRespondWith(200, (b) => b.headers({ 'Content-Type': regex(/^application\/xml.*$/, 'application/xml'), 'x-report-type': 'pain.002' }))
      .executeTest(async (server) => {
        expect(await connection(server, bank).downloadReport('rpt_000001')).toBeInstanceOf(Uint8Array);
      });
  });

  it('gets problem+json for 401, 404 and 413', async () => {
    await pact.addInteraction().given(STATES.sandbox).uponReceiving('a request with an unknown API key')
      .withRequest('GET', `${base}/accounts`, (b) => b.headers({ authorization: 'Bearer sk_test_unknown' }))
      .willRespondWith(401, (b) => respond(b, { ...problemJson, 'www-authenticate': regex(/^Bearer .*$/, 'Bearer realm="sandbank"') }, problem('UNAUTHORIZED', 401)))
      .executeTest(async (server) => {
        await expect(connection(server, bank, 'sk_test_unknown').accounts()).rejects.toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
      });
    await pact.addInteraction().given(STATES.sandbox).uponReceiving('a request for a payment file that does not exist')
      .withRequest('GET', `${base}/payment-files/pf_999999`, (b) => b.headers(auth))
      .willRespondWith(404, (b) => respond(b, problemJson, problem('FILE_NOT_FOUND', 404)))
      .executeTest(async (server) => {
        await expect(connection(server, bank).paymentFile('pf_999999')).rejects.toBeInstanceOf(BankError);
      });
    await pact.addInteraction().given(STATES.bodyLimit, { bytes: 1024 }).uponReceiving('an upload larger than the body limit')
      .withRequest('POST', `${base}/payment-files`, (b) => b.headers({ ...auth, 'content-type': 'application/octet-stream', 'idempotency-key': 'too-large' }).body('text/xml', Buffer.from(contractPain001())))
      .willRespondWith(413, (b) => respond(b, problemJson, problem('PAYLOAD_TOO_LARGE', 413)))
      .executeTest(async (server) => {
        await expect(connection(server, bank).uploadPaymentFile(contractPain001(), 'too-large')).rejects.toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
      });
  });
});

describe.each(CONTRACT_BANKS)('webhook message contract with %s', (bank) => {
  it('a payment file status change, signed', async () => {
    const messages = new MessageConsumerPact({ consumer: CONSUMER, provider: messageProviderName(bank), dir: PACT_DIR, logLevel: 'error' });
    await messages.given(STATES.awaitingSignature).expectsToReceive('a payment file status change')
      .withContent({
        id: regex(/^evt_\w+_\d{8}$/, 'evt_abc_00000002'), type: 'payment_file.status_changed', createdAt: regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/, '2026-03-12T08:00:00'),
        sandboxId: regex(/^sbx_\w+$/, 'sbx_abc'), data: { fileId, status: 'AWAITING_SIGNATURE', messageId: string('CONTRACT-0001') },
      })
      .withMetadata({ 'sandbank-signature': regex(/^t=\d+,v1=[0-9a-f]{64}$/, `t=1773300000,v1=${'0'.repeat(64)}`), 'sandbank-event-id': regex(/^evt_\w+$/, 'evt_abc_00000002'), 'content-type': 'application/json' })
      .verify(synchronousBodyHandler((body: unknown) => {
        const event = readWebhook(JSON.stringify(body), {});
        expect(event.type).toBe('payment_file.status_changed');
        return event;
      }));
  });
});

afterAll(() => {
  const generated = readdirSync(PACT_DIR).filter((f) => f.endsWith('.json')).sort();
  if (process.env['UPDATE_PACTS'] === '1') {
    for (const file of generated) copyFileSync(join(PACT_DIR, file), join(COMMITTED, file));
    return;
  }
  const committed = readdirSync(COMMITTED).filter((f) => f.endsWith('.json')).sort();
  expect(committed, 'contracts/pacts/ holds other files than the consumer tests generate: run UPDATE_PACTS=1 npm test').toEqual(generated);
  for (const file of generated) {
    const fresh = JSON.parse(readFileSync(join(PACT_DIR, file), 'utf8')) as unknown;
    const stored = JSON.parse(readFileSync(join(COMMITTED, file), 'utf8')) as unknown;
    expect(stored, `contracts/pacts/${file} is stale: run UPDATE_PACTS=1 npm test and review the diff`).toEqual(fresh);
  }
});
