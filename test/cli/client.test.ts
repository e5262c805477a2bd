/** `sandbank client …` end to end through the real binary against a simulator on a real port. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSie } from '../../formats/sie/sie4.ts';
import { createRandom } from '../../formats/random.ts';
import { startSimulator, type Simulator } from '../../simulator/app.ts';
import { sandbankAsync } from '../support/cli.ts';
import { signInInternetBank } from '../../scenarios/internetbank.ts';

let simulator: Simulator;
beforeAll(async () => {
  simulator = await startSimulator({ random: createRandom(57) });
});
afterAll(async () => simulator.close());

describe('sandbank client (the real CLI)', () => {
  it('refuses a due or payment date that is not a real day, a twice-registered supplier invoice and a date change outside the proposal, each in one line', async () => {
    const sandbox = (await (await fetch(`${simulator.url}/sandboxes`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ bank: 'sparbanken', seed: 4, start: '2026-03-02T08:00:00' }) })).json()) as { sandboxId: string; apiKey: string };
    const dir = mkdtempSync(join(tmpdir(), 'sandbank-client-dates-'));
    const cli = (...args: string[]) => sandbankAsync(['client', '--data', join(dir, 'company.json'), ...args]);
    expect((await cli('init', '--base-url', simulator.url, '--bank', 'sparbanken', '--api-key', sandbox.apiKey, '--sandbox-id', sandbox.sandboxId, '--company', 'X AB', '--org', '556512-3451')).code).toBe(0);
    expect((await cli('supplier-add', 'Good AB', '--bankgiro', '5050-1055')).code).toBe(0);
    // Each of these was stored, and `proposal`/`send` then looped for ever looking for a bank day.
    for (const due of ['tomorrow', '2026-13-45', '2026-02-30']) {
      const refused = await cli('invoice-add', '--supplier', 'SUP-1', '--number', `F-${due}`, '--amount', '100,00', '--due', due, '--post');
      expect(refused.code, refused.stdout).toBe(1);
      expect(refused.stderr.trim()).toBe(`error: "${due}" is not a date: give YYYY-MM-DD (a real day) or +Nd (N days from today)`);
    }
    expect((await cli('invoice-add', '--supplier', 'SUP-1', '--number', 'F1', '--amount', '100,00', '--due', '2026-03-10')).code).toBe(0);
    const twice = await cli('invoice-add', '--supplier', 'SUP-1', '--number', 'F1', '--amount', '100,00', '--due', '2026-03-10');
    expect([twice.code, twice.stderr.trim()]).toEqual([1, "error: Good AB's invoice F1 is already registered as INV-1"]);
    const unposted = await cli('proposal', '--date', 'INV-1=2026-03-12');
    expect([unposted.code, unposted.stderr.trim()]).toEqual([1, 'error: INV-1 is Registered, not in the payment proposal: post it first']);
    const proposal = await cli('--json', 'proposal');
    expect(proposal.code, proposal.stderr).toBe(0);
    expect(JSON.parse(proposal.stdout)).toHaveLength(0);
  }, 60_000);

  it('pays a supplier invoice through the simulated Swedbank, from init to Paid and the SIE export', async () => {
    const sandbox = (await (await fetch(`${simulator.url}/sandboxes`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ bank: 'swedbank', seed: 3, start: '2026-03-02T08:00:00' }) })).json()) as { sandboxId: string; apiKey: string; internetBankUsers: { userId: string; password: string; totpSecret: string; role: string }[] };
    const dir = mkdtempSync(join(tmpdir(), 'sandbank-client-'));
    const data = ['--data', join(dir, 'company.json')];
    const cli = async (...args: string[]) => {
      const run = await sandbankAsync(['client', ...data, ...args]);
      if (run.code !== 0) throw new Error(`sandbank client ${args.join(' ')} failed (${run.code}): ${run.stderr}${run.stdout}`);
      return run.stdout;
    };
    const init = JSON.parse(await cli('--json', 'init', '--base-url', simulator.url, '--bank', 'swedbank', '--api-key', sandbox.apiKey, '--sandbox-id', sandbox.sandboxId, '--company', 'Fjällbacka Snickeri AB', '--org', '556512-3451', '--admin', 'anna@example.se')) as { totpSecret: string };
    expect(init.totpSecret).toMatch(/^[A-Z2-7]{16,}$/);
    const supplier = JSON.parse(await cli('--json', 'supplier-add', 'Trävaruhuset AB', '--bankgiro', '5050-1055')) as { id: string };
    await cli('invoice-add', '--supplier', supplier.id, '--number', 'F-1001', '--amount', '12 500,00', '--due', '2026-03-10', '--ocr', '1234574', '--post');
    await cli('invoice-add', '--supplier', supplier.id, '--number', 'F-1002', '--amount', '499,50', '--due', '2026-03-20', '--post');
    const proposal = await cli('proposal', '--date', 'INV-2=2026-04-02');
    expect(proposal).toContain('2 invoice(s) ready for payment');
    expect(proposal).toContain('2026-04-02');
    const sent = await cli('send');
    expect(sent).toMatch(/Sent 2 invoice\(s\) in payment file pf_\d+/);
    expect(sent).toContain('Received by bank');
    const fileId = /pf_\d+/.exec(sent)?.[0] ?? '';
    const admin = sandbox.internetBankUsers.find((u) => u.role === 'administrator');
    if (!admin) throw new Error('no admin');
    await signInInternetBank(simulator.url, 'swedbank', { id: admin.userId, password: admin.password, totpSecret: admin.totpSecret }, fileId);
    await fetch(`${simulator.url}/sandboxes/${sandbox.sandboxId}/clock/advance`, { method: 'POST', headers: { authorization: `Bearer ${sandbox.apiKey}`, 'content-type': 'application/json' }, body: JSON.stringify({ to: '2026-03-12T12:00:00' }) });
    const status = JSON.parse(await cli('--json', 'status')) as { id: string; status: string }[];
    expect(status.map((s) => [s.id, s.status])).toEqual([['INV-1', 'Paid'], ['INV-2', 'Received by bank']]);
    const future = await cli('future');
    expect(future).toContain('Balance of the primary account: 487');
    expect(future).toContain('INV-2');
    expect(await cli('cancel', 'INV-2')).toContain('Request sent');
    expect(await cli('status')).toMatch(/INV-2 .*Payment cancelled/);
    const trial = JSON.parse(await cli('--json', 'trial-balance')) as { account: string; balanceOre: number }[];
    expect(trial.find((r) => r.account === '1930')?.balanceOre).toBe(-12_500_00);
    expect(trial.find((r) => r.account === '2440')?.balanceOre).toBe(-499_50);
    await cli('export-sie', '--year', '2026', '--out', join(dir, 'export.se'));
    const sie = parseSie(readFileSync(join(dir, 'export.se')));
    expect(sie.issues).toEqual([]);
    expect(sie.value?.companyName).toBe('Fjällbacka Snickeri AB');
    // Send and sign from the CLI with the administrator's code.
    await cli('invoice-add', '--supplier', supplier.id, '--number', 'F-1003', '--amount', '100', '--due', '2026-03-20', '--post');
    const signed = await cli('send', '--invoices', 'INV-3', '--sign', '--user', 'anna@example.se', '--code', await generate({ secret: init.totpSecret }));
    expect(signed).toMatch(/Sent 1 invoice\(s\) in payment file pf_\d+, signed/);
    const wrong = await sandbankAsync(['client', ...data, 'send', '--sign', '--code', '000000']);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/error: (no invoices to send|wrong verification code|that verification code)/);
    // Some twenty CLI processes: minutes on a loaded 2-core machine.
  }, 240_000);
});
