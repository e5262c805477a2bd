/**
 * A hostile corpus for the reliability suite: requests an outsider would send to every
 * endpoint (bad credentials, malformed paths, wrong types, impossible dates, oversized and
 * broken bodies, hostile XML and LB files, broken HTTP). Each case says what a correct server
 * answers: a problem document with a stable code, a file the bank rejects (RJCT with an ISO
 * reason), or the internet bank's own error page.
 */
import { encodeLatin1 } from '../../formats/bankgirot/fixed-width.ts';
import { pain001For, type FileSender } from '../support/payment-files.ts';

export type Expectation =
  /** 4xx application/problem+json with a stable code (optionally exactly this one). */
  | { kind: 'problem'; code?: string }
  /** Accepted for processing (202), then rejected by the bank: RJCT with ISO reason codes. */
  | { kind: 'rjct' }
  /** A 4xx HTML page of the internet bank. */
  | { kind: 'page' };

export interface HostileCase {
  name: string;
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  /** Raw bytes written to the socket instead of a well-formed request. */
  raw?: string;
  expect: Expectation;
}

export interface Tenant {
  bank: 'swedbank' | 'sparbanken';
  sandboxId: string;
  apiKey: string;
  sender: FileSender;
  accountId: string;
}

const problem = (code?: string): Expectation => (code === undefined ? { kind: 'problem' } : { kind: 'problem', code });

/** Every JSON endpoint with a body, and bodies no schema should take. */
function jsonBodies(): { name: string; body: string }[] {
  return [
    { name: 'not JSON', body: '{"bank":' },
    { name: 'JSON array', body: '[1,2,3]' },
    { name: 'JSON string', body: '"swedbank"' },
    { name: 'null', body: 'null' },
    { name: 'prototype pollution', body: '{"__proto__":{"admin":true},"constructor":{"prototype":{"x":1}}}' },
    { name: 'deep nesting', body: `${'['.repeat(5000)}${']'.repeat(5000)}` },
    { name: 'unknown members', body: '{"zzz":1,"yyy":[{}]}' },
    { name: 'numbers as strings', body: '{"days":"5","amountOre":"100","to":5}' },
    { name: 'huge numbers', body: '{"days":1e308,"amountOre":1e400,"seed":-1}' },
  ];
}

const IMPOSSIBLE_TIMES = ['2026-02-30T25:61', '2026-13-45', '2026-02-29', '2026-04-31T08:00:00', '2026-03-16T24:00:00', '2026-03-16T23:60', '2026-03-16T23:59:60', '9999-12-31T23:00:00', '0000-01-01', '+2026-03-16', '2026-3-16', '2026-03-16T08:00:00Z', '2026-03-16 08:00', ''];

const HOSTILE_WEBHOOKS = [
  'file:///etc/passwd', 'gopher://127.0.0.1:25/', 'javascript:alert(1)', 'ftp://example.com/', 'data:text/plain,hi',
  'http://169.254.169.254/latest/meta-data/', 'http://[fe80::1]/', 'http://10.0.0.1/', 'http://192.168.1.1/', 'http://172.16.0.1/', 'http://100.64.0.1/',
  'http://[fd00::1]/', 'http://0.0.0.0/', 'http://[::ffff:169.254.169.254]/', 'http://example.com/\r\nX-Injected: 1', 'http://exa\tmple.com/', 'http://user:pass@example.com/', 'not a url', `http://example.com/${'a'.repeat(3000)}`,
];

