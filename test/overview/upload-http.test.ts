/**
 * The overview over a real port: the bureau's SIE upload (good files, every kind of bad file,
 * replacement of years), what a customer then reads, and that companies never see each other.
 */
import { readFileSync } from 'node:fs';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_SIE_BYTES } from '../../client/overview/sie-import.ts';
import { decodeCp437, encodeSie } from '../../formats/sie/sie4.ts';
import { HAS_SHARED, sharedPath } from '../support/shared.ts';
import { ledgerExport, logIn, startTestOverview, uploadBytes, type TestOverview } from '../support/overview.ts';

let overview: TestOverview;
beforeAll(async () => {
  overview = await startTestOverview();
});
afterAll(async () => {
  await overview?.close();
});

interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  issues?: { line?: number; code: string; message: string }[];
}

async function problemOf(res: Response): Promise<Problem> {
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const text = await res.text();
  expect(text).not.toMatch(/\n\s+at |\.ts:\d+|node_modules/);
  return JSON.parse(text) as Problem;
}

async function page(path: string, cookie: string): Promise<{ status: number; html: string }> {
  const res = await fetch(`${overview.url}${path}`, { headers: { cookie }, redirect: 'manual' });
  return { status: res.status, html: await res.text() };
}

/** The figure shown in a `data-testid` box, e.g. "51 000,00 kr". */
function figure(html: string, testid: string): string | undefined {
  return new RegExp(`data-testid="${testid}">[^<]*<strong>([^<]*)</strong>`).exec(html)?.[1]?.replace(/\u00a0/g, ' ');
}

const text = (bytes: Uint8Array) => decodeCp437(bytes);
const cp437 = (sie: string) => ({ sie, bytes: encodeSie(sie) });
/** The line of the #VER whose block holds the line containing `needle`. */
const verLineBefore = (sie: string, needle: string) => {
  const lines = sie.split('\r\n');
  let i = lines.findIndex((l) => l.includes(needle));
  while (i > 0 && !lines[i]?.startsWith('#VER')) i--;
  return i + 1;
};
const lineOf = (sie: string, startsWith: string) => sie.split('\r\n').findIndex((l) => l.trimStart().startsWith(startsWith)) + 1;

