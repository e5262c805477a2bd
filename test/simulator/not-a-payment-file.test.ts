/**
 * Content that is neither a pain.001 nor an LB file, sent with any accepted content type, is
 * received (as a bank's channel does) and then rejected FF01 "not a payment file" naming what
 * it is and what the bank takes — in the file's status and in its pain.002 — never read as an
 * LB file with an unknown record type.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateFile } from '../../formats/detect.ts';
import { parsePain002 } from '../../formats/pain002/parse.ts';
import { createRandom } from '../../formats/random.ts';
import { startSimulator, type Simulator } from '../../simulator/app.ts';
import { pain001For } from '../support/payment-files.ts';
import { call, createSandbox, sender } from './api-suite.ts';

let simulator: Simulator;
beforeAll(async () => {
  simulator = await startSimulator({ random: createRandom(1212) });
});
afterAll(async () => simulator?.close());

describe('an upload that is not a payment file (real HTTP)', () => {
  it.each([
    ['garbage as application/xml', 'application/xml', 'this is garbage, not a payment file at all', /this is text starting "this is garbage/],
    ['JSON as application/octet-stream', 'application/octet-stream', '{"amount": 100}', /this is JSON/],
    ['a camt.053 statement as application/xml', 'application/xml', '<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt/></Document>', /this is a camt\.053 account statement/],
    ['a BgMax file as text/plain', 'text/plain', `${'01BGMAX               0120260312101010123456P'.padEnd(80)}\r\n`, /this is a Bankgirot BgMax file/],
  ])('%s: RJCT FF01 "not a payment file" with the formats taken, in the status and the pain.002', async (_name, type, body, what) => {
    const s = await createSandbox({ baseUrl: () => simulator.url }, 'swedbank');
    const target = { baseUrl: () => simulator.url };
    const up = await call(target, 'POST', '/v1/swedbank/payment-files', { key: s.apiKey, body, headers: { 'content-type': type } });
    expect(up.status).toBe(202);
    const file = await call(target, 'GET', `/v1/swedbank/payment-files/${up.json.fileId}`, { key: s.apiKey });
    expect(file.json.status).toBe('REJECTED');
    const reason = file.json.reasons[0] as { code: string; message: string };
    expect(reason.code).toBe('FF01');
    expect(reason.message).toMatch(/^not a payment file: /);
    expect(reason.message).toMatch(what);
    expect(reason.message).toMatch(/Swedbank takes pain\.001\.001\.03 or pain\.001\.001\.09 XML .*, or a Bankgirot LB payment order/);
    expect(JSON.stringify(file.json)).not.toMatch(/record type/);
    // Labelled as what it is — neither pain.001 nor LB — in the file and in its pain.002.
    expect(file.json.format).toBe('unknown');
    expect(file.json.messageId).toMatch(/^UNKNOWN-[0-9a-f]{12}$/);
    const reports = await call(target, 'GET', '/v1/swedbank/reports?type=pain.002', { key: s.apiKey });
    const raw = await call(target, 'GET', `/v1/swedbank/reports/${reports.json.reports.at(-1).reportId}`, { key: s.apiKey });
    const original = parsePain002(raw.text).value?.original;
    expect(original).toMatchObject({ groupStatus: 'RJCT', reasons: [{ code: 'FF01' }] });
    expect(raw.text).toContain('<OrgnlMsgNmId>UNKNOWN</OrgnlMsgNmId>');
    expect(raw.text).toContain(`<OrgnlMsgId>${String(file.json.messageId)}</OrgnlMsgId>`);
    expect(raw.text).toContain('not a payment file');
  });

  it.each([
    ['a DOCTYPE with an entity', () => '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><Document/>'],
    ['a pain.001 cut off half-way', (full: string) => full.slice(0, Math.floor(full.length / 2))],
    ['a pain.001 with an empty MsgId', (full: string) => full.replace(/<MsgId>[^<]*<\/MsgId>/, '<MsgId></MsgId>')],
    ['a pain.001 with a 40-character MsgId', (full: string) => full.replace(/<MsgId>[^<]*<\/MsgId>/, `<MsgId>${'M'.repeat(40)}</MsgId>`)],
  ])('%s: its message id is UNKNOWN-<hash> and the bank\'s pain.002 for it is valid against the schema', async (_name, broken) => {
    const target = { baseUrl: () => simulator.url };
    const s = await createSandbox(target, 'swedbank');
    const body = broken(pain001For(sender(s), [{ amountOre: 100_00, date: '2026-03-20' }]));
    const up = await call(target, 'POST', '/v1/swedbank/payment-files', { key: s.apiKey, body, headers: { 'content-type': 'application/xml' } });
    expect(up.status).toBe(202);
    const file = await call(target, 'GET', `/v1/swedbank/payment-files/${up.json.fileId}`, { key: s.apiKey });
    expect(file.json.status).toBe('REJECTED');
    expect(file.json.messageId).toMatch(/^UNKNOWN-[0-9a-f]{12}$/);
    const reports = await call(target, 'GET', '/v1/swedbank/reports?type=pain.002', { key: s.apiKey });
    const raw = await call(target, 'GET', `/v1/swedbank/reports/${reports.json.reports.at(-1).reportId}`, { key: s.apiKey });
    const checked = validateFile(raw.text);
    expect(checked.issues).toEqual([]);
    expect(checked.format).toBe('pain.002');
    expect(raw.text).toContain(`<OrgnlMsgId>${String(file.json.messageId)}</OrgnlMsgId>`);
  });
});