export function apiCorpus(a: Tenant, b: Tenant): HostileCase[] {
  const cases: HostileCase[] = [];
  const key = (t: Tenant) => ({ authorization: `Bearer ${t.apiKey}` });
  const jsonHeaders = (t: Tenant) => ({ ...key(t), 'content-type': 'application/json' });
  const sandboxPaths = ['', '/clock/advance', '/faults', '/incoming-payments', '/webhook', '/webhook/deliveries', '/events'];
  const bankPaths = ['/payment-files', '/payment-files/pf_000001', '/accounts', `/accounts/${a.accountId}/balances`, `/accounts/${a.accountId}/entries`, `/accounts/${a.accountId}/intraday-report`, '/payments', '/payments/pmt_0000001', '/reports', '/reports/rpt_000001', '/cancellation-requests'];

  // ── credentials: none, unknown, malformed, another tenant's ──
  for (const p of sandboxPaths) {
    cases.push({ name: `no key ${p}`, method: 'GET', path: `/sandboxes/${a.sandboxId}${p}`, expect: problem() });
    cases.push({ name: `unknown key ${p}`, method: 'GET', path: `/sandboxes/${a.sandboxId}${p}`, headers: { authorization: 'Bearer sk_test_nope' }, expect: problem() });
    cases.push({ name: `other tenant's sandbox ${p}`, method: 'GET', path: `/sandboxes/${a.sandboxId}${p}`, headers: key(b), expect: problem() });
  }
  for (const p of bankPaths) {
    const method = p === '/cancellation-requests' ? 'POST' : 'GET';
    cases.push({ name: `no key ${p}`, method, path: `/v1/${a.bank}${p}`, expect: problem('UNAUTHORIZED') });
    cases.push({ name: `basic auth ${p}`, method, path: `/v1/${a.bank}${p}`, headers: { authorization: 'Basic dXNlcjpwYXNz' }, expect: problem('UNAUTHORIZED') });
    cases.push({ name: `bearer with spaces ${p}`, method, path: `/v1/${a.bank}${p}`, headers: { authorization: `Bearer ${a.apiKey} extra` }, expect: problem('UNAUTHORIZED') });
    cases.push({ name: `unknown bank ${p}`, method: 'GET', path: `/v1/nordea${p}`, headers: key(a), expect: problem() });
    cases.push({ name: `other bank ${p}`, method: 'GET', path: `/v1/${b.bank}${p}`, headers: key(a), expect: problem() });
  }
  // ── malformed and odd paths ──
  for (const bad of ['%E0%A4%A', '%ZZ', '%', '%C0%AF', '%00', '%2e%2e%2f%2e%2e', '..%2F..%2Fetc%2Fpasswd', `${'x'.repeat(5000)}`]) {
    cases.push({ name: `path ${bad.slice(0, 20)} as file id`, method: 'GET', path: `/v1/${a.bank}/payment-files/${bad}`, headers: key(a), expect: problem() });
    cases.push({ name: `path ${bad.slice(0, 20)} as sandbox id`, method: 'GET', path: `/sandboxes/${bad}`, headers: key(a), expect: problem() });
    cases.push({ name: `path ${bad.slice(0, 20)} as bank`, method: 'GET', path: `/v1/${bad}/accounts`, headers: key(a), expect: problem() });
  }
  for (const path of ['/v1/', '/v1', '/sandboxes/', '/sandboxes//faults', `/v1/${a.bank}/payment-files/`, `/v1/${a.bank}//accounts`, '/v2/swedbank/accounts', '/nothing-here', '/internetbank', '/openapi.json/x', '/docs/../etc/passwd', '/%ZZ']) {
    cases.push({ name: `unknown route ${path}`, method: 'GET', path, headers: key(a), expect: path === '/internetbank' ? { kind: 'page' } : problem() });
  }
  // ── methods nobody serves ──
  for (const [method, path] of [['PATCH', `/v1/${a.bank}/payment-files`], ['PUT', `/v1/${a.bank}/accounts`], ['DELETE', `/v1/${a.bank}/reports`], ['POST', `/v1/${a.bank}/payments`], ['GET', `/sandboxes/${a.sandboxId}/clock/advance`], ['DELETE', '/sandboxes'], ['PUT', '/sandboxes'], ['GET', `/v1/${a.bank}/cancellation-requests`]] as const) {
    cases.push({ name: `${method} ${path}`, method, path, headers: jsonHeaders(a), body: method === 'GET' || method === 'DELETE' ? undefined : '{}', expect: problem('METHOD_NOT_ALLOWED') } as HostileCase);
  }
  // ── JSON endpoints with bodies no schema takes ──
  const jsonEndpoints: [string, string][] = [
    ['POST', '/sandboxes'], ['POST', `/sandboxes/${a.sandboxId}/clock/advance`], ['PUT', `/sandboxes/${a.sandboxId}/faults`], ['POST', `/sandboxes/${a.sandboxId}/incoming-payments`],
    ['PUT', `/sandboxes/${a.sandboxId}/webhook`], ['POST', `/v1/${a.bank}/payment-files/pf_000001/signatures`], ['POST', `/v1/${a.bank}/payments/pmt_0000001/cancellation-requests`],
  ];
  for (const [method, path] of jsonEndpoints) {
    for (const { name, body } of jsonBodies()) cases.push({ name: `${method} ${path}: ${name}`, method, path, headers: jsonHeaders(a), body, expect: problem() });
    cases.push({ name: `${method} ${path}: form content type`, method, path, headers: { ...key(a), 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=1', expect: problem() });
  }
  // ── impossible dates and times ──
  for (const start of IMPOSSIBLE_TIMES) {
    cases.push({ name: `sandbox start ${start}`, method: 'POST', path: '/sandboxes', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ bank: 'swedbank', start }), expect: problem('INVALID_REQUEST') });
    cases.push({ name: `clock to ${start}`, method: 'POST', path: `/sandboxes/${a.sandboxId}/clock/advance`, headers: jsonHeaders(a), body: JSON.stringify({ to: start }), expect: problem() });
  }
  for (const days of [-1, 1.5, 3661, 1e9, Number.MAX_SAFE_INTEGER]) {
    cases.push({ name: `advance ${days} days`, method: 'POST', path: `/sandboxes/${a.sandboxId}/clock/advance`, headers: jsonHeaders(a), body: JSON.stringify({ days }), expect: problem('INVALID_REQUEST') });
  }
  cases.push({ name: 'clock backwards', method: 'POST', path: `/sandboxes/${a.sandboxId}/clock/advance`, headers: jsonHeaders(a), body: JSON.stringify({ to: '2001-01-01' }), expect: problem('CLOCK_BACKWARDS') });
  cases.push({ name: 'clock 20 years in one call', method: 'POST', path: `/sandboxes/${a.sandboxId}/clock/advance`, headers: jsonHeaders(a), body: JSON.stringify({ to: '2046-03-12T08:00:00' }), expect: problem('INVALID_REQUEST') });
  // ── numbers and query parameters ──
  for (const amountOre of [0, -100, 1.5, 1e16, 'NaN', null]) {
    cases.push({ name: `incoming payment ${String(amountOre)}`, method: 'POST', path: `/sandboxes/${a.sandboxId}/incoming-payments`, headers: jsonHeaders(a), body: JSON.stringify({ amountOre, reference: '123' }), expect: problem('INVALID_REQUEST') });
  }
  for (const q of ['after=-1', 'after=abc', 'after=1e5', 'after=%ZZ']) cases.push({ name: `events ?${q}`, method: 'GET', path: `/sandboxes/${a.sandboxId}/events?${q}`, headers: key(a), expect: problem() });
  for (const q of ['limit=0', 'limit=-5', 'limit=abc', 'limit=100000', 'type=camt.999', 'after=../../x', 'after=rpt_1e9']) cases.push({ name: `reports ?${q}`, method: 'GET', path: `/v1/${a.bank}/reports?${q}`, headers: key(a), expect: problem('INVALID_REQUEST') });
  for (const q of ['from=2026-02-30', 'from=yesterday', 'from=2026-13-01']) cases.push({ name: `entries ?${q}`, method: 'GET', path: `/v1/${a.bank}/accounts/${a.accountId}/entries?${q}`, headers: key(a), expect: problem('INVALID_REQUEST') });
  for (const q of ['status=paid', 'status=', 'status=EXECUTED%00']) cases.push({ name: `payments ?${q}`, method: 'GET', path: `/v1/${a.bank}/payments?${q}`, headers: key(a), expect: problem('INVALID_REQUEST') });
  cases.push({ name: 'payment file ?payments=maybe', method: 'GET', path: `/v1/${a.bank}/payment-files/pf_000001?payments=maybe`, headers: key(a), expect: problem() });
  // ── webhook URLs the server must refuse ──
  for (const url of HOSTILE_WEBHOOKS) {
    cases.push({ name: `webhook ${url.slice(0, 40)}`, method: 'PUT', path: `/sandboxes/${a.sandboxId}/webhook`, headers: jsonHeaders(a), body: JSON.stringify({ url }), expect: problem() });
  }
  cases.push({ name: 'sandbox with a metadata webhook', method: 'POST', path: '/sandboxes', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ bank: 'swedbank', webhook: { url: 'http://169.254.169.254/' } }), expect: problem('WEBHOOK_URL_REFUSED') });
  // ── faults the schema refuses ──
  for (const action of [{ type: 'reject', reasonCode: 'lower' }, { type: 'latency', ms: 3_600_000 }, { type: 'http-error', status: 200 }, { type: 'explode' }, { type: 'delay-report', bankDays: 0 }]) {
    cases.push({ name: `fault ${JSON.stringify(action)}`, method: 'PUT', path: `/sandboxes/${a.sandboxId}/faults`, headers: jsonHeaders(a), body: JSON.stringify({ rules: [{ action }] }), expect: problem('INVALID_REQUEST') });
  }
  // ── uploads that are not payment files at all, and wrong content types ──
  cases.push({ name: 'empty upload', method: 'POST', path: `/v1/${a.bank}/payment-files`, headers: { ...key(a), 'content-type': 'application/xml' }, body: '', expect: problem('INVALID_REQUEST') });
  cases.push({ name: 'JSON upload', method: 'POST', path: `/v1/${a.bank}/payment-files`, headers: { ...key(a), 'content-type': 'application/json' }, body: '{}', expect: problem('UNSUPPORTED_MEDIA_TYPE') });
  cases.push({ name: 'image upload', method: 'POST', path: `/v1/${a.bank}/payment-files`, headers: { ...key(a), 'content-type': 'image/png' }, body: '\x89PNG', expect: problem('UNSUPPORTED_MEDIA_TYPE') });
  cases.push({ name: 'upload over the declared limit', method: 'POST', path: `/v1/${a.bank}/payment-files`, headers: { ...key(a), 'content-type': 'application/xml', 'content-length': String(10 * 1024 * 1024 * 1024) }, raw: 'declared-too-large', expect: problem('PAYLOAD_TOO_LARGE') });
  cases.push({ name: 'camt.055 garbage', method: 'POST', path: `/v1/${a.bank}/cancellation-requests`, headers: { ...key(a), 'content-type': 'application/xml' }, body: '<Document><oops', expect: problem('INVALID_REQUEST') });
  cases.push({ name: 'camt.055 XXE', method: 'POST', path: `/v1/${a.bank}/cancellation-requests`, headers: { ...key(a), 'content-type': 'application/xml' }, body: '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><Document>&x;</Document>', expect: problem('INVALID_REQUEST') });
  cases.push({ name: 'sign a file that does not exist', method: 'POST', path: `/v1/${a.bank}/payment-files/pf_999999/signatures`, headers: jsonHeaders(a), body: JSON.stringify({ signedBy: 'x', role: 'administrator', verification: 'totp' }), expect: problem('FILE_NOT_FOUND') });
  cases.push({ name: 'cancel a payment that does not exist', method: 'POST', path: `/v1/${a.bank}/payments/pmt_9999999/cancellation-requests`, headers: jsonHeaders(a), body: '{}', expect: problem('PAYMENT_NOT_FOUND') });
  cases.push({ name: 'report of another tenant', method: 'GET', path: `/v1/${b.bank}/reports/rpt_000001`, headers: key(a), expect: problem() });
  cases.push({ name: 'test-only provider states (off)', method: 'POST', path: `/sandboxes/provider-states?bank=${a.bank}`, headers: jsonHeaders(a), body: JSON.stringify({ state: 'a request body limit of {bytes} bytes', params: { bytes: 100 } }), expect: problem() });
  return cases;
}

