/**
 * The accounting overview in a real browser (Chromium via playwright-core, see
 * test/support/chromium.ts): a customer user logs in, sees the month's result and the chart,
 * picks another month, and downloads the income statement as CSV; and a customer the bureau
 * registered with the CLI (`sandbank overview companies add`, `users add`, `upload`) logs in.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/chromium.ts';
import { sandbankAsync } from '../support/cli.ts';
import { ledgerExport, startTestOverview, uploadBytes, type TestOverview } from '../support/overview.ts';

// The README's screenshots are refreshed with UPDATE_SCREENSHOTS=1; other runs write to a temp dir.
const SCREENSHOTS = process.env['UPDATE_SCREENSHOTS'] === '1' ? fileURLToPath(new URL('../../docs/screenshots/', import.meta.url)) : `${mkdtempSync(join(tmpdir(), 'sandbank-screenshots-'))}/`;

let overview: TestOverview;
let browser: Browser;
beforeAll(async () => {
  overview = await startTestOverview();
  const res = await uploadBytes(overview.url, overview.token, 'snickeri', ledgerExport());
  if (res.status !== 200) throw new Error(`upload answered ${res.status}`);
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await overview?.close();
});

describe('accounting overview in Chromium', () => {
  it('a customer user logs in, sees the chart and the month\'s result, and downloads the CSV', async () => {
    const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1100, height: 900 }, javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${overview.url}/overview`);
    await page.getByRole('heading', { name: 'Logga in' }).waitFor();
    await page.getByLabel('Användarnamn').fill('anna@snickeri');
    await page.getByLabel('Lösenord').fill('lösenord-anna');
    await page.screenshot({ path: `${SCREENSHOTS}overview-login.png` });
    await page.getByRole('button', { name: 'Logga in' }).click();
    await page.getByRole('heading', { name: 'mars 2026' }).waitFor();

    // March: 61 000 kr of sales, 10 000 kr of material.
    expect(await page.locator('[data-testid="month-result"] strong').textContent()).toBe('51\u00a0000,00\u00a0kr');
    const chart = page.locator('svg#chart-result');
    expect(await chart.isVisible()).toBe(true);
    expect(await chart.locator('.point[data-series="Resultat"][data-period="202603"]').getAttribute('data-value-ore')).toBe('5100000');
    expect(await chart.locator('.y-tick').allTextContents()).toContain('0 kr');
    expect(await chart.locator('.axis-title').allTextContents()).toEqual(['Belopp (kronor)', 'Månad']);
    expect(await page.locator('svg#chart-bank .point[data-period="202603"]').getAttribute('data-value-ore')).toBe('37875000');
    await page.screenshot({ path: `${SCREENSHOTS}overview-month.png`, fullPage: true });

    await page.getByRole('navigation', { name: 'Månad' }).getByRole('link', { name: 'feb' }).click();
    await page.getByRole('heading', { name: 'februari 2026' }).waitFor();
    expect(await page.locator('[data-testid="month-result"] strong').textContent()).toBe('52\u00a0000,00\u00a0kr');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Ladda ner resultaträkningen (CSV)' }).click()]);
    expect(download.suggestedFilename()).toBe('income-statement-2026-2026-02.csv');
    const csv = readFileSync(await download.path(), 'utf8').replace(/^\uFEFF/, '').split('\r\n').map((row) => row.split(';'));
    expect(csv.find((row) => row[0] === 'Konto')).toEqual(['Konto', 'Namn', '2026-02', 'Hittills i år (t.o.m. 2026-02)', 'Helår']);
    expect(csv.find((row) => row[0] === '3001')).toEqual(['3001', 'Försäljning inom Sverige, 25 % moms', '52000,00', '92000,00', '153000,00']);
    expect(csv.find((row) => row[1] === 'Resultat')).toEqual(['', 'Resultat', '52000,00', '92000,00', '143000,00']);
    await context.close();
  });

  it('a customer the bureau registered through the CLI logs in and sees the books it uploaded by #ORGNR', async () => {
    // The second bureau of the test overview: the same company may be another bureau's customer too.
    const target = ['--url', overview.url, '--token', overview.otherToken];
    const file = join(mkdtempSync(join(tmpdir(), 'sandbank-overview-cli-')), 'snickeri-2026.se');
    writeFileSync(file, ledgerExport(1_000_00));
    for (const args of [
      ['companies', 'add', 'Fjällbacka Snickeri AB', '--org', '556512-3456', '--id', 'snickeri-andra'],
      ['users', 'add', 'sara@snickeri', '--company', 'snickeri-andra', '--name', 'Sara Snickare', '--password', 'saras-lösenord'],
      ['upload', file],
    ]) {
      const run = await sandbankAsync(['overview', ...args, ...target]);
      expect(run.code, run.stderr).toBe(0);
    }
    const context = await browser.newContext({ viewport: { width: 1100, height: 900 }, javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${overview.url}/login`);
    await page.getByLabel('Användarnamn').fill('sara@snickeri');
    await page.getByLabel('Lösenord').fill('saras-lösenord');
    await page.getByRole('button', { name: 'Logga in' }).click();
    await page.getByRole('heading', { name: 'mars 2026' }).waitFor();
    // March with the corrected sale: 62 000 kr of sales, 10 000 kr of material.
    expect(await page.locator('[data-testid="month-result"] strong').textContent()).toBe('52\u00a0000,00\u00a0kr');
    expect(await page.locator('svg#chart-result .point[data-series="Resultat"][data-period="202603"]').getAttribute('data-value-ore')).toBe('5200000');
    await context.close();
  }, 120_000);
});
