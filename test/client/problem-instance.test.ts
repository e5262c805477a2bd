/**
 * The bank's problem documents name, in `instance`, the console page of the resource they
 * are about; the reference client prints that link (it knows nothing of the console: it
 * resolves a URI reference against the bank's base URL).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BankConnection, BankError } from '../../client/bank/connection.ts';
import { createRandom } from '../../formats/random.ts';
import { startSimulator, type Simulator } from '../../simulator/app.ts';
import type { SandboxCore } from '../../simulator/engine/model.ts';
import { pain001For } from '../support/payment-files.ts';

let simulator: Simulator;
let core: SandboxCore;
let bank: BankConnection;
beforeAll(async () => {
  simulator = await startSimulator({ random: createRandom(505) });
  const created = await simulator.engine.createSandbox({ bank: 'swedbank', start: '2026-03-12T08:00:00' });
  if (!created.ok) throw new Error(created.message);
  core = created.value;
  bank = new BankConnection({ baseUrl: simulator.url, bank: 'swedbank', apiKey: core.apiKey });
});
afterAll(async () => simulator.close());

async function failure(run: () => Promise<unknown>): Promise<BankError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof BankError) return error;
    throw error;
  }
  throw new Error('expected a BankError');
}

describe('problem instance: the console page of the resource', () => {
  it('a file signed twice: the problem links to the file\'s timeline, and the client prints it', async () => {
    const { fileId } = await bank.uploadPaymentFile(pain001For(core, [{ amountOre: 100_00, date: '2026-03-16' }]), 'once');
    await bank.signPaymentFile(fileId, 'Anna Admin');
    const error = await failure(() => bank.signPaymentFile(fileId, 'Anna Admin'));
    expect(error.code).toBe('FILE_NOT_AWAITING_SIGNATURE');
    expect(error.problem['instance']).toBe(`/console/sandboxes/${core.id}/files/${fileId}`);
    expect(error.instanceUrl).toBe(`${simulator.url}/console/sandboxes/${core.id}/files/${fileId}`);
    expect(error.message).toMatch(new RegExp(`^409 FILE_NOT_AWAITING_SIGNATURE: .* \\(see ${simulator.url}/console/sandboxes/${core.id}/files/${fileId}\\)$`));
  });

  it('a payment that cannot be cancelled links to the payment; a missing one to the sandbox', async () => {
    const { fileId } = await bank.uploadPaymentFile(pain001For(core, [{ amountOre: 200_00, date: '2026-03-20' }], { messageId: 'MSG-CXL' }), 'cxl');
    await bank.signPaymentFile(fileId, 'Anna Admin');
    const [payment] = (await bank.paymentFile(fileId)).payments;
    await bank.requestCancellation(payment?.paymentId ?? '');
    const twice = await failure(() => bank.requestCancellation(payment?.paymentId ?? ''));
    expect(twice.problem['instance']).toBe(`/console/sandboxes/${core.id}/payments/${payment?.paymentId}`);
    const missing = await failure(() => bank.paymentFile('pf_999999'));
    expect(missing.problem['instance']).toBe(`/console/sandboxes/${core.id}`);
  });
});
