/** A real overview on 127.0.0.1 port 0 for tests, and a customer's login over plain HTTP. */
import { createOverviewApp, listenOverview, type RunningOverview } from '../../client/overview/server.ts';
import { OverviewService } from '../../client/overview/service.ts';
import { LowdbOverviewStore, MemoryOverviewStore } from '../../client/overview/store.ts';
import { Journal } from '../../client/ledger/journal.ts';
import { encodeSie } from '../../formats/sie/sie4.ts';

export interface TestOverview extends RunningOverview {
  service: OverviewService;
  token: string;
  otherToken: string;
}

/** Two bureaus; the first has companies "snickeri" (org 556512-3456) and "bageri", one user each. */
export async function startTestOverview(options: { dataDir?: string } = {}): Promise<TestOverview> {
  const service = new OverviewService({ store: options.dataDir ? new LowdbOverviewStore(options.dataDir) : new MemoryOverviewStore(), now: () => '2026-04-02T08:00:00.000Z' });
  const { bureau, token } = await service.createBureau('Byrån AB', 'bureau-token-1');
  const { token: otherToken, bureau: other } = await service.createBureau('Andra byrån AB', 'bureau-token-2');
  await service.createCompany(bureau.id, { id: 'snickeri', name: 'Fjällbacka Snickeri AB', organisationNumber: '556512-3456' });
  await service.createCompany(bureau.id, { id: 'bageri', name: 'Bageriet i Grebbestad AB', organisationNumber: '556677-8899' });
  // The company Visma's official sample file belongs to (its #ORGNR).
  await service.createCompany(bureau.id, { id: 'ovning', name: 'Övningsföretaget AB', organisationNumber: '556252-9155' });
  await service.createCompany(other.id, { id: 'annan', name: 'Annan kund AB' });
  await service.addUser(bureau.id, 'snickeri', { username: 'anna@snickeri', name: 'Anna Snickare', password: 'lösenord-anna' });
  await service.addUser(bureau.id, 'bageri', { username: 'bo@bageri', name: 'Bo Bagare', password: 'lösenord-bo' });
  await service.addUser(bureau.id, 'ovning', { username: 'olle@ovning', name: 'Olle Övning', password: 'lösenord-olle' });
  let nowMs = Date.parse('2026-04-02T08:00:00Z');
  const running = await listenOverview(createOverviewApp({ service, nowMs: () => (nowMs += 1000), log: () => undefined }));
  return { ...running, service, token, otherToken };
}

/** Logs in through the login form (CSRF cookie and token) and returns the session cookie. */
export async function logIn(url: string, username: string, password: string): Promise<string> {
  const form = await fetch(`${url}/login`);
  const csrfCookie = form.headers.getSetCookie().map((c) => c.split(';')[0] ?? '').find((c) => c.startsWith('ov_login_csrf=')) ?? '';
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1] ?? '';
  const res = await fetch(`${url}/login`, { method: 'POST', redirect: 'manual', headers: { cookie: csrfCookie, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ _csrf: csrf, username, password }) });
  if (res.status !== 303) throw new Error(`login as ${username} answered ${res.status}`);
  return res.headers.getSetCookie().map((c) => c.split(';')[0] ?? '').find((c) => c.startsWith('ov_session=')) ?? '';
}

export function uploadBytes(url: string, token: string, companyId: string | undefined, bytes: Uint8Array): Promise<Response> {
  return fetch(companyId ? `${url}/api/v1/companies/${companyId}/sie` : `${url}/api/v1/sie`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream' }, body: bytes });
}

/**
 * The reference client's books for 2026: a sale each month January–March, a supplier invoice
 * in March and their payments; `extraSaleOre` varies the March sale (a corrected re-export).
 */
export function ledgerExport(extraSaleOre = 0): Uint8Array {
  const j = new Journal();
  j.add({ series: 'C', date: '2025-12-31', text: 'Eget kapital', source: 'opening', lines: [{ account: '1930', amountOre: 200_000_00 }, { account: '2081', amountOre: -200_000_00 }] });
  const sale = (date: string, netOre: number) => j.add({ series: 'F', date, text: `Kundfaktura ${date}`, source: `sale:${date}`, lines: [{ account: '1930', amountOre: netOre * 1.25 }, { account: '3001', amountOre: -netOre }, { account: '2611', amountOre: -netOre * 0.25 }] });
  sale('2026-01-20', 40_000_00);
  sale('2026-02-18', 52_000_00);
  sale('2026-03-17', 61_000_00 + extraSaleOre);
  j.postSupplierInvoice({ invoiceId: 'INV-1', date: '2026-03-02', supplier: 'Trävaruhuset', totalOre: 12_500_00, vatOre: 2_500_00, costAccount: '4010' });
  j.bookPayment({ invoiceId: 'INV-1', date: '2026-03-16', supplier: 'Trävaruhuset', amountOre: 12_500_00 });
  return encodeSie(j.toSie({ name: 'Fjällbacka Snickeri AB', organisationNumber: '5565123456' }, { start: '2026-01-01', end: '2026-12-31' }, '2026-04-01'));
}
