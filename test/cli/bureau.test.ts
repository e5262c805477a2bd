/**
 * `sandbank invoicing …` and `sandbank bureau …` through the real binary: the service started
 * as a user would, keys read from what it prints, the flow run from the CLI with --json.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killed, printedKeys, startInvoicingChild, type ServiceChild } from '../bureau/children.ts';
import { tempDir } from '../bureau/support.ts';
import { sandbankAsync } from '../support/cli.ts';

let service: ServiceChild;
let env: NodeJS.ProcessEnv;
let bureau: string[];

beforeAll(async () => {
  service = await startInvoicingChild(tempDir('cli-invoicing'));
  const keys = printedKeys(service.output);
  env = { SANDBANK_INVOICING_URL: service.url, SANDBANK_INVOICING_KEY: keys.companyApiKey };
  bureau = ['bureau', '--data', join(tempDir('cli-bureau'), 'bureau.log')];
  const init = await sandbankAsync([...bureau, '--url', service.url, 'init', '--key', keys.bureauApiKey, '--collaboration', keys.collaborationId]);
  expect(init.stdout).toContain('following collab_000001');
}, 60_000);
afterAll(async () => service && killed(service.child));

const json = async (args: string[]) => {
  const r = await sandbankAsync([...args.slice(0, 1), '--json', ...args.slice(1)], { env });
  if (r.code !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as Record<string, unknown>;
};

describe('sandbank invoicing / bureau CLI', () => {
  it('prints the keys at start and runs the flow: invoice → sync → booked, VAT report', async () => {
    expect(service.output).toMatch(/company API key\s+inv_co_[0-9a-f]{32}/);
    expect(service.output).toContain('next invoice no.   1001');
    const customer = await json(['invoicing', 'customer-add', 'Acme AB', '--org', '556000-0001']);
    const invoice = await json(['invoicing', 'invoice-add', '--customer', String(customer['id']), '--line', 'Konsult;2;950,00;25', '--line', 'Bok;1;249,00;6', '--date', '2026-03-02']);
    expect(invoice).toMatchObject({ number: 1001, totalOre: 263_894, ocr: '100164' });
    const sync = await json([...bureau, 'sync']);
    expect(sync).toMatchObject({ applied: 2, vouchers: 1 });
    const vat = await json([...bureau, 'vat-report', '--from', '2026-03-01', '--to', '2026-03-31']);
    expect(vat).toMatchObject({ box05TaxableSalesOre: 214_900, box10OutputVat25Ore: 47_500, box12OutputVat6Ore: 1_494, box49VatToPayOre: 48_994 });
  }, 60_000);

  it('refuses a bureau-side customer edit with one line naming the invoicing program', async () => {
    const r = await sandbankAsync([...bureau, 'customer-edit', 'cus_000001', '--name', 'Other'], { env });
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^error: customer Acme AB is kept in the customer's invoicing program/)]);
  }, 60_000);

  it('a document scanned with a comment is registered and its status shows in the invoicing program', async () => {
    const file = join(tempDir('cli-scan'), 'kvitto.png');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(file, Buffer.from('89504e470d0a1a0a', 'hex'));
    const doc = await json(['invoicing', 'scan', file, '--kind', 'receipt', '--comment', 'Lunch med kund']);
    await json([...bureau, 'sync']);
    const registered = await json([...bureau, 'register-document', String(doc['id']), '--total', '250,00', '--vat', '26,79', '--account', '6071']);
    expect(registered).toMatchObject({ reference: 'A 1', pushed: true });
    const docs = (await json(['invoicing', 'documents'])) as unknown as Record<string, unknown>[];
    expect(docs[0]).toMatchObject({ comment: 'Lunch med kund', statusText: 'registered as voucher A 1' });
    const wrong = await sandbankAsync(['invoicing', 'customers'], { env: { ...env, SANDBANK_INVOICING_KEY: 'nope' } });
    expect(wrong.stderr.trim()).toMatch(/^error: .*\(UNAUTHORIZED\)$/);
  }, 60_000);

  it('payments: sandbank invoicing pay, and the bureau\'s read-bgmax refused while the customer registers', async () => {
    const paid = await json(['invoicing', 'pay', 'inv_000001', '--amount', '1 000,00', '--date', '2026-03-20']);
    expect(paid).toMatchObject({ registeredBy: 'customer', appliedOre: 100_000 });
    const sync = await json([...bureau, 'sync']);
    expect(sync['vouchers']).toBe(1);
    const invoices = (await json([...bureau, 'invoices'])) as unknown as Record<string, unknown>[];
    expect(invoices[0]).toMatchObject({ paidOre: 100_000, openOre: 163_894 });
    const { writeFileSync } = await import('node:fs');
    const file = join(tempDir('cli-bgmax'), 'bgmax.txt');
    writeFileSync(file, '01BGMAX               0120260320101010123456T                                   \n70000000000000000000000000000000                                              ');
    const refused = await sandbankAsync([...bureau, 'read-bgmax', file], { env });
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim()).toMatch(/^error: in this collaboration the customer registers incoming payments/);
  }, 60_000);

  it('read-bgmax checks the file before it goes to the network: a file of another kind is one line saying so, with the invoicing service away and no retry lines in a pipe', async () => {
    const { readFileSync, writeFileSync } = await import('node:fs');
    const file = join(tempDir('cli-bgmax-other'), 'payments.xml');
    writeFileSync(file, readFileSync('formats/pain001/testdata/swedbank-supplier-payments.pain001.03.xml'));
    // Port 9 (discard) answers nothing: had the program asked the service first, it would retry.
    const refused = await sandbankAsync([...bureau, '--url', 'http://127.0.0.1:9', 'read-bgmax', file], { env });
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim()).toBe("error: the file is refused, nothing booked: it is not a BgMax file (it reads as pain.001); give the bank's BgMax file for incoming payments");
    expect(refused.stderr).not.toMatch(/waiting/);
  }, 60_000);

  it('sandbank scenarios run --tag bureau --invoicing-target runs the bureau scenarios against a running service', async () => {
    const r = await sandbankAsync(['scenarios', 'run', 'b0*', '--tag', 'bureau', '--bank', 'swedbank', '--invoicing-target', service.url]);
    expect(r.stdout).toMatch(/9 passed, 0 failed/);
    expect(r.code).toBe(0);
  }, 60_000);

  it('sandbank contracts verify --provider invoicing verifies the bureau pact against a running service', async () => {
    const states = await startInvoicingChild(tempDir('cli-contract'), 0, ['--memory', '--contract-states']);
    try {
      const r = await sandbankAsync(['contracts', 'verify', '--provider', 'invoicing', '--provider-base-url', states.url]);
      expect(r.stdout).toContain('✔ all 10 interactions verified');
      expect(r.code).toBe(0);
    } finally {
      await killed(states.child);
    }
    const refused = await sandbankAsync(['invoicing', 'start', '--contract-states', '--port', '0']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('use it with --memory');
  }, 60_000);
});
