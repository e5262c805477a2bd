/**
 * The incoming-payment test API makes everything BgMax carries arrive in the bank's real
 * end-of-day BgMax file, over a real port: extra references (TK22, TK23), a deduction (TK21
 * with its code), information text (TK25), the payer's name, address and organisation number
 * (TK26–TK29). The file is read back by the BgMax reader (no issue at all), every record is
 * checked against the layout of Bankgirot's published sample, and the day's camt.053 moves the
 * account by exactly the deposit. Refusals: a deduction larger than the day's deposit, extra
 * references naming more than the payment, text that cannot be a Latin-1 record.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseBgMax } from '../../formats/bankgirot/bgmax.ts';
import { parseAccountReport } from '../../formats/camt/report-parse.ts';
import { generateOcr } from '../../formats/identifiers/ocr.ts';
import { createRandom } from '../../formats/random.ts';
import { startSimulator, type Simulator } from '../../simulator/app.ts';
import { bgmaxFields, checkRecord } from '../support/bankgirot-layout.ts';

let bank: Simulator;
beforeAll(async () => {
  bank = await startSimulator({ random: createRandom(31), port: 0 });
});
afterAll(async () => bank?.close());

async function call(method: string, path: string, key?: string, json?: unknown): Promise<{ status: number; json: Record<string, unknown>; text: string }> {
  const response = await fetch(`${bank.url}${path}`, {
    method,
    headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(json === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(json === undefined ? {} : { body: JSON.stringify(json) }),
  });
  const text = await response.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // a report body
  }
  return { status: response.status, json: parsed, text };
}

describe('incoming payments with everything BgMax carries', () => {
  it('arrive in the end-of-day BgMax file, record by record, in the sample\'s layout', async () => {
    const s = (await call('POST', '/sandboxes', undefined, { bank: 'swedbank', start: '2026-03-16T08:00:00' })).json as { sandboxId: string; apiKey: string };
    const pay = (json: Record<string, unknown>) => call('POST', `/sandboxes/${s.sandboxId}/incoming-payments`, s.apiKey, json);
    const [a, b, credit, c] = ['5001', '5002', '5003', '5004'].map((n) => generateOcr(n));

    // Nothing received yet: a deduction has no deposit to come off.
    const early = await pay({ amountOre: 100, reference: a, deductionCode: '0' });
    expect(early.status).toBe(400);
    expect(early.json).toMatchObject({ code: 'INVALID_REQUEST' });
    expect(String(early.json['detail'])).toMatch(/exceeds the 0 öre of today's deposit/);

    const paid = await pay({
      amountOre: 180_000, reference: a ?? '', payerBankgiro: '56781234',
      // 1 800,00 = 1 000,00 (own OCR) + 1 000,00 (TK22) − 200,00 (a credit invoice, TK23)
      extraReferences: [{ reference: b, amountOre: 100_000 }, { reference: credit, amountOre: 20_000, negative: true }],
      information: ['Betalning avser två fakturor', 'minus kreditfaktura'],
      payerName: 'Kalles Plåt AB', payerExtraName: 'Avd. Ekonomi',
      payerAddress: { street: 'Storgatan 2', postCode: '12345', town: 'Storåker', country: 'Sverige' },
      payerOrganisationNumber: '550000-1234',
    });
    expect(paid.status).toBe(201);
    expect(paid.json).toMatchObject({ payerOrganisationNumber: '5500001234', extraReferences: [{ negative: false }, { negative: true }] });
    expect((await pay({ amountOre: 5_000, reference: 'Faktura 77', payerName: 'Olles Färg AB' })).status).toBe(201);
    const deduction = await pay({ amountOre: 30_000, reference: c ?? '', deductionCode: '1', payerName: 'Berits Garn', payerAddress: { town: 'Oslo', country: 'Norge', countryCode: 'NO' } });
    expect(deduction.status).toBe(201);

    // Refused: extra references naming more than the payment; a deduction with extra references; a line break in a text field.
    expect((await pay({ amountOre: 1_000, reference: a, extraReferences: [{ reference: b, amountOre: 1_001 }] })).json['detail']).toMatch(/name 1001 öre \(TK22 less TK23\), more than the payment's 1000 öre/);
    expect((await pay({ amountOre: 1_000, reference: a, deductionCode: '0', extraReferences: [{ reference: b, amountOre: 10 }] })).status).toBe(400);
    const broken = await pay({ amountOre: 1_000, reference: a, information: ['two\r\nlines'] });
    expect(broken.status).toBe(400);
    expect(String(broken.json['detail'])).toMatch(/information.*Latin-1/);
    expect((await pay({ amountOre: 1_000, reference: a, payerName: 'Kalle ☃' })).status).toBe(400);

    await call('POST', `/sandboxes/${s.sandboxId}/clock/advance`, s.apiKey, { to: '2026-03-16T23:59:59' });
    const reports = (await call('GET', '/v1/swedbank/reports', s.apiKey)).json['reports'] as { reportId: string; type: string }[];
    const bgmax = reports.find((r) => r.type === 'bgmax');
    const bytes = new Uint8Array(await (await fetch(`${bank.url}/v1/swedbank/reports/${bgmax?.reportId}`, { headers: { authorization: `Bearer ${s.apiKey}` } })).arrayBuffer());

    const parsed = parseBgMax(bytes);
    expect(parsed.issues).toEqual([]);
    const file = parsed.value;
    if (!file) throw new Error('no BgMax');
    const records = Buffer.from(bytes).toString('latin1').split('\r\n');
    expect(records.map((r) => r.slice(0, 2))).toEqual(['01', '05', '20', '22', '23', '25', '25', '26', '27', '28', '29', '20', '26', '21', '26', '28', '15', '70']);
    for (const record of records) {
      expect(record).toHaveLength(80);
      expect(checkRecord(record, bgmaxFields(record)).filter((f) => f.problem !== undefined)).toEqual([]);
    }

    const [first, second, third] = file.sections[0]?.payments ?? [];
    expect(first).toMatchObject({
      senderBankgiro: '0056781234', reference: a, amountOre: 180_000, referenceCode: '2', deduction: false,
      extraReferences: [{ reference: b, amountOre: 100_000, negative: false, bgcSerialNumber: first?.bgcSerialNumber }, { reference: credit, amountOre: 20_000, negative: true }],
      information: ['Betalning avser två fakturor', 'minus kreditfaktura'], name: 'Kalles Plåt AB', extraName: 'Avd. Ekonomi',
      address: 'Storgatan 2', postCode: '12345', town: 'Storåker', country: 'Sverige', organisationNumber: '005500001234',
    });
    expect(second).toMatchObject({ reference: 'Faktura 77', referenceCode: '4', amountOre: 5_000, name: 'Olles Färg AB' });
    expect(second?.address).toBeUndefined();
    expect(third).toMatchObject({ deduction: true, deductionCode: '1', amountOre: 30_000, reference: c, town: 'Oslo', country: 'Norge', countryCode: 'NO' });
    expect(file.sections[0]?.deposit).toMatchObject({ amountOre: 180_000 + 5_000 - 30_000, paymentCount: 3, paymentDate: '2026-03-16' });
    expect(file.trailer).toEqual({ paymentCount: 2, deductionCount: 1, extraReferenceCount: 2, depositCount: 1 });

    // The camt.053 moves the account by the deposit: the deduction is a debit of the same day.
    const statementId = reports.find((r) => r.type === 'camt.053')?.reportId;
    const statement = parseAccountReport(new Uint8Array(await (await fetch(`${bank.url}/v1/swedbank/reports/${statementId}`, { headers: { authorization: `Bearer ${s.apiKey}` } })).arrayBuffer()));
    if (!statement.ok) throw new Error('camt.053 did not parse');
    const net = statement.value.reports.flatMap((r) => r.entries).reduce((sum, e) => sum + (e.creditDebit === 'CRDT' ? e.amountOre : -e.amountOre), 0);
    expect(net).toBe(file.sections[0]?.deposit?.amountOre);
  });

  it('the OpenAPI document describes the new fields', async () => {
    const doc = (await call('GET', '/openapi.json')).json as { paths: Record<string, Record<string, { requestBody: { content: Record<string, { schema: { properties: Record<string, unknown> } }> } }>> };
    const properties = doc.paths['/sandboxes/{sandboxId}/incoming-payments']?.['post']?.requestBody.content['application/json']?.schema.properties ?? {};
    expect(Object.keys(properties)).toEqual(expect.arrayContaining(['extraReferences', 'deductionCode', 'information', 'payerExtraName', 'payerAddress', 'payerOrganisationNumber']));
  });
});
