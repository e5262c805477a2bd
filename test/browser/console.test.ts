/**
 * The sandbox console in a real browser. One Swedbank sandbox lives through a file's whole
 * life over the real HTTP API (upload, in-app signing, a cancellation, a week of cut-offs:
 * one payment executed, one rejected AM04 after its retry days, one cancelled, one still
 * scheduled); a second sandbox exists so the operator has two to see.
 */
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRandom } from '../../formats/random.ts';
import { startSimulator, type Simulator } from '../../simulator/app.ts';
import type { SandboxCore } from '../../simulator/engine/model.ts';
import { launchChromium } from '../support/chromium.ts';
import { pain001For } from '../support/payment-files.ts';

// The README's screenshots are refreshed with UPDATE_SCREENSHOTS=1; other runs write to a temp dir.
const SCREENSHOTS = process.env['UPDATE_SCREENSHOTS'] === '1' ? fileURLToPath(new URL('../../docs/screenshots/', import.meta.url)) : `${mkdtempSync(join(tmpdir(), 'sandbank-screenshots-'))}/`;

const OPERATOR_KEY = 'op_console_test_0123456789abcdef';

let simulator: Simulator;
let browser: Browser;
let receiver: Server;
let a: SandboxCore;
let b: SandboxCore;
let fileId: string;

