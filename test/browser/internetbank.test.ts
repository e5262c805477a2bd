/**
 * The simulated internet bank in a real browser: Chromium (Debian's, or the npm-packaged one,
 * see test/support/chromium.ts) driven by playwright-core.
 * Each test uses its own sandbox (and so its own user), because a TOTP code is accepted once.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRandom } from '../../formats/random.ts';
import { startSimulator, type Simulator } from '../../simulator/app.ts';
import type { SandboxCore } from '../../simulator/engine/model.ts';
import { currentCode } from '../../simulator/internetbank/auth.ts';
import { launchChromium } from '../support/chromium.ts';
import { pain001For, type SimplePayment } from '../support/payment-files.ts';

// The README's screenshots are refreshed with UPDATE_SCREENSHOTS=1; other runs write to a temp dir.
const SCREENSHOTS = process.env['UPDATE_SCREENSHOTS'] === '1' ? fileURLToPath(new URL('../../docs/screenshots/', import.meta.url)) : `${mkdtempSync(join(tmpdir(), 'sandbank-screenshots-'))}/`;

let simulator: Simulator;
let browser: Browser;
beforeAll(async () => {
  simulator = await startSimulator({ random: createRandom(77) });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await simulator?.close();
});

async function sandboxWithFile(bank: 'swedbank' | 'sparbanken', payments: SimplePayment[]): Promise<{ core: SandboxCore; fileId: string }> {
  const created = await simulator.engine.createSandbox({ bank, start: '2026-03-12T08:00:00' });
  if (!created.ok) throw new Error(created.message);
  const core = created.value;
  const res = await fetch(`${simulator.url}/v1/${bank}/payment-files`, { method: 'POST', headers: { authorization: `Bearer ${core.apiKey}`, 'content-type': 'application/xml' }, body: pain001For(core, payments) });
  const { fileId } = (await res.json()) as { fileId: string };
  return { core, fileId };
}

async function apiFile(core: SandboxCore, fileId: string): Promise<{ status: string; payments: { paymentId: string; status: string }[] }> {
  const res = await fetch(`${simulator.url}/v1/${core.bank}/payment-files/${fileId}`, { headers: { authorization: `Bearer ${core.apiKey}` } });
  return (await res.json()) as { status: string; payments: { paymentId: string; status: string }[] };
}

async function logIn(page: Page, core: SandboxCore, screenshots = false): Promise<void> {
  const admin = core.users.find((u) => u.role === 'administrator');
  if (!admin) throw new Error('no admin');
  await page.goto(`${simulator.url}/internetbank/${core.bank}/`);
  if (screenshots) await page.screenshot({ path: `${SCREENSHOTS}login.png` });
  await page.getByLabel(/Användar-id/).fill(admin.id);
  await page.getByLabel('Lösenord').fill(admin.password);
  await page.getByRole('button', { name: 'Fortsätt' }).click();
  await page.getByLabel(/Sexsiffrig kod/).fill(await currentCode(admin.totpSecret));
  if (screenshots) await page.screenshot({ path: `${SCREENSHOTS}security-code.png` });
  await page.getByRole('button', { name: 'Logga in' }).click();
  await page.getByRole('heading', { name: 'Betalningsfiler att signera' }).waitFor();
}

describe('internet bank in Chromium', () => {
  it('logs in with password and a generated TOTP code, signs a file, and the API shows SIGNED', async () => {
    const { core, fileId } = await sandboxWithFile('swedbank', [{ amountOre: 1_250_00, date: '2026-03-16' }, { amountOre: 489_50, date: '2026-03-16' }]);
    const page = await browser.newPage();
    await logIn(page, core, true);
    await page.waitForSelector(`[data-file-id="${fileId}"]`);
    expect(await page.textContent('[data-testid="sandbox-date"]')).toBe('2026-03-12');
    const card = page.locator(`[data-file-id="${fileId}"]`);
    expect(await card.textContent()).toContain('1\u00a0739,50 kr');
    await page.screenshot({ path: `${SCREENSHOTS}files-to-sign.png`, fullPage: true });
    await card.getByRole('button', { name: 'Signera' }).click();
    await page.waitForSelector('p.info');
    expect(await page.textContent('p.info')).toContain('är signerad');
    expect((await apiFile(core, fileId)).status).toBe('SIGNED');
    await page.goto(`${simulator.url}/internetbank/swedbank/future`);
    await page.screenshot({ path: `${SCREENSHOTS}future-payments.png`, fullPage: true });
    await page.close();
  });

  it('shows the enrolment page with the otpauth URI and a QR code, once fully logged in', async () => {
    const { core } = await sandboxWithFile('sparbanken', [{ amountOre: 100, date: '2026-03-16' }]);
    const page = await browser.newPage();
    await logIn(page, core);
    await page.getByRole('link', { name: 'Autentiseringsapp' }).click();
    expect(await page.textContent('[data-testid="otpauth-uri"]')).toMatch(/^otpauth:\/\/totp\/.*secret=/);
    expect(await page.locator('figure svg').count()).toBe(1);
    await page.screenshot({ path: `${SCREENSHOTS}enrolment.png`, fullPage: true });
    await page.close();
  });

  it('deletes a future payment: the API shows it CANCELLED', async () => {
    const { core, fileId } = await sandboxWithFile('sparbanken', [{ amountOre: 700_00, date: '2026-03-25' }, { amountOre: 300_00, date: '2026-03-26' }]);
    await simulator.engine.signFile(core.id, fileId, { channel: 'internet-bank', signedBy: 'x', role: 'administrator' });
    const page = await browser.newPage();
    await logIn(page, core);
    await page.getByRole('link', { name: 'Framtida betalningar' }).click();
    const [first] = (await apiFile(core, fileId)).payments;
    await page.locator(`[data-payment-id="${first?.paymentId}"]`).getByRole('button', { name: /Ta bort/ }).click();
    await page.waitForSelector('p.info');
    expect(await page.textContent('p.info')).toContain('borttagen');
    expect((await apiFile(core, fileId)).payments.map((p) => p.status)).toEqual(['CANCELLED', 'SCHEDULED']);
    expect(await page.locator('[data-payment-id]').count()).toBe(1);
    await page.close();
  });

  it('shows balances, and a balance change after the sandbox clock moves', async () => {
    const { core, fileId } = await sandboxWithFile('swedbank', [{ amountOre: 10_000_00, date: '2026-03-13' }]);
    await simulator.engine.signFile(core.id, fileId, { channel: 'in-app', signedBy: 'x', role: 'administrator' });
    const page = await browser.newPage();
    await logIn(page, core);
    await page.getByRole('link', { name: 'Konton' }).click();
    expect(await page.textContent('[data-testid="booked-acc_1"]')).toBe('500\u00a0000,00 kr');
    expect(await page.textContent('[data-testid="reserved-acc_1"]')).toBe('10\u00a0000,00 kr');
    await fetch(`${simulator.url}/sandboxes/${core.id}/clock/advance`, { method: 'POST', headers: { authorization: `Bearer ${core.apiKey}`, 'content-type': 'application/json' }, body: JSON.stringify({ days: 2 }) });
    await page.reload();
    expect(await page.textContent('[data-testid="booked-acc_1"]')).toBe('490\u00a0000,00 kr');
    expect(await page.textContent('[data-testid="sandbox-date"]')).toBe('2026-03-14');
    await page.screenshot({ path: `${SCREENSHOTS}accounts.png`, fullPage: true });
    await page.close();
  });

  it('locks the user after five wrong codes; then even the right code is refused', async () => {
    const { core } = await sandboxWithFile('swedbank', [{ amountOre: 100, date: '2026-03-16' }]);
    const admin = core.users[0];
    if (!admin) throw new Error('no user');
    const page = await browser.newPage();
    await page.goto(`${simulator.url}/internetbank/swedbank/?lang=en`);
    await page.getByLabel('User id').fill(admin.id);
    await page.getByLabel('Password').fill(admin.password);
    await page.getByRole('button', { name: 'Continue' }).click();
    const right = await currentCode(admin.totpSecret);
    const wrong = right === '000000' ? '111111' : '000000';
    for (let i = 0; i < 4; i++) {
      await page.getByLabel(/Six-digit code/).fill(wrong);
      await page.getByRole('button', { name: 'Log in' }).click();
      expect(await page.textContent('[role="alert"]')).toContain('Wrong code');
    }
    await page.getByLabel(/Six-digit code/).fill(wrong);
    await page.getByRole('button', { name: 'Log in' }).click();
    expect(await page.textContent('[role="alert"]')).toContain('locked');
    await page.getByLabel(/Six-digit code/).fill(right);
    await page.getByRole('button', { name: 'Log in' }).click();
    expect(await page.textContent('[role="alert"]')).toContain('locked');
    await page.close();
  });

  it('refuses a POST without the CSRF token (403) and a replayed code', async () => {
    const { core, fileId } = await sandboxWithFile('swedbank', [{ amountOre: 100, date: '2026-03-16' }]);
    const page = await browser.newPage();
    await logIn(page, core);
    const response = await page.request.post(`${simulator.url}/internetbank/swedbank/files/${fileId}/sign`, { form: { nothing: '1' } });
    expect(response.status()).toBe(403);
    expect((await apiFile(core, fileId)).status).toBe('AWAITING_SIGNATURE');
    // Logging out ends the session: the same cookie can no longer reach the pages.
    await page.getByRole('button', { name: 'Logga ut' }).click();
    await page.goto(`${simulator.url}/internetbank/swedbank/files`);
    expect(page.url()).toBe(`${simulator.url}/internetbank/swedbank/`);
    // Logging in again within the same 30 s step: the code already used is refused.
    const admin = core.users[0];
    if (!admin) throw new Error('no user');
    await page.getByLabel(/Användar-id/).fill(admin.id);
    await page.getByLabel('Lösenord').fill(admin.password);
    await page.getByRole('button', { name: 'Fortsätt' }).click();
    await page.getByLabel(/Sexsiffrig kod/).fill(await currentCode(admin.totpSecret));
    await page.getByRole('button', { name: 'Logga in' }).click();
    const alert = await page.textContent('[role="alert"]');
    expect(alert).toMatch(/redan använts|Fel kod/);
    await page.close();
  });
});
