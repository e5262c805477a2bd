/**
 * A failed scenario's sandbox is exported next to its JUnit report and opens in a console
 * on another server; `sandbank sandboxes export|import` (the real binary) move a sandbox
 * between servers and refuse a corrupt file with one line.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRandom } from '../../formats/random.ts';
import { given, scenario, then, when } from '../../scenarios/dsl.ts';
import { junitReport, runAll } from '../../scenarios/runner.ts';
import { startSimulator, type Simulator } from '../../simulator/app.ts';
import { sandbankAsync } from '../support/cli.ts';

let laptop: Simulator;
let ci: Simulator;
beforeAll(async () => {
  laptop = await startSimulator({ random: createRandom(401) });
  ci = await startSimulator({ random: createRandom(402) });
});
afterAll(async () => {
  await laptop?.close();
  await ci?.close();
});

/** Logs in to a console with an API key and returns the HTML of a page. */
async function consolePage(server: Simulator, apiKey: string, path: string): Promise<{ status: number; html: string }> {
  const login = await fetch(`${server.url}/console/?lang=en`);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await login.text())?.[1] ?? '';
  const loginCookie = (login.headers.getSetCookie().find((c) => c.startsWith('sbc_login_csrf=')) ?? '').split(';')[0] ?? '';
  const res = await fetch(`${server.url}/console/login`, { method: 'POST', redirect: 'manual', headers: { cookie: loginCookie, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ _csrf: csrf, key: apiKey }).toString() });
  const session = (res.headers.getSetCookie().find((c) => c.startsWith('sbc_session=')) ?? '').split(';')[0] ?? '';
  const page = await fetch(`${server.url}/console${path}`, { headers: { cookie: session } });
  return { status: page.status, html: await page.text() };
}

describe('a failed scenario, taken home', () => {
  it('is exported next to the JUnit report, named in the failure, and opens in a console elsewhere', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sandbank-failed-'));
    const failing = scenario({
      name: 'An invoice is paid on the day it is sent (wrongly expected)',
      tags: ['test'],
      banks: ['swedbank'],
      steps: [given.invoice('A', { amount: '3 000,00', due: '2026-03-04' }), when.send({ sign: 'admin' }), then.status('A', 'Paid')],
    });
    const { results } = await runAll({ scenarios: [{ ...failing, file: '99-wrong-expectation.scenario.ts' }], banks: ['swedbank'], exportDir: dir });
    const [result] = results;
    expect(result?.passed).toBe(false);
    expect(result?.exportFile).toBe(join(dir, '99-wrong-expectation.swedbank.sandbank.json'));
    expect(existsSync(result?.exportFile ?? '')).toBe(true);
    expect(result?.error).toContain(`sandbank sandboxes import ${result?.exportFile}`);
    expect(result?.error).toContain('/console/sandboxes/<new id>/files/pf_000001');
    expect(junitReport(results)).toContain(`export ${result?.exportFile}`);

    const imported = await fetch(`${laptop.url}/sandboxes/import`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: readFileSync(result?.exportFile ?? '', 'utf8') });
    expect(imported.status).toBe(201);
    const sandbox = (await imported.json()) as { sandboxId: string; apiKey: string; importedFrom: string };
    expect(sandbox.importedFrom).toBe(result?.sandboxId);
    const page = await consolePage(laptop, sandbox.apiKey, `/sandboxes/${sandbox.sandboxId}/files/pf_000001`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('data-testid="timeline"');
    expect(page.html).toMatch(/data-kind="signed"/);
    expect(page.html).toMatch(/data-kind="scheduled"[^>]*data-payment-id="pmt_0000001"/);
  });

  it('on a running server, the failure links to that server\'s console', async () => {
    const failing = scenario({ name: 'Wrong expectation over HTTP', tags: ['test'], banks: ['sparbanken'], steps: [given.invoice('A', { amount: '10,00', due: '2026-03-04' }), when.send(), then.status('A', 'Paid')] });
    const { results } = await runAll({ scenarios: [failing], banks: ['sparbanken'], target: ci.url });
    expect(results[0]?.error).toContain(`see ${ci.url}/console/sandboxes/${results[0]?.sandboxId}/files/pf_000001`);
  });
});

describe('sandbank sandboxes export | import (the real CLI)', () => {
  it('moves a sandbox from one server to another, and refuses a corrupt file with one line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sandbank-transfer-'));
    const created = await ci.engine.createSandbox({ bank: 'swedbank', start: '2026-03-12T08:00:00' });
    if (!created.ok) throw new Error(created.message);
    const file = join(dir, 'copy.sandbank.json');
    const exported = await sandbankAsync(['sandboxes', 'export', created.value.id, '--base-url', ci.url, '--out', file], { env: { SANDBANK_API_KEY: created.value.apiKey } });
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout).toMatch(new RegExp(`^exported ${created.value.id} to ${file} \\(\\d+ bytes\\)`));
    const imported = await sandbankAsync(['sandboxes', 'import', file, '--base-url', laptop.url]);
    expect(imported.code, imported.stderr).toBe(0);
    const id = /as (sbx_\w+)/.exec(imported.stdout)?.[1] ?? '';
    expect(imported.stdout).toContain(`imported ${created.value.id} as ${id} (swedbank, clock 2026-03-12T08:00:00)`);
    expect(imported.stdout).toContain(`${laptop.url}/console/`);
    expect(laptop.engine.sandbox(id)?.company).toEqual(created.value.company);

    writeFileSync(file, readFileSync(file, 'utf8').replace('2026-03-12T08:00:00', '2026-03-13T08:00:00'));
    const count = laptop.engine.sandboxIds().length;
    const refused = await sandbankAsync(['sandboxes', 'import', file, '--base-url', laptop.url]);
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim()).toBe('error: the file does not match its digest: it is corrupt or was changed after export (EXPORT_DIGEST_MISMATCH)');
    expect(laptop.engine.sandboxIds()).toHaveLength(count);
  });
});