async function api(core: SandboxCore, method: string, path: string, body?: unknown): Promise<Response> {
  const res = await fetch(`${simulator.url}${path}`, {
    method, headers: { authorization: `Bearer ${core.apiKey}`, 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (res.status >= 400) throw new Error(`${method} ${path}: HTTP ${res.status} ${await res.text()}`);
  return res;
}

beforeAll(async () => {
  receiver = createServer((req, res) => req.resume().on('end', () => res.writeHead(204).end()));
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  simulator = await startSimulator({ random: createRandom(81), operatorKey: OPERATOR_KEY });
  const created = await simulator.engine.createSandbox({ bank: 'swedbank', start: '2026-03-12T08:00:00', openingBalancesOre: [50_000_00, 0], companyName: 'Konsolbolaget AB' });
  const other = await simulator.engine.createSandbox({ bank: 'sparbanken', start: '2026-03-12T08:00:00', companyName: 'Andra Sandlådan AB' });
  if (!created.ok || !other.ok) throw new Error('could not create sandboxes');
  a = created.value;
  b = other.value;
  await api(a, 'PUT', `/sandboxes/${a.id}/webhook`, { url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks` });
  const upload = await fetch(`${simulator.url}/v1/swedbank/payment-files`, {
    method: 'POST', headers: { authorization: `Bearer ${a.apiKey}`, 'content-type': 'application/xml' },
    body: pain001For(a, [
      { amountOre: 1_000_00, date: '2026-03-13', endToEndId: 'INV-1001' },
      { amountOre: 80_000_00, date: '2026-03-13', endToEndId: 'INV-1002' },
      { amountOre: 2_000_00, date: '2026-03-20', endToEndId: 'INV-1003' },
      { amountOre: 500_00, date: '2026-03-20', endToEndId: 'INV-1004' },
    ]),
  });
  fileId = ((await upload.json()) as { fileId: string }).fileId;
  await api(a, 'GET', `/v1/swedbank/payment-files/${fileId}`);
  await api(a, 'POST', `/v1/swedbank/payment-files/${fileId}/signatures`, { signedBy: 'Anna Admin', role: 'administrator', verification: 'totp' });
  await api(a, 'POST', `/sandboxes/${a.id}/clock/advance`, { to: '2026-03-12T11:00' });
  const file = (await (await api(a, 'GET', `/v1/swedbank/payment-files/${fileId}`)).json()) as { payments: { paymentId: string; endToEndId: string }[] };
  const third = file.payments.find((p) => p.endToEndId === 'INV-1003');
  await api(a, 'POST', `/v1/swedbank/payments/${third?.paymentId}/cancellation-requests`, {});
  await api(a, 'POST', `/sandboxes/${a.id}/clock/advance`, { to: '2026-03-19T12:00' });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await simulator?.close();
  receiver?.close();
});

async function logIn(page: Page, key: string, lang: 'sv' | 'en' = 'en'): Promise<void> {
  await page.goto(`${simulator.url}/console/?lang=${lang}`);
  await page.getByLabel(lang === 'en' ? /API key/ : /API-nyckel/).fill(key);
  await page.getByRole('button', { name: lang === 'en' ? 'Log in' : 'Logga in' }).click();
}

interface Marker { kind: string; lane: string; at: string; x: number; href: string }

async function markers(page: Page): Promise<Marker[]> {
  return page.$$eval('svg [data-testid="marker"]', (nodes) => nodes.map((n) => {
    const box = n.getBoundingClientRect();
    return { kind: n.getAttribute('data-kind') ?? '', lane: n.getAttribute('data-lane') ?? '', at: n.getAttribute('data-at') ?? '', x: box.left + box.width / 2, href: n.getAttribute('href') ?? '' };
  }));
}

async function dayBox(page: Page, date: string): Promise<{ left: number; right: number; cutoffX: number | undefined }> {
  return page.$eval(`svg g.day[data-date="${date}"]`, (g) => {
    const rect = g.querySelector('rect')?.getBoundingClientRect() ?? { left: Number.NaN, right: Number.NaN };
    const cutoff = g.querySelector('line.cutoff')?.getBoundingClientRect();
    return { left: rect.left, right: rect.right, cutoffX: cutoff ? cutoff.left + cutoff.width / 2 : undefined };
  });
}

describe('sandbox console in Chromium', () => {
  it('logs in with an API key and shows the file\'s signing, execution, AM04 rejection and cancellation on its timeline, each with its report', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await logIn(page, a.apiKey);
    await page.getByRole('heading', { name: /Konsolbolaget AB/ }).waitFor();
    expect(await page.textContent('[data-testid="sandbox-clock"]')).toBe('2026-03-19 12:00:00');
    expect(await page.textContent('[data-testid="booked-acc_1"]')).toBe('49\u00a0000,00 kr');
    expect(await page.textContent('[data-testid="reserved-acc_1"]')).toBe('500,00 kr');
    await page.screenshot({ path: `${SCREENSHOTS}console-sandbox.png`, fullPage: true });
    await page.getByRole('link', { name: fileId }).click();
    await page.locator('[data-testid="timeline"]').waitFor();

    const steps = await page.$$eval('[data-testid="step"]', (nodes) => nodes.map((n) => ({ kind: n.getAttribute('data-kind'), at: n.getAttribute('data-at'), text: n.textContent ?? '', reports: [...n.querySelectorAll('[data-testid="report-link"]')].map((l) => l.textContent ?? '') })));
    const kinds = steps.filter((s) => s.kind !== 'report').map((s) => s.kind);
    expect(kinds).toEqual(['received', 'validated', 'awaiting-signature', 'signed', 'scheduled', 'scheduled', 'scheduled', 'scheduled', 'cancellation-requested', 'cancelled', 'retry', 'executed', 'retry', 'retry', 'rejected']);
    const step = (kind: string) => steps.find((s) => s.kind === kind) ?? { kind, at: '', text: '', reports: [] };
    expect(step('signed').text).toContain('by Anna Admin in the app (two-step verification)');
    expect(step('signed').reports).toHaveLength(1);
    expect(step('validated').reports).toHaveLength(1);
    expect(step('executed').text).toContain('INV-1001');
    expect(step('executed').at).toBe('2026-03-13T10:00:00');
    expect(step('executed').reports).toHaveLength(2);
    expect(step('rejected').text).toMatch(/INV-1002.*Insufficient funds AM04/);
    expect(step('rejected').at).toBe('2026-03-18T10:00:00');
    expect(step('rejected').reports).toHaveLength(1);
    expect(step('cancelled').text).toMatch(/INV-1003.*Order cancelled DS02/);
    expect(step('cancelled').reports).toHaveLength(2);
    expect(step('validated').text).toMatch(/webhook delivered 1 attempt \(HTTP 204\)/);

    // Each step sits on the axis at its bank day; executions and rejections at the cut-off line.
    const drawn = await markers(page);
    const marker = (kind: string) => drawn.find((m) => m.kind === kind) as Marker;
    for (const kind of ['received', 'signed', 'cancelled', 'executed', 'rejected']) {
      const m = marker(kind);
      const day = await dayBox(page, m.at.slice(0, 10));
      expect(m.x, kind).toBeGreaterThanOrEqual(day.left);
      expect(m.x, kind).toBeLessThanOrEqual(day.right);
    }
    const executionDay = await dayBox(page, '2026-03-13');
    expect(Math.abs(marker('executed').x - (executionDay.cutoffX ?? 0))).toBeLessThan(2);
    expect(marker('received').x).toBeLessThan(marker('cancelled').x);
    expect(marker('cancelled').x).toBeLessThan(marker('executed').x);
    expect(marker('executed').x).toBeLessThan(marker('rejected').x);
    // Reports sit in their lane at the moment they were made, linked to the report itself.
    const reportMarkers = drawn.filter((m) => m.kind === 'report');
    expect(reportMarkers.length).toBe(7);
    expect(reportMarkers.some((m) => m.at === '2026-03-18T10:00:00' && /\/reports\/rpt_/.test(m.href))).toBe(true);
    const webhooks = drawn.filter((m) => m.kind === 'webhook');
    expect(webhooks.length).toBeGreaterThan(5);
    await page.screenshot({ path: `${SCREENSHOTS}console-timeline.png`, fullPage: true });

    // The rejection's report: the pain.002 in readable XML, raw download beside it.
    await page.locator('[data-testid="step"][data-kind="rejected"] [data-testid="report-link"]').click();
    await page.getByRole('heading', { name: /pain\.002\.001\.03/ }).waitFor();
    const body = await page.textContent('[data-testid="report-body"]');
    expect(body).toContain('<TxSts>RJCT</TxSts>');
    expect(body).toContain('<Cd>AM04</Cd>');
    const raw = await page.request.get(`${simulator.url}${await page.getAttribute('[data-testid="raw-link"]', 'href')}`);
    expect(raw.headers()['content-type']).toContain('application/xml');
    expect(raw.headers()['content-disposition']).toMatch(/^attachment; filename="rpt_\d+-pain\.002\.xml"$/);
    expect(await raw.text()).toMatch(/^<\?xml[\s\S]*<Cd>AM04<\/Cd>/);
    await page.screenshot({ path: `${SCREENSHOTS}console-report.png`, fullPage: true });

    await page.goBack();
    await page.locator('[data-testid="step"][data-kind="cancelled"] [data-testid="report-link"]').first().click();
    expect(await page.textContent('h1')).toContain('camt.029.001.09');
    expect(await page.textContent('[data-testid="report-body"]')).toContain('<Conf>CNCL</Conf>');
    await page.close();
  });

  it('moves the clock to the next cut-off: the clock shows it and the timeline grows by the execution', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await logIn(page, a.apiKey);
    await page.goto(`${simulator.url}/console/sandboxes/${a.id}/files/${fileId}`);
    const before = await page.locator('[data-testid="step"]').count();
    const daysBefore = await page.locator('svg g.day').count();
    expect(await page.locator('[data-testid="step"][data-kind="executed"]').count()).toBe(1);
    await page.getByRole('link', { name: 'Overview' }).click();
    await page.getByRole('button', { name: 'To the next cut-off' }).click();
    expect(await page.textContent('p.info')).toContain('The clock is now 2026-03-20 10:00:00');
    expect(await page.textContent('[data-testid="sandbox-clock"]')).toBe('2026-03-20 10:00:00');
    await page.getByRole('link', { name: fileId }).click();
    await page.locator('[data-testid="timeline"]').waitFor();
    expect(await page.locator('[data-testid="step"]').count()).toBeGreaterThan(before);
    expect(await page.locator('svg g.day').count()).toBeGreaterThanOrEqual(daysBefore);
    const executed = page.locator('[data-testid="step"][data-kind="executed"]');
    expect(await executed.count()).toBe(2);
    expect(await executed.nth(1).textContent()).toContain('INV-1004');
    expect(await executed.nth(1).getAttribute('data-at')).toBe('2026-03-20T10:00:00');
    await page.close();
  });

  it('shows the operator both sandboxes and a sandbox key only its own; another sandbox is not found', async () => {
    const page = await browser.newPage();
    await logIn(page, OPERATOR_KEY);
    await page.getByRole('heading', { name: 'All sandboxes' }).waitFor();
    expect(await page.$$eval('[data-testid="sandbox"]', (nodes) => nodes.map((n) => n.getAttribute('data-sandbox-id')).sort())).toEqual([a.id, b.id].sort());
    await page.screenshot({ path: `${SCREENSHOTS}console-sandboxes.png`, fullPage: true });
    await page.getByRole('button', { name: 'Log out' }).click();

    await logIn(page, b.apiKey);
    await page.getByRole('link', { name: 'Sandboxes' }).click();
    expect(await page.$$eval('[data-testid="sandbox"]', (nodes) => nodes.map((n) => n.getAttribute('data-sandbox-id')))).toEqual([b.id]);
    const response = await page.goto(`${simulator.url}/console/sandboxes/${a.id}/files/${fileId}`);
    expect(response?.status()).toBe(404);
    expect(await page.textContent('[data-testid="error"]')).toBe(`No sandbox ${a.id}.`);
    expect(await page.content()).not.toContain('Konsolbolaget');
    await page.close();
  });

  it('in Swedish: adds an incoming payment, sets and clears a fault rule, filters events and webhooks, and names the BgMax fields', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await logIn(page, b.apiKey, 'sv');
    await page.getByLabel('Belopp (kr)').fill('1 250,00');
    await page.getByLabel('OCR eller meddelande').fill('1234574');
    await page.getByRole('button', { name: 'Lägg till inbetalning' }).click();
    expect(await page.textContent('p.info')).toMatch(/Inbetalning inc_\d+ bokförd/);
    await page.getByLabel('Regler (JSON)').fill('{"rules":[{"match":{"endToEndId":"X-1"},"action":{"type":"reject","reasonCode":"AC01"}}]}');
    await page.getByRole('button', { name: 'Spara regler' }).click();
    expect(await page.textContent('[data-testid="fault-count"]')).toBe('1 regler aktiva');
    expect((await simulator.engine.sandbox(b.id))?.faults[0]?.action).toEqual({ type: 'reject', reasonCode: 'AC01' });
    await page.getByLabel('Regler (JSON)').fill('{"rules":[{"action":{"type":"explode"}}]}');
    await page.getByRole('button', { name: 'Spara regler' }).click();
    expect(await page.textContent('[role="alert"]')).toContain('rules.0.action');
    await page.getByRole('button', { name: 'Ta bort alla' }).click();
    expect(await page.textContent('[data-testid="fault-count"]')).toBe('0 regler aktiva');
    // The end of the day brings the BgMax file of the day's incoming payments.
    await page.getByRole('button', { name: 'Till nästa bankdag' }).click();
    await page.getByRole('link', { name: 'Rapporter' }).click();
    await page.getByLabel('Typ').selectOption('bgmax');
    await page.getByRole('button', { name: 'Filtrera' }).click();
    await page.locator('[data-testid="reports"] a').first().click();
    const record = page.locator('[data-testid="record"][data-record-type="20"]');
    expect(await record.locator('h3').textContent()).toContain('TK20 Betalningspost');
    expect(await record.locator('table').textContent()).toMatch(/Betalningsbelopp \(öre\)\s*0+125000/);
    await page.screenshot({ path: `${SCREENSHOTS}console-bgmax.png`, fullPage: true });

    await page.getByRole('link', { name: 'Händelser' }).click();
    const total = await page.locator('[data-testid="event"]').count();
    await page.getByLabel('Typ').selectOption('incoming_payment.received');
    await page.getByRole('button', { name: 'Filtrera' }).click();
    expect(await page.locator('[data-testid="event"]').count()).toBe(1);
    expect(total).toBeGreaterThan(1);
    await page.getByRole('link', { name: 'Webhooks' }).click();
    expect(await page.textContent('main')).toContain('Ingen webhook registrerad');
    await page.close();
  });
});
