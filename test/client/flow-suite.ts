/**
 * The reference client's whole flow, written once and run over a real port (flow-http.test.ts)
 * and through msw (flow-msw.test.ts), for both banks.
 */
import { generate } from 'otplib';
import { describe, expect, it } from 'vitest';
import { AccountingCompany, ClientError, type Supplier } from '../../client/purchasing/company.ts';
import { MemoryClientStore } from '../../client/storage.ts';

export interface FlowTarget {
  baseUrl: () => string;
  /** Signs a file as an internet-bank user would (the UI's API over HTTP, or the same engine call in-process). */
  signInInternetBank: (sandbox: SandboxInfo, fileId: string) => Promise<void>;
  sleep?: (ms: number) => Promise<void>;
}

export interface SandboxInfo {
  sandboxId: string;
  apiKey: string;
  bank: 'swedbank' | 'sparbanken';
  internetBankUsers: { userId: string; password: string; totpSecret: string; role: string }[];
}

async function post(target: FlowTarget, path: string, key: string | undefined, body: unknown) {
  const res = await fetch(`${target.baseUrl()}${path}`, { method: path.endsWith('faults') ? 'PUT' : 'POST', headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) }, body: JSON.stringify(body) });
  return res.json() as Promise<Record<string, unknown>>;
}

/** A code for the time step `offset` steps from now (±1 are accepted): distinct codes for consecutive signings. */
export function codeAt(secret: string, offset: number): Promise<string> {
  return generate({ secret, epoch: Math.floor(Date.now() / 1000) + offset * 30 });
}

/** The test passes the sandbox's clock to the client (which, against a real bank, uses the system's). */
function sandboxToday(target: FlowTarget, sandbox: SandboxInfo): () => Promise<string> {
  return async () => {
    const res = await fetch(`${target.baseUrl()}/sandboxes/${sandbox.sandboxId}`, { headers: { authorization: `Bearer ${sandbox.apiKey}` } });
    return ((await res.json()) as { now: string }).now.slice(0, 10);
  };
}

async function setUp(target: FlowTarget, bank: 'swedbank' | 'sparbanken', openingOre = 500_000_00) {
  const sandbox = (await post(target, '/sandboxes', undefined, { bank, seed: 8080, start: '2026-03-02T08:00:00', openingBalancesOre: [openingOre, 0] })) as unknown as SandboxInfo;
  const company = await AccountingCompany.create(
    { name: 'Fjällbacka Snickeri AB', organisationNumber: '5565123456', bank: { baseUrl: target.baseUrl(), bank, apiKey: sandbox.apiKey, sandboxId: sandbox.sandboxId } },
    { store: new MemoryClientStore(), connection: { baseDelayMs: 5, ...(target.sleep ? { sleep: target.sleep } : {}) }, today: sandboxToday(target, sandbox) },
  );
  await company.addUser('anna@example.se', 'Anna Admin', 'administrator');
  await company.addUser('bo@example.se', 'Bo User', 'user');
  const { secret } = await company.enrolTwoStep('anna@example.se');
  const bo = await company.enrolTwoStep('bo@example.se');
  const suppliers: Supplier[] = [
    await company.addSupplier('Trävaruhuset AB', { kind: 'bankgiro', number: '5050-1055' }),
    await company.addSupplier('Åkeri Östergren', { kind: 'plusgiro', number: '90 20 03-3' }),
    await company.addSupplier('Kontorsmaterial Nilsson', { kind: 'account', clearing: '8105-9', account: '694 857 993-0' }),
  ];
  return { sandbox, company, secret, boSecret: bo.secret, suppliers };
}

const advance = (target: FlowTarget, sandbox: SandboxInfo, to: string) => post(target, `/sandboxes/${sandbox.sandboxId}/clock/advance`, sandbox.apiKey, { to });

