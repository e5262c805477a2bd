/**
 * The bureau's books reach the customer's accounting overview: `sandbank bureau export-sie`
 * writes what the overview needs, `sandbank overview companies add` / `users add` register the
 * customer and its login, `sandbank overview upload` stores it by its #ORGNR (exit 0), and the
 * month's result the customer then sees is the bureau's booked invoice — real binaries, real
 * ports, nothing but the CLI between them.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSieImport, parseSieDetailed } from '../../formats/sie/index.ts';
import { readFileSync } from 'node:fs';
import { killed, printedKeys, startInvoicingChild, type ServiceChild } from '../bureau/children.ts';
import { call, tempDir } from '../bureau/support.ts';
import { ROOT, sandbankAsync } from '../support/cli.ts';
import { logIn } from '../support/overview.ts';

let service: ServiceChild;
let overview: ChildProcess;
let printed = '';

beforeAll(async () => {
  service = await startInvoicingChild(tempDir('export-invoicing'));
  overview = spawn(process.execPath, [join(ROOT, 'bin/sandbank.mjs'), 'overview', 'start', '--port', '0', '--memory'], { stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    overview.stdout?.on('data', (c: Buffer) => {
      printed += c.toString();
      if (printed.includes('Press Ctrl+C')) resolve();
    });
    overview.once('exit', (code) => reject(new Error(`sandbank overview start exited ${code}: ${printed}`)));
  });
}, 60_000);
afterAll(async () => {
  overview?.kill('SIGTERM');
  if (service) await killed(service.child);
});

describe("the bureau's SIE export into the accounting overview (real CLI)", () => {
  it('export-sie writes #RAR, #KONTO, #IB, #UB, #RES, #PSALDO, #VER and #KSUMMA; the overview stores it and shows the booked month', async () => {
    const keys = printedKeys(service.output);
    const customer = await call(service.url, 'POST', '/v1/customers', { key: keys.companyApiKey, json: { name: 'Acme AB' } });
    const invoice = await call(service.url, 'POST', '/v1/invoices', { key: keys.companyApiKey, json: { customerId: customer.json['id'], invoiceDate: '2026-03-05', lines: [{ description: 'Konsulttimme', quantity: 4, unitPriceOre: 95_000, vatRate: 25 }] } });
    expect(invoice.status).toBe(201);
    const bureau = ['bureau', '--data', join(tempDir('export-bureau'), 'bureau.log')];
    expect((await sandbankAsync([...bureau, '--url', service.url, 'init', '--key', keys.bureauApiKey, '--collaboration', keys.collaborationId])).code).toBe(0);
    expect((await sandbankAsync([...bureau, 'sync'])).code).toBe(0);

    const file = join(tempDir('export-sie'), 'kundforetaget-2026.se');
    const exported = await sandbankAsync([...bureau, 'export-sie', '--year', '2026', '--out', file]);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout).toContain('1 voucher(s)');
    // It names the overview command that registers the customer the file belongs to.
    expect(exported.stdout).toContain(`upload it with \`sandbank overview upload ${file} --url … --token …\` (the customer registered there by its organisation number: \`sandbank overview companies add "Kundföretaget AB" --org 5566778899\`)`);
    const bytes = new Uint8Array(readFileSync(file));
    const parsed = parseSieDetailed(bytes);
    expect([...parsed.result.issues, ...checkSieImport(bytes, parsed)]).toEqual([]);
    const text = Buffer.from(bytes).toString('latin1');
    for (const label of ['#RAR 0', '#KONTO 1510', '#KONTO 3001', '#UB 0 1510', '#RES 0 3001', '#PSALDO 0 202603 3001', '#VER', '#KSUMMA']) expect(text).toContain(label);

    const url = /running at (http:\/\/127\.0\.0\.1:\d+)/.exec(printed)?.[1] ?? '';
    const token = /upload token\s+(\S+)/.exec(printed)?.[1] ?? '';
    const target = ['--url', url, '--token', token];
    // The overview's ready-made company is another one: the export goes to the customer it belongs to (its #ORGNR).
    const organisationNumber = /#ORGNR (\S+)/.exec(text)?.[1] ?? '';
    expect((await sandbankAsync(['overview', 'upload', file, ...target, '--company', 'demo'])).code).toBe(1);
    const unregistered = await sandbankAsync(['overview', 'upload', file, ...target]);
    expect(unregistered.code).toBe(1);
    expect(unregistered.stderr).toContain('sandbank overview companies add NAME --org');
    // What the bureau does, all through the CLI: register the customer by its organisation
    // number, give it a login, upload without naming the company.
    const company = await sandbankAsync(['overview', 'companies', 'add', 'Kundföretaget AB', '--org', organisationNumber, '--id', 'kund', ...target]);
    expect(company.code, company.stderr).toBe(0);
    const user = await sandbankAsync(['overview', 'users', 'add', 'kund@kundforetaget', '--company', 'kund', '--password', 'kundens-lösenord', ...target]);
    expect(user.code, user.stderr).toBe(0);
    const uploaded = await sandbankAsync(['overview', 'upload', file, ...target]);
    expect(uploaded.code, uploaded.stderr).toBe(0);
    expect(uploaded.stdout).toContain('fiscal year 2026-01-01 – 2026-12-31 stored for kund');
    // 4 × 950 kr excluding VAT is March's revenue and result (nothing else is booked): what the customer downloads.
    const cookie = await logIn(url, 'kund@kundforetaget', 'kundens-lösenord');
    const monthly = await (await fetch(`${url}/overview/monthly.csv?year=20260101`, { headers: { cookie } })).text();
    expect(monthly.split('\r\n')).toContain('2026-03;3800,00;0,00;3800,00;0,00');
  }, 120_000);
});
