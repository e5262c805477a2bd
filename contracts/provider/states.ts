/**
 * Provider states for the contracts: each seeds the engine directly (never through the bank
 * API) so the interaction that follows finds what it expects. Served at
 * POST /sandboxes/provider-states ({ state, params, action }, Pact's state-change format) and
 * used in-process by the provider verification.
 */
import type { Engine } from '../../simulator/engine/bank.ts';
import { CONTRACT_ACCOUNT, CONTRACT_API_KEY, CONTRACT_WEBHOOK_SECRET, STATES, contractPain001, type ContractBank } from '../fixtures.ts';

export interface StateChange {
  state: string;
  params?: Record<string, unknown>;
  action?: 'setup' | 'teardown';
}

export interface ProviderStateContext {
  engine: Engine;
  bank: ContractBank;
  /** Lets the body-limit state change the server's limit (restored on teardown). */
  setBodyLimit?: (bytes: number | undefined) => void;
}

async function sandbox(ctx: ProviderStateContext, balanceOre = 500_000_00): Promise<string> {
  // The contract files name a fixed debtor account: the sandbox's primary account is that one.
  const created = await ctx.engine.createSandbox({ bank: ctx.bank, seed: 4711, start: '2026-03-12T08:00:00', apiKey: CONTRACT_API_KEY, openingBalancesOre: [balanceOre, 0], primaryAccount: CONTRACT_ACCOUNT, webhook: { url: 'http://127.0.0.1:9/contract-webhooks', secret: CONTRACT_WEBHOOK_SECRET } });
  if (!created.ok) throw new Error(created.message);
  return created.value.id;
}

async function fileAwaitingSignature(ctx: ProviderStateContext, id: string, date = '2026-03-16'): Promise<string> {
  const upload = await ctx.engine.submitFile(id, Buffer.from(contractPain001('CONTRACT-0001', date)));
  if (!upload.ok) throw new Error(upload.message);
  await ctx.engine.settle(id);
  return upload.value.fileId;
}

async function sign(ctx: ProviderStateContext, id: string, fileId: string): Promise<void> {
  const signed = await ctx.engine.signFile(id, fileId, { channel: 'in-app', signedBy: 'Contract Admin', role: 'administrator' });
  if (!signed.ok) throw new Error(signed.message);
}

/** Sets up one state; returns values the interaction may use (Pact provider-state injection). */
export async function applyProviderState(ctx: ProviderStateContext, change: StateChange): Promise<Record<string, unknown>> {
  if (change.action === 'teardown') {
    if (change.state === STATES.bodyLimit) ctx.setBodyLimit?.(undefined);
    return {};
  }
  // Every state starts from the configured body limit (a verifier may skip teardowns).
  if (change.state !== STATES.bodyLimit) ctx.setBodyLimit?.(undefined);
  switch (change.state) {
    case STATES.sandbox:
      return { sandboxId: await sandbox(ctx) };
    case STATES.awaitingSignature: {
      const id = await sandbox(ctx);
      return { sandboxId: id, fileId: await fileAwaitingSignature(ctx, id) };
    }
    case STATES.signed: {
      const id = await sandbox(ctx);
      const fileId = await fileAwaitingSignature(ctx, id);
      await sign(ctx, id, fileId);
      return { sandboxId: id, fileId };
    }
    case STATES.rejected: {
      const id = await sandbox(ctx);
      const upload = await ctx.engine.submitFile(id, Buffer.from('<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.03"><oops'));
      if (!upload.ok) throw new Error(upload.message);
      await ctx.engine.settle(id);
      return { sandboxId: id, fileId: upload.value.fileId };
    }
    case STATES.executed: {
      const id = await sandbox(ctx);
      const fileId = await fileAwaitingSignature(ctx, id);
      await sign(ctx, id, fileId);
      await ctx.engine.advanceClock(id, { to: '2026-03-16T23:00:00' });
      return { sandboxId: id, fileId };
    }
    case STATES.insufficientFunds: {
      const id = await sandbox(ctx, 0);
      const fileId = await fileAwaitingSignature(ctx, id);
      await sign(ctx, id, fileId);
      await ctx.engine.advanceClock(id, { to: '2026-03-31T23:00:00' });
      return { sandboxId: id, fileId };
    }
    case STATES.scheduledOn: {
      const id = await sandbox(ctx);
      const date = String(change.params?.['date'] ?? '2026-03-20');
      const fileId = await fileAwaitingSignature(ctx, id, date);
      await sign(ctx, id, fileId);
      const payments = await ctx.engine.listPayments(id, 'SCHEDULED');
      return { sandboxId: id, fileId, paymentId: payments.ok ? payments.value[0]?.id : undefined };
    }
    case STATES.uploadedWithKey: {
      const id = await sandbox(ctx);
      const upload = await ctx.engine.submitFile(id, Buffer.from(contractPain001()), { idempotencyKey: String(change.params?.['key'] ?? 'contract-key') });
      if (!upload.ok) throw new Error(upload.message);
      await ctx.engine.settle(id);
      return { sandboxId: id, fileId: upload.value.fileId };
    }
    case STATES.bodyLimit: {
      await sandbox(ctx);
      ctx.setBodyLimit?.(Number(change.params?.['bytes'] ?? 65_536));
      return {};
    }
    default:
      throw new Error(`unknown provider state "${change.state}"`);
  }
}