/** Payment files an outsider might upload: every one must end RJCT with ISO reason codes. */
export function fileCorpus(t: Tenant): HostileCase[] {
  const good = pain001For(t.sender, [{ amountOre: 100_00, date: '2026-03-16' }, { amountOre: 200_00, date: '2026-03-16' }], { messageId: `GOOD-${t.bank}` });
  const swap = (from: RegExp | string, to: string, messageId: string) => good.replace(new RegExp(`GOOD-${t.bank}`, 'g'), messageId).replace(from, to);
  const xml: [string, string][] = [
    ['XXE entity', `<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>${good.replace(/^<\?xml[^>]*\?>/, '').replace('<Nm>', '<Nm>&x;')}`],
    ['billion laughs', `<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]><Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.03">&d;</Document>`],
    ['deep nesting', `<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.03">${'<a>'.repeat(20000)}${'</a>'.repeat(20000)}</Document>`],
    ['wrong namespace', good.replace(/pain\.001\.001\.03/g, 'pain.001.001.99')],
    ['a pain.002 sent as payment', '<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.03"><CstmrPmtStsRpt><GrpHdr><MsgId>X</MsgId></GrpHdr></CstmrPmtStsRpt></Document>'],
    ['truncated', good.slice(0, Math.floor(good.length / 2))],
    ['BOM then garbage', '\uFEFF<<<>>>'],
    ['empty document', '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"/>'],
    ['processing instruction bomb', `<?xml version="1.0"?>${'<?pi x?>'.repeat(5000)}<Document/>`],
    ['negative amount', swap(/<InstdAmt Ccy="SEK">100\.00<\/InstdAmt>/, '<InstdAmt Ccy="SEK">-100.00</InstdAmt>', 'NEG-1')],
    ['zero amount', swap(/<InstdAmt Ccy="SEK">100\.00<\/InstdAmt>/, '<InstdAmt Ccy="SEK">0.00</InstdAmt>', 'ZERO-1')],
    ['three decimals', swap(/<InstdAmt Ccy="SEK">100\.00<\/InstdAmt>/, '<InstdAmt Ccy="SEK">100.001</InstdAmt>', 'DEC-1')],
    ['astronomical amount', swap(/<InstdAmt Ccy="SEK">100\.00<\/InstdAmt>/, '<InstdAmt Ccy="SEK">999999999999999999.00</InstdAmt>', 'HUGE-1')],
    ['amount with a comma', swap(/<InstdAmt Ccy="SEK">100\.00<\/InstdAmt>/, '<InstdAmt Ccy="SEK">100,00</InstdAmt>', 'COMMA-1')],
    ['30 February', swap(/<ReqdExctnDt>2026-03-16<\/ReqdExctnDt>/, '<ReqdExctnDt>2026-02-30</ReqdExctnDt>', 'FEB30-1')],
    ['month 13', swap(/<ReqdExctnDt>2026-03-16<\/ReqdExctnDt>/, '<ReqdExctnDt>2026-13-45</ReqdExctnDt>', 'M13-1')],
    ['year 9999', swap(/<ReqdExctnDt>2026-03-16<\/ReqdExctnDt>/, '<ReqdExctnDt>9999-12-31</ReqdExctnDt>', 'Y9999-1')],
    ['currency USD', swap(/Ccy="SEK"/g, 'Ccy="USD"', 'USD-1')],
    ['currency lower case', swap(/Ccy="SEK"/g, 'Ccy="sek"', 'LOWER-1')],
    ['currency unknown', swap(/Ccy="SEK"/g, 'Ccy="ZZZ"', 'ZZZ-1')],
    ['debtor IBAN of nobody', swap(/<IBAN>SE\d{22}<\/IBAN>/, '<IBAN>SE0000000000000000000000</IBAN>', 'IBAN-1')],
    ['creditor bankgiro with a bad check digit', swap(/<Id>50501055<\/Id>/g, '<Id>50501056</Id>', 'BG-1')],
    ['wrong number of transactions', swap(/<NbOfTxs>2<\/NbOfTxs>/, '<NbOfTxs>7</NbOfTxs>', 'NB-1')],
    ['wrong control sum', swap(/<CtrlSum>300\.00<\/CtrlSum>/, '<CtrlSum>1.00</CtrlSum>', 'CS-1')],
    ['message id too long', swap('', '', 'M'.repeat(80))],
    ['control characters in a name', swap('<Nm>Trävaruhuset AB</Nm>', '<Nm>Tr\u0001\u0002varuhuset</Nm>', 'CTRL-1')],
    ['script in a name', swap('<Nm>Trävaruhuset AB</Nm>', '<Nm>&lt;script&gt;alert(1)&lt;/script&gt;</Nm>', 'XSS-1')],
    ['external DTD', `<?xml version="1.0"?><!DOCTYPE Document SYSTEM "http://169.254.169.254/x.dtd">${good.replace(/^<\?xml[^>]*\?>/, '')}`],
  ];
  const latin1 = Buffer.from(swap('', '', 'LATIN1-1'), 'latin1');
  const cases: HostileCase[] = [{ name: 'pain.001 in Latin-1, declared UTF-8', method: 'POST', path: `/v1/${t.bank}/payment-files`, headers: { authorization: `Bearer ${t.apiKey}`, 'content-type': 'application/xml' }, body: new Uint8Array(latin1), expect: { kind: 'rjct' } }];
  cases.push(...xml.map(([name, body]) => ({ name: `pain.001 ${name}`, method: 'POST', path: `/v1/${t.bank}/payment-files`, headers: { authorization: `Bearer ${t.apiKey}`, 'content-type': 'application/xml' }, body, expect: { kind: 'rjct' } } satisfies HostileCase)));
  const record = (s: string) => s.padEnd(80, ' ');
  const lb = (lines: string[]) => encodeLatin1(`${lines.join('\r\n')}\r\n`);
  const opening = (currency = 'SEK') => record(`110005050105260312LEVERANTÖRSBETALNINGAR${' '.repeat(19)}${currency}`);
  const payment = (amount = '000000012500', date = '260316', payee = '0009912346') => record(`14${payee}${'1234574'.padEnd(25)}${amount}${date}${' '.repeat(5)}Faktura 1001`);
  const closing = (count = '00000001', total = '000000012500') => record(`290005050105${count}${total}`);
  const lbFiles: [string, Uint8Array][] = [
    ['short records', lb(['1100050501', '14000', '29'])],
    ['no opening record', lb([payment(), closing()])],
    ['no closing record', lb([opening(), payment()])],
    ['closing total wrong', lb([opening(), payment(), closing('00000001', '000000099999')])],
    ['closing count wrong', lb([opening(), payment(), closing('00000009')])],
    ['30 February', lb([opening(), payment('000000012500', '260230'), closing()])],
    ['month 13', lb([opening(), payment('000000012500', '261345'), closing()])],
    ['amount not numeric', lb([opening(), payment('00000ABC1250'), closing()])],
    ['zero amount', lb([opening(), payment('000000000000'), closing('00000001', '000000000000')])],
    ['payee bankgiro with a bad check digit', lb([opening(), payment('000000012500', '260316', '0009912347'), closing()])],
    ['unknown record type', lb([opening(), record('ZZ garbage'), payment(), closing()])],
    ['line longer than 80', lb([opening(), `${payment()}${'X'.repeat(500)}`, closing()])],
    ['UTF-8 instead of Latin-1', Buffer.from(`${[opening(), payment(), closing()].join('\r\n')}\r\n`.replace('LEVERANTÖRSBETALNINGAR', 'LEVERANT\u00d6RSBETALNINGAR\u2603'), 'utf8')],
    ['NUL bytes', new Uint8Array([0x31, 0x31, 0, 0, 0, 0x0d, 0x0a])],
    ['only blank lines', lb(['', '', ''])],
    ['sender bankgiro of nobody', lb([record('110009999999260312LEVERANTÖRSBETALNINGAR'), payment(), record('290009999999000000010000000125 00')])],
    ['a return file sent as an order', lb([opening(), payment(), record('49MTRV0042 bankgiro number incorrect'), closing()])],
  ];
  for (const [name, body] of lbFiles) cases.push({ name: `LB ${name}`, method: 'POST', path: `/v1/${t.bank}/payment-files`, headers: { authorization: `Bearer ${t.apiKey}`, 'content-type': 'text/plain' }, body, expect: { kind: 'rjct' } });
  return cases;
}

