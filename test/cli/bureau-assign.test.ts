/**
 * Manual handling of incoming payments through the real binaries: `sandbank invoicing start`
 * as a child process (the bureau registers payments), `sandbank bureau read-bgmax` of real
 * files, `assign --customer`, `apply-credit`, a deduction set off against a credit invoice,
 * and a file with wrong TK70 counts refused with its line. Both programs' `invoices --json`
 * show the same open amounts at each step.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withBgMaxTotals, writeBgMax, type BgMaxPayment } from '../../formats/bankgirot/bgmax.ts';
import { generateOcr } from '../../formats/identifiers/ocr.ts';
import { killed, printedKeys, startInvoicingChild, type ServiceChild } from '../bureau/children.ts';
import { tempDir } from '../bureau/support.ts';
import { sandbankAsync } from '../support/cli.ts';

let service: ServiceChild;
let env: NodeJS.ProcessEnv;
let bureau: string[];
const dir = tempDir('cli-assign');

beforeAll(async () => {
  service = await startInvoicingChild(join(dir, 'invoicing'), 0, ['--memory', '--payments-by', 'bureau']);
  const keys = printedKeys(service.output);
  env = { SANDBANK_INVOICING_URL: service.url, SANDBANK_INVOICING_KEY: keys.companyApiKey };
  bureau = ['bureau', '--data', join(dir, 'bureau.log')];
  const init = await sandbankAsync([...bureau, '--url', service.url, 'init', '--key', keys.bureauApiKey, '--collaboration', keys.collaborationId]);
  expect(init.code, init.stderr).toBe(0);
}, 60_000);
afterAll(async () => service && killed(service.child));

const json = async (args: string[]) => {
  const r = await sandbankAsync([...args.slice(0, 1), '--json', ...args.slice(1)], { env });
  if (r.code !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as Record<string, unknown> & Record<string, unknown>[];
};

function payment(invoiceNumber: string, amountOre: number, serial: string, extra: Partial<BgMaxPayment> = {}): BgMaxPayment {
  return { senderBankgiro: '0000000000', reference: generateOcr(invoiceNumber), referenceAlignment: 'left', amountOre, referenceCode: '2', paymentChannel: '1', bgcSerialNumber: serial, imageFlag: '0', deduction: false, extraReferences: [], information: [], ...extra };
}

function bgmaxFile(name: string, payments: BgMaxPayment[], breakTrailer = false): string {
  const file = withBgMaxTotals({
    version: '01', timestamp: '20260320101010123456', testMarker: 'T', trailer: { paymentCount: 0, deductionCount: 0, extraReferenceCount: 0, depositCount: 0 },
    sections: [{ payeeBankgiro: '9912346', payeePlusgiro: '', currency: 'SEK', payments, deposit: { payeeBankAccount: '5555555555', paymentDate: '2026-03-20', depositSerialNumber: '1', amountOre: 0, currency: 'SEK', paymentCount: 0, depositType: 'K' } }],
  });
  const path = join(dir, name);
  writeFileSync(path, writeBgMax(breakTrailer ? { ...file, trailer: { ...file.trailer, deductionCount: 3 } } : file), 'latin1');
  return path;
}

async function openAmounts(): Promise<{ invoicing: unknown[]; bureau: unknown[] }> {
  await json([...bureau, 'sync']);
  const invoicing = (await json(['invoicing', 'invoices'])).map((i: Record<string, unknown>) => [i['number'], i['openOre']]);
  const booked = (await json([...bureau, 'invoices'])).map((i: Record<string, unknown>) => [i['number'], i['openOre']]);
  return { invoicing, bureau: booked };
}

describe('sandbank bureau assign / apply-credit against a running invoicing service', () => {
  it('a payment assigned to a customer is a credit in both programs, applied later; a deduction settles the credit invoice', async () => {
    const customer = await json(['invoicing', 'customer-add', 'Acme AB']);
    for (let i = 0; i < 3; i++) await json(['invoicing', 'invoice-add', '--customer', String(customer['id']), '--line', 'Konsult;1;1000,00;25', '--date', '2026-03-02']);
    await json([...bureau, 'sync']);

    await json([...bureau, 'read-bgmax', bgmaxFile('day1.txt', [payment('1001', 125_000, '000000000001'), payment('9999', 30_000, '000000000002')])]);
    const [unknown] = await json([...bureau, 'unmatched']);
    const neither = await sandbankAsync([...bureau, 'assign', String(unknown?.['identity'])], { env });
    expect([neither.code, neither.stderr.trim()]).toEqual([2, 'error: give either --invoice <id> or --customer <id> (see `sandbank bureau invoices` / `sandbank bureau customers`)']);
    expect(await json([...bureau, 'assign', String(unknown?.['identity']), '--customer', String(customer['id'])])).toMatchObject({ customerId: customer['id'], appliedOre: 0, unappliedOre: 30_000 });
    expect((await json([...bureau, 'customers']))[0]).toMatchObject({ id: customer['id'], creditOre: 30_000 });

    const applied = await sandbankAsync([...bureau, 'apply-credit', '--customer', String(customer['id']), '--invoice', 'inv_000002', '--date', '2026-03-21'], { env });
    expect(applied.stdout.trim()).toBe("300,00 kr of the customer's credit applied to invoice 1002: open there now 950,00 kr, credit left 0,00 kr");
    expect(await openAmounts()).toEqual({ invoicing: [[1001, 0], [1002, 95_000], [1003, 125_000]], bureau: [[1001, 0], [1002, 95_000], [1003, 125_000]] });

    // 1001 (paid) credited: the customer sets the credit note off against its next payment.
    await json(['invoicing', 'invoice-credit', 'inv_000001', '--date', '2026-03-22']);
    await json([...bureau, 'sync']);
    await json([...bureau, 'read-bgmax', bgmaxFile('day2.txt', [payment('1003', 125_000, '000000000011'), payment('1004', 100_000, '000000000012', { deduction: true, deductionCode: '1' })])]);
    const [deduction] = await json([...bureau, 'unmatched']);
    const setOff = await sandbankAsync([...bureau, 'assign', String(deduction?.['identity']), '--invoice', 'inv_000004'], { env });
    // formatOreSwedish groups thousands with a no-break space.
    expect(setOff.stdout.trim(), setOff.stderr).toBe(`${String(deduction?.['identity'])} (-1\u00a0000,00 kr) set off against credit invoice 1004: open there now -250,00 kr`);
    expect(await openAmounts()).toEqual({ invoicing: [[1001, 0], [1002, 95_000], [1003, 0], [1004, -25_000]], bureau: [[1001, 0], [1002, 95_000], [1003, 0], [1004, -25_000]] });
    const balances = Object.fromEntries((await json([...bureau, 'trial-balance'])).map((r: Record<string, unknown>) => [r['account'], r['balanceOre']]));
    expect(balances).toMatchObject({ '1510': 70_000, '2420': 0, '2890': 0 });
  }, 90_000);

  it('a file whose TK70 counts are wrong is refused whole with the TK70 line and the records counted', async () => {
    const before = await json([...bureau, 'trial-balance']);
    const refused = await sandbankAsync([...bureau, 'read-bgmax', bgmaxFile('broken.txt', [payment('1002', 1_000, '000000000021')], true)], { env });
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim()).toBe('error: the BgMax file is refused, nothing booked: line 5: TK70 deductionCount is 3, the file holds 0 TK21 deduction record(s) (none)');
    expect(await json([...bureau, 'trial-balance'])).toEqual(before);
  }, 60_000);
});