describe('SIE upload by the bureau', () => {
  it('stores the reference client\'s export; the customer sees the month\'s result and year to date', async () => {
    const res = await uploadBytes(overview.url, overview.token, 'snickeri', ledgerExport());
    expect(res.status).toBe(200);
    const body = (await res.json()) as { years: { start: string; sieType: number; monthlySource: string; replaced: boolean }[]; reconciliation: unknown[]; warnings: unknown[] };
    expect(body.years).toEqual([{ start: '20260101', end: '20261231', sieType: 4, monthlySource: 'PSALDO', replaced: false }]);
    expect(body.reconciliation).toEqual([]);
    expect(body.warnings).toEqual([]);
    const cookie = await logIn(overview.url, 'anna@snickeri', 'lösenord-anna');
    const march = await page('/overview?year=20260101&month=202603', cookie);
    expect(march.status).toBe(200);
    expect(figure(march.html, 'month-result')).toBe('51 000,00 kr');
    expect(figure(march.html, 'ytd-result')).toBe('143 000,00 kr');
    // 200 000 + 50 000 + 65 000 + 76 250 kr in, the 12 500 kr supplier payment out.
    expect(figure(march.html, 'month-bank')).toBe('378 750,00 kr');
    expect(march.html).toContain('<svg');
  });

  it('replaces a re-uploaded year as a whole', async () => {
    const res = await uploadBytes(overview.url, overview.token, 'snickeri', ledgerExport(5_000_00));
    expect(((await res.json()) as { years: { replaced: boolean }[] }).years[0]?.replaced).toBe(true);
    const cookie = await logIn(overview.url, 'anna@snickeri', 'lösenord-anna');
    expect(figure((await page('/overview?year=20260101&month=202603', cookie)).html, 'month-result')).toBe('56 000,00 kr');
    // Back to the first export for the tests below.
    expect((await uploadBytes(overview.url, overview.token, 'snickeri', ledgerExport())).status).toBe(200);
  });

  it('finds the company by the file\'s #ORGNR when none is named', async () => {
    const res = await uploadBytes(overview.url, overview.token, undefined, ledgerExport());
    expect(res.status).toBe(200);
    expect(((await res.json()) as { companyId: string }).companyId).toBe('snickeri');
    const unknown = await uploadBytes(overview.url, overview.token, undefined, encodeSie(text(ledgerExport()).replace('#ORGNR 556512-3456', '#ORGNR 559999-0000').replace(/#KSUMMA \d+/, '').replace('#KSUMMA\r\n', '')));
    expect(unknown.status).toBe(422);
    expect((await problemOf(unknown)).code).toBe('COMPANY_NOT_IDENTIFIED');
  });

  it('refuses a file whose #ORGNR is another company\'s even when a company is named, and keeps what is stored', async () => {
    const cookie = await logIn(overview.url, 'anna@snickeri', 'lösenord-anna');
    const before = (await page('/overview?year=20260101&month=202603', cookie)).html;
    const other = encodeSie(text(ledgerExport(9_000_00)).replace('#ORGNR 556512-3456', '#ORGNR 559999-0000').replace(/#KSUMMA \d+/, '').replace('#KSUMMA\r\n', ''));
    const res = await uploadBytes(overview.url, overview.token, 'snickeri', other);
    expect(res.status).toBe(409);
    const refused = await problemOf(res);
    expect(refused.code).toBe('COMPANY_MISMATCH');
    expect(refused.detail).toContain('559999-0000');
    expect((await page('/overview?year=20260101&month=202603', cookie)).html).toBe(before);
  });
});

describe('bad SIE is refused with its line numbers, and nothing stored is lost', () => {
  const good = text(ledgerExport());
  const withoutChecksum = (sie: string) => sie.replace('#KSUMMA\r\n', '').replace(/#KSUMMA \d+\r\n/, '');
  /** Each case: the text as written, its bytes as sent, the issue code and the lines it must name. */
  const cases: [string, () => { sie: string; bytes: Uint8Array }, string, (sie: string) => number[]][] = [
    ['a wrong #KSUMMA', () => cp437(good.replace('"Företagskonto / checkkonto"', '"Företagskonto"')), 'SIE_CHECKSUM_MISMATCH', (sie) => [lineOf(sie, '#KSUMMA ')]],
    ['an unbalanced #VER', () => cp437(withoutChecksum(good).replace('#TRANS 3001 {} -61000.00', '#TRANS 3001 {} -60000.00')), 'SIE_UNBALANCED_VOUCHER', (sie) => [verLineBefore(sie, '#TRANS 3001 {} -60000.00')]],
    ['an account without #KONTO', () => cp437(withoutChecksum(good).replace(/#KONTO 4010 [^\r]*\r\n/, '')), 'SIE_UNKNOWN_ACCOUNT', (sie) => sie.split('\r\n').flatMap((l, i) => (/^(#RES 0 4010|#PSALDO 0 \d+ 4010|\s*#TRANS 4010)/.test(l) ? [i + 1] : []))],
    ['bytes that are not #FORMAT PC8 (UTF-8)', () => ({ sie: withoutChecksum(good), bytes: new Uint8Array(Buffer.from(withoutChecksum(good), 'utf8')) }), 'SIE_ENCODING_MISMATCH', (sie) => sie.split('\r\n').flatMap((l, i) => (/[^\x00-\x7f]/.test(l) ? [i + 1] : []))],
    ['bytes that are not #FORMAT PC8 (Latin-1)', () => ({ sie: withoutChecksum(good), bytes: new Uint8Array(iconv.encode(withoutChecksum(good), 'latin1')) }), 'SIE_ENCODING_MISMATCH', (sie) => sie.split('\r\n').flatMap((l, i) => (/[åäöÅÄÖé]/.test(l) ? [i + 1] : []))],
    ['a file cut short after its opening #KSUMMA', () => cp437(good.slice(0, good.indexOf('#VER'))), 'SIE_CHECKSUM_MISSING', () => [2]],
  ];

  it.each(cases)('%s', async (_name, make, code, expectedLines) => {
    const before = await overview.service.years('snickeri');
    const { sie, bytes } = make();
    const res = await uploadBytes(overview.url, overview.token, 'snickeri', bytes);
    expect(res.status).toBe(422);
    const problem = await problemOf(res);
    expect(problem.code).toBe('SIE_INVALID');
    const lines = expectedLines(sie);
    expect(lines.length).toBeGreaterThan(0);
    expect(problem.issues?.filter((i) => i.code === code).map((i) => i.line)).toEqual(lines);
    expect(problem.detail).toContain(`line${lines.length > 1 ? 's' : ''} ${lines.slice(0, 3).join(', ')}`);
    expect(await overview.service.years('snickeri')).toEqual(before);
  });

  it(`refuses a file over the documented limit (${MAX_SIE_BYTES} bytes) with 413, before reading it`, async () => {
    const before = await overview.service.years('snickeri');
    const padded = Buffer.concat([Buffer.from(ledgerExport()), Buffer.alloc(MAX_SIE_BYTES, 0x20)]);
    const res = await uploadBytes(overview.url, overview.token, 'snickeri', new Uint8Array(padded));
    expect(res.status).toBe(413);
    expect((await problemOf(res)).code).toBe('SIE_TOO_LARGE');
    expect(await overview.service.years('snickeri')).toEqual(before);
  });

  it('answers RFC 9457 problems for a missing token, another bureau\'s company and an unknown endpoint', async () => {
    const none = await fetch(`${overview.url}/api/v1/companies/snickeri/sie`, { method: 'POST', body: ledgerExport() });
    expect([none.status, (await problemOf(none)).code]).toEqual([401, 'UNAUTHORIZED']);
    const foreign = await uploadBytes(overview.url, overview.otherToken, 'snickeri', ledgerExport());
    expect([foreign.status, (await problemOf(foreign)).code]).toEqual([404, 'COMPANY_NOT_FOUND']);
    const unknown = await fetch(`${overview.url}/api/v1/nothing`, { headers: { authorization: `Bearer ${overview.token}` } });
    expect([unknown.status, (await problemOf(unknown)).code]).toEqual([404, 'NOT_FOUND']);
  });
});

describe('companies and their users', () => {
  it('a user of one company never sees another company\'s figures', async () => {
    const cookie = await logIn(overview.url, 'bo@bageri', 'lösenord-bo');
    const own = await page('/overview', cookie);
    expect(own.status).toBe(200);
    expect(own.html).toContain('Bageriet i Grebbestad AB');
    expect(own.html).toContain('har inte laddat upp någon bokföring');
    expect(own.html).not.toContain('Fjällbacka');
    const probe = await page('/overview?year=20260101&month=202603', cookie);
    expect(probe.status).toBe(404);
    expect(probe.html).not.toContain('51');
    const csv = await page('/overview/income-statement.csv?year=20260101', cookie);
    expect(csv.status).toBe(404);
  });

  it('any number of users per company, each with their own login', async () => {
    const added = await fetch(`${overview.url}/api/v1/companies/snickeri/users`, { method: 'POST', headers: { authorization: `Bearer ${overview.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ username: 'kalle@snickeri', name: 'Kalle', password: 'kalles-lösen' }) });
    expect(added.status).toBe(201);
    const cookie = await logIn(overview.url, 'kalle@snickeri', 'kalles-lösen');
    expect(figure((await page('/overview?year=20260101&month=202603', cookie)).html, 'month-result')).toBe('51 000,00 kr');
    const taken = await fetch(`${overview.url}/api/v1/companies/bageri/users`, { method: 'POST', headers: { authorization: `Bearer ${overview.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ username: 'kalle@snickeri', password: 'something-long' }) });
    expect([taken.status, (await problemOf(taken)).code]).toEqual([409, 'USERNAME_TAKEN']);
    await expect(logIn(overview.url, 'kalle@snickeri', 'fel lösenord')).rejects.toThrow(/401/);
  });

  it('a bureau registers a company (one per organisation number) and lists its users, never another bureau\'s', async () => {
    const post = (path: string, body: unknown, token = overview.token) => fetch(`${overview.url}/api/v1${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const created = await post('/companies', { id: 'verkstad', name: 'Verkstaden AB', organisationNumber: ' 559000-1234 ' });
    expect([created.status, await created.json()]).toEqual([201, { id: 'verkstad', name: 'Verkstaden AB', organisationNumber: '559000-1234', bureauId: 'bureau-1' }]);
    const twin = await post('/companies', { name: 'Verkstaden igen AB', organisationNumber: '5590001234' });
    expect([twin.status, (await problemOf(twin)).code]).toEqual([409, 'COMPANY_EXISTS']);
    const sameId = await post('/companies', { id: 'verkstad', name: 'Annan AB' });
    expect([sameId.status, (await problemOf(sameId)).code]).toEqual([409, 'COMPANY_EXISTS']);
    for (const bad of [{ name: 'X AB', organisationNumber: '12-34' }, { name: 'X AB', id: 'Has Spaces' }, { organisationNumber: '559000-9999' }]) {
      const refused = await post('/companies', bad);
      expect([refused.status, (await problemOf(refused)).code], JSON.stringify(bad)).toEqual([400, 'INVALID_REQUEST']);
    }
    // Another bureau may hold the same organisation number (a customer that changed bureau).
    expect((await post('/companies', { name: 'Verkstaden AB', organisationNumber: '559000-1234' }, overview.otherToken)).status).toBe(201);
    expect((await post('/companies/verkstad/users', { username: 'vera@verkstad', name: 'Vera', password: 'veras-lösenord' })).status).toBe(201);
    const listed = await fetch(`${overview.url}/api/v1/companies/verkstad/users`, { headers: { authorization: `Bearer ${overview.token}` } });
    expect(await listed.json()).toEqual({ users: [{ username: 'vera@verkstad', name: 'Vera', companyId: 'verkstad' }] });
    const foreign = await fetch(`${overview.url}/api/v1/companies/verkstad/users`, { headers: { authorization: `Bearer ${overview.otherToken}` } });
    expect([foreign.status, (await problemOf(foreign)).code]).toEqual([404, 'COMPANY_NOT_FOUND']);
  });

  it('pages without a session go to the login; unknown pages get the overview\'s own error page', async () => {
    const anonymous = await page('/overview', '');
    expect([anonymous.status]).toEqual([303]);
    const missing = await page('/no/such/page', '');
    expect(missing.status).toBe(404);
    expect(missing.html).toContain('Sidan finns inte');
    expect(missing.html).not.toMatch(/\n\s+at |\.ts:\d+/);
  });
});

describe.skipIf(!HAS_SHARED)('the real SIE samples in ../shared/samples/sie', () => {
  const sample = (name: string) => new Uint8Array(readFileSync(sharedPath(`samples/sie/${name}`)));

  it('SIE_exempelfil.se (#RAR 0 and -1) stores both years and shows the totals the file states; a later file for one year replaces exactly that year', async () => {
    const res = await uploadBytes(overview.url, overview.token, 'bageri', sample('SIE_exempelfil.se'));
    expect(res.status).toBe(200);
    expect(((await res.json()) as { years: { start: string }[] }).years.map((y) => y.start)).toEqual(['20110101', '20100101']);
    const cookie = await logIn(overview.url, 'bo@bageri', 'lösenord-bo');
    const current = await page('/overview?year=20110101&month=201112', cookie);
    // #RES 0 sums to -1 033 931,27 (a profit) and #UB 0 of 19xx to 588 317,61.
    expect(figure(current.html, 'ytd-result')).toBe('1 033 931,27 kr');
    expect(figure(current.html, 'month-bank')).toBe('588 317,61 kr');
    const previous = await page('/overview?year=20100101', cookie);
    expect(previous.html).toContain('data-testid="year-only"');
    expect(previous.html.replace(/\u00a0/g, ' ')).toContain('<td>Resultat</td><td class="amount">63 532,92 kr</td>');
    // A corrected 2011 from another file: 2010 stays as it was.
    const before2010 = (await overview.service.years('bageri')).find((y) => y.start === '20100101');
    const corrected = text(sample('SIE_exempelfil.se')).replace(/#RAR -1 [^\r\n]*\r?\n/, '').replace(/^#(IB|UB|RES) -1 .*\r?\n/gm, '');
    expect((await uploadBytes(overview.url, overview.token, 'bageri', encodeSie(corrected))).status).toBe(200);
    expect((await overview.service.years('bageri')).find((y) => y.start === '20100101')).toEqual(before2010);
  });

  it('Sie4.si (Fortnox) uploads; where its #UB differ from #IB plus the vouchers the page says so with the lines', async () => {
    const res = await uploadBytes(overview.url, overview.token, 'bageri', sample('Sie4.si'));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { reconciliation: { record: string; line: number }[] };
    expect(body.reconciliation.length).toBeGreaterThan(0);
    expect(body.reconciliation.every((r) => r.record === '#UB' && r.line > 0)).toBe(true);
    const cookie = await logIn(overview.url, 'bo@bageri', 'lösenord-bo');
    const html = (await page('/overview?year=20100101', cookie)).html;
    expect(html).toContain('data-testid="reconciliation"');
    // The closing balance the file states for 1930 is shown as stated.
    expect(html.replace(/\u00a0/g, ' ')).toMatch(/data-account="1930"><td>1930<\/td><td>[^<]*<\/td>(<td class="amount">[^<]*<\/td>)*<td class="amount">3 438 419,50 kr<\/td><\/tr>/);
  });

  it('the Visma #SIETYP 1 file shows the year\'s figures and says months need a type 2–4 file', async () => {
    // Named to the bakery it is refused: the file's #ORGNR is Övningsföretaget's.
    expect((await uploadBytes(overview.url, overview.token, 'bageri', sample('SIE-fil_fran_Visma_Eget_Aktiebolag_2010.se'))).status).toBe(409);
    const res = await uploadBytes(overview.url, overview.token, 'ovning', sample('SIE-fil_fran_Visma_Eget_Aktiebolag_2010.se'));
    expect(res.status).toBe(200);
    const cookie = await logIn(overview.url, 'olle@ovning', 'lösenord-olle');
    const html = (await page('/overview?year=20100101', cookie)).html.replace(/\u00a0/g, ' ');
    expect(html).toContain('SIE typ 1');
    expect(html).toContain('kräver en SIE-fil av typ 2, 3 eller 4');
    // #RES 3041 and 3973: 444 000 kr of revenue.
    expect(html).toContain('<td>Summa rörelsens intäkter</td><td class="amount">444 000,00 kr</td>');
  });

  it('Sie4.se is refused: it books on an account "FEL" that no #KONTO declares, and every such line is listed', async () => {
    const bytes = sample('Sie4.se');
    const res = await uploadBytes(overview.url, overview.token, 'bageri', bytes);
    expect(res.status).toBe(422);
    const problem = await problemOf(res);
    const expected = text(bytes).split(/\r?\n/).flatMap((l, i) => (/^\s*#TRANS\s+FEL\b/.test(l) ? [i + 1] : []));
    expect(expected).toContain(721);
    expect(problem.issues?.map((i) => [i.code, i.line])).toEqual(expected.map((line) => ['SIE_UNKNOWN_ACCOUNT', line]));
    // SIE 4B §6: an exported type 4 file carries its chart; decision 0009.
    expect(JSON.stringify(problem)).toContain('#KONTO is mandatory in an exported type 1–4 file');
  });
});