/** The internet bank: every hostile request gets its own error page (or a login page again). */
export function pageCorpus(bank: string): HostileCase[] {
  const base = `/internetbank/${bank}`;
  const form = { 'content-type': 'application/x-www-form-urlencoded' };
  return [
    { name: 'malformed cookie on the login page', method: 'GET', path: `${base}/files`, headers: { cookie: 'sb_session=%E0%A4%A; sb_lang=%ZZ' }, expect: { kind: 'page' } },
    { name: 'malformed cookie on log in', method: 'POST', path: `${base}/login`, headers: { ...form, cookie: 'sb_login_csrf=%' }, body: 'userId=u1&password=x&_csrf=%', expect: { kind: 'page' } },
    { name: 'login form over the limit', method: 'POST', path: `${base}/login`, headers: form, body: `userId=${'u'.repeat(40_000)}`, expect: { kind: 'page' } },
    { name: 'login form malformed encoding', method: 'POST', path: `${base}/login`, headers: form, body: 'userId=%ZZ&password=%E0%A4%A', expect: { kind: 'page' } },
    { name: 'login without CSRF', method: 'POST', path: `${base}/login`, headers: form, body: 'userId=u1&password=x', expect: { kind: 'page' } },
    { name: 'code without a session', method: 'POST', path: `${base}/login/totp`, headers: form, body: 'code=123456', expect: { kind: 'page' } },
    { name: 'sign without a session', method: 'POST', path: `${base}/files/pf_000001/sign`, headers: form, body: '_csrf=x', expect: { kind: 'page' } },
    { name: 'delete without a session', method: 'POST', path: `${base}/payments/pmt_0000001/delete`, headers: form, body: '_csrf=x', expect: { kind: 'page' } },
    { name: 'unknown page', method: 'GET', path: `${base}/admin`, expect: { kind: 'page' } },
    { name: 'unknown bank', method: 'GET', path: '/internetbank/nordea/', expect: { kind: 'page' } },
    { name: 'malformed bank segment', method: 'GET', path: '/internetbank/%ZZ/', expect: { kind: 'page' } },
    { name: 'malformed file id', method: 'POST', path: `${base}/files/%E0%A4%A/sign`, headers: form, body: '_csrf=x', expect: { kind: 'page' } },
    { name: 'JSON to a form endpoint', method: 'POST', path: `${base}/login`, headers: { 'content-type': 'application/json' }, body: '{"userId":"u1"', expect: { kind: 'page' } },
    { name: 'enrolment without a session', method: 'GET', path: `${base}/enrol`, expect: { kind: 'page' } },
    { name: 'PUT on a page', method: 'PUT', path: `${base}/files`, headers: form, body: 'x=1', expect: { kind: 'page' } },
  ];
}