export function flowSuite(target: FlowTarget): void {
  describe.each(['swedbank', 'sparbanken'] as const)('%s', (bank) => {
    it('20 invoices → post → proposal (deselect 2, move 1) → Send → Received by bank → internet-bank signing → Paid and booked; future payment with balance; cancel → Payment cancelled, ledger reversed', async () => {
      const { sandbox, company, suppliers } = await setUp(target, bank);
      for (let i = 0; i < 20; i++) {
        const supplier = suppliers[i % 3] as Supplier;
        const ocr = supplier.payee.kind === 'account' ? undefined : (await import('../../formats/identifiers/ocr.ts')).generateOcr(String(5000 + i));
        const invoice = await company.registerInvoice({ supplierId: supplier.id, invoiceNumber: `F${100 + i}`, invoiceDate: '2026-03-02', dueDate: `2026-03-${String(5 + i).padStart(2, '0')}`, totalOre: 1_000_00 + i * 125_50, ...(ocr ? { ocr } : {}) });
        await company.postInvoice(invoice.id);
      }
      const proposal = await company.proposal();
      expect(proposal).toHaveLength(20);
      // Due 2026-03-07 is a Saturday: proposed for Monday 2026-03-09.
      expect(proposal.find((p) => p.dueDate === '2026-03-07')?.proposedDate).toBe('2026-03-09');
      await company.select('INV-1', false);
      await company.select('INV-2', false);
      expect(await company.setPaymentDate('INV-20', '2026-04-18')).toBe('2026-04-20');
      await expect(company.setPaymentDate('INV-19', '2026-02-27')).rejects.toThrow(/cannot be before 2026-03-02/);

      const sent = await company.send();
      expect(sent.invoices).toHaveLength(18);
      expect(company.invoice('INV-3').state).toBe('received');
      expect(company.invoice('INV-1').state).toBe('posted');

      await target.signInInternetBank(sandbox, sent.fileId);
      await company.sync();
      expect(company.invoice('INV-3').bank?.signed).toBe(true);

      await advance(target, sandbox, '2026-03-31T23:00:00');
      await company.sync();
      const paid = company.snapshot.invoices.filter((i) => i.state === 'paid');
      expect(paid).toHaveLength(17);
      const paidTotal = paid.reduce((s, i) => s + i.totalOre, 0);
      expect(company.trialBalance('2026-03-31').find((r) => r.account === '1930')?.balanceOre).toBe(-paidTotal);

      const future = await company.futurePayments();
      expect(future.invoices.map((i) => i.id)).toEqual(['INV-20']);
      const balances = await company.bank.balances((await company.bank.accounts())[0]?.accountId ?? '');
      expect(future.primaryBalanceOre).toBe(balances.bookedOre);
      expect(future.primaryBalanceOre).toBe(500_000_00 - paidTotal);

      const inv20 = company.invoice('INV-20');
      const bookedBefore = company.trialBalance().find((r) => r.account === '1930')?.balanceOre;
      expect(bookedBefore).toBe(-paidTotal - inv20.totalOre);
      await company.requestCancellation('INV-20');
      expect(company.invoice('INV-20').state).toBe('request-sent');
      await company.sync();
      expect(company.invoice('INV-20').state).toBe('cancelled');
      expect(company.trialBalance().find((r) => r.account === '1930')?.balanceOre).toBe(-paidTotal);
      expect(company.vouchers.filter((v) => v.reverses)).toHaveLength(1);
      for (const v of company.vouchers) expect(v.lines.reduce((s, l) => s + l.amountOre, 0)).toBe(0);
      const sie = await company.exportSie(2026);
      expect(sie).toContain('#SIETYP 4');
    });

    it('insufficient funds → Rejected with the reason in words; Send and sign by an administrator', async () => {
      const { sandbox, company, suppliers, secret } = await setUp(target, bank, 100_00);
      const invoice = await company.registerInvoice({ supplierId: (suppliers[0] as Supplier).id, invoiceNumber: 'BIG', invoiceDate: '2026-03-02', dueDate: '2026-03-03', totalOre: 5_000_00, ocr: '1234574' });
      await company.postInvoice(invoice.id);
      const sent = await company.send({ sign: { userId: 'anna@example.se', code: await codeAt(secret, 0) } });
      expect(sent.signed).toBe(true);
      await advance(target, sandbox, '2026-03-20T12:00:00');
      await company.sync();
      expect(company.invoice(invoice.id).state).toBe('rejected');
      expect(company.invoice(invoice.id).reason).toEqual({ code: 'AM04', text: 'Insufficient funds' });
      expect(company.trialBalance().find((r) => r.account === '1930')?.balanceOre ?? 0).toBe(0);
    });

    it('Send and sign is refused for a non-administrator, a wrong code and a replayed code', async () => {
      const { company, suppliers, secret, boSecret } = await setUp(target, bank);
      const invoice = await company.registerInvoice({ supplierId: (suppliers[0] as Supplier).id, invoiceNumber: 'X', invoiceDate: '2026-03-02', dueDate: '2026-03-10', totalOre: 100_00 });
      await company.postInvoice(invoice.id);
      await expect(company.send({ sign: { userId: 'bo@example.se', code: await codeAt(boSecret, 0) } })).rejects.toMatchObject({ code: 'NOT_ALLOWED' });
      // The current step's code: one from the step before is accepted only until the boundary a slow run may cross.
      const right = await codeAt(secret, 0);
      const wrong = right === '123456' ? '654321' : '123456';
      await expect(company.send({ sign: { userId: 'anna@example.se', code: wrong } })).rejects.toMatchObject({ code: 'TWO_STEP_FAILED' });
      await company.send({ sign: { userId: 'anna@example.se', code: right } });
      const second = await company.registerInvoice({ supplierId: (suppliers[0] as Supplier).id, invoiceNumber: 'Y', invoiceDate: '2026-03-02', dueDate: '2026-03-10', totalOre: 200_00 });
      await company.postInvoice(second.id);
      const replay = company.send({ sign: { userId: 'anna@example.se', code: right } });
      await expect(replay).rejects.toBeInstanceOf(ClientError);
      await expect(replay).rejects.toThrow(/already used/);
      expect(company.invoice(second.id).state).toBe('posted');
    });

    it('a 503 during the upload is retried with the same key: one file at the bank', async () => {
      const { sandbox, company, suppliers } = await setUp(target, bank);
      await post(target, `/sandboxes/${sandbox.sandboxId}/faults`, sandbox.apiKey, { rules: [{ match: { endpoint: '/v1/{bank}/payment-files', method: 'POST' }, action: { type: 'http-error', status: 503, times: 2 } }] });
      const invoice = await company.registerInvoice({ supplierId: (suppliers[1] as Supplier).id, invoiceNumber: 'R', invoiceDate: '2026-03-02', dueDate: '2026-03-10', totalOre: 300_00 });
      await company.postInvoice(invoice.id);
      await company.send();
      expect(await company.bank.paymentFiles()).toHaveLength(1);
      expect(company.invoice(invoice.id).state).toBe('received');
    });

    it('"send each invoice when posted" sends at posting', async () => {
      const { sandbox } = await setUp(target, bank);
      const company = await AccountingCompany.create(
        { name: 'Auto AB', organisationNumber: '5565000002', bank: { baseUrl: target.baseUrl(), bank, apiKey: sandbox.apiKey, sandboxId: sandbox.sandboxId }, sendEachWhenPosted: true },
        { store: new MemoryClientStore(), connection: { baseDelayMs: 5 }, today: sandboxToday(target, sandbox) },
      );
      const supplier = await company.addSupplier('Trävaruhuset AB', { kind: 'bankgiro', number: '5050-1055' });
      const invoice = await company.registerInvoice({ supplierId: supplier.id, invoiceNumber: 'A1', invoiceDate: '2026-03-02', dueDate: '2026-03-12', totalOre: 99_00 });
      await company.postInvoice(invoice.id);
      expect(company.invoice(invoice.id).state).toBe('received');
    });
  });
}