/** The operator console: its own error pages (or its log-in page again), never a trace. */
export function consoleCorpus(sandboxId: string): HostileCase[] {
  const form = { 'content-type': 'application/x-www-form-urlencoded' };
  return [
    { name: 'console: malformed cookie', method: 'GET', path: '/console/sandboxes', headers: { cookie: 'sb_console=%E0%A4%A' }, expect: { kind: 'page' } },
    { name: 'console: log-in form over the limit', method: 'POST', path: '/console/login', headers: form, body: `key=${'k'.repeat(100_000)}`, expect: { kind: 'page' } },
    { name: 'console: log-in without CSRF', method: 'POST', path: '/console/login', headers: form, body: 'key=sk_test_x', expect: { kind: 'page' } },
    { name: 'console: malformed path', method: 'GET', path: '/console/sandboxes/%ZZ', expect: { kind: 'page' } },
    { name: 'console: clock without a session', method: 'POST', path: `/console/sandboxes/${sandboxId}/clock`, headers: form, body: 'to=2026-02-30', expect: { kind: 'page' } },
    { name: 'console: unknown page', method: 'GET', path: '/console/admin/../../etc', expect: { kind: 'page' } },
  ];
}

/** Requests node itself must answer (before any handler): broken HTTP, huge headers. */
export function protocolCorpus(): HostileCase[] {
  const raw = (name: string, text: string): HostileCase => ({ name, method: 'RAW', path: '', raw: text, expect: { kind: 'problem' } });
  return [
    raw('garbage request line', 'HELLO THERE\r\n\r\n'),
    raw('header without a colon', 'GET /health HTTP/1.1\r\nHost: x\r\nBroken header\r\n\r\n'),
    raw('bad HTTP version', 'GET /health HTTP/9.9\r\nHost: x\r\n\r\n'),
    raw('header too large', `GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(64 * 1024)}\r\n\r\n`),
    raw('too many headers', `GET /health HTTP/1.1\r\nHost: x\r\n${Array.from({ length: 3000 }, (_, i) => `X-H${i}: v`).join('\r\n')}\r\n\r\n`),
    raw('conflicting lengths', 'POST /sandboxes HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n'),
    raw('bad chunk size', 'POST /sandboxes HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\nZZ\r\n{}\r\n0\r\n\r\n'),
    raw('NUL in the path', 'GET /v1/\u0000 HTTP/1.1\r\nHost: x\r\n\r\n'),
    raw('non-numeric content length', 'POST /sandboxes HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n'),
  ];
}
