/**
 * Provider states for the contracts: each seeds the engine directly (never through the bank
 * API) so the interaction that follows finds what it expects. Every state (re)creates the one
 * sandbox holding the caller's API key and touches nothing else. Served (when `sandbank start
 * --provider-states` plugs them in) at POST /sandboxes/provider-states ({ state, params,
 * action }, Pact's state-change format) and used in-process by the provider verification.
 */
import { isIsoDate } from '../../formats/dates.ts';
import type { Engine } from '../../simulator/engine/bank.ts';
import { CONTRACT_ACCOUNT, CONTRACT_WEBHOOK_SECRET, STATES, contractPain001, type ContractBank } from '../fixtures.ts';

export interface StateChange {
  state: string;
  params?: Record<string, unknown>;
  action?: 'setup' | 'teardown';
}

export interface ProviderStateContext {
  engine: Engine;
  bank: ContractBank;
  /** The caller's API key: the state's sandbox holds it, replacing the caller's previous one. */
  apiKey: string;
  /** A lower body limit for the state's sandbox only (the server's own limit is a flag). */
  limitBody?: (sandboxId: string, bytes: number | undefined) => void;
}

/** A state that cannot be set up as asked (its message is safe to show the caller). */
export class ProviderStateError extends Error {}

/** Highest body limit a state may ask for (it only ever lowers the server's). */
const MAX_STATE_BODY_LIMIT = 16 * 1024 * 1024;

async function sandbox(ctx: ProviderStateContext, balanceOre = 500_000_00): Promise<string> {
  // The contract files name a fixed debtor account: the sandbox's primary account is that one.
  const holder = ctx.engine.sandboxForKey(ctx.apiKey);
  const created = await ctx.engine.createSandbox({
    bank: ctx.bank, seed: 4711, start: '2026-03-12T08:00:00', apiKey: ctx.apiKey, ...(holder ? { replaces: holder.id } : {}),
    openingBalancesOre: [balanceOre, 0], primaryAccount: CONTRACT_ACCOUNT, webhook: { url: 'http://127.0.0.1:9/contract-webhooks', secret: CONTRACT_WEBHOOK_SECRET },
  });
  if (!created.ok) throw new ProviderStateError(created.message);
  return created.value.id;
}

async function fileAwaitingSignature(ctx: ProviderStateContext, id: string, date = '2026-03-16'): Promise<string> {
  const upload = await ctx.engine.submitFile(id, Buffer.from(contractPain001('CONTRACT-0001', date)));
  if (!upload.ok) throw new ProviderStateError(upload.message);
  await ctx.engine.settle(id);
  return upload.value.fileId;
}

async function sign(ctx: ProviderStateContext, id: string, fileId: string): Promise<void> {
  const signed = await ctx.engine.signFile(id, fileId, { channel: 'in-app', signedBy: 'Contract Admin', role: 'administrator' });
  if (!signed.ok) throw new ProviderStateError(signed.message);
}

/** Sets up one state; returns values the interaction may use (Pact provider-state injection). */
export async function applyProviderState(ctx: ProviderStateContext, change: StateChange): Promise<Record<string, unknown>> {
  if (change.action === 'teardown') {
    const holder = ctx.engine.sandboxForKey(ctx.apiKey);
    if (change.state === STATES.bodyLimit && holder) ctx.limitBody?.(holder.id, undefined);
    return {};
  }
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
      if (!upload.ok) throw new ProviderStateError(upload.message);
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
      if (!isIsoDate(date)) throw new ProviderStateError('date must be a real date, YYYY-MM-DD');
      const fileId = await fileAwaitingSignature(ctx, id, date);
      await sign(ctx, id, fileId);
      const payments = await ctx.engine.listPayments(id, 'SCHEDULED');
      return { sandboxId: id, fileId, paymentId: payments.ok ? payments.value[0]?.id : undefined };
    }
    case STATES.uploadedWithKey: {
      const id = await sandbox(ctx);
      const key = String(change.params?.['key'] ?? 'contract-key').slice(0, 255);
      const upload = await ctx.engine.submitFile(id, Buffer.from(contractPain001()), { idempotencyKey: key });
      if (!upload.ok) throw new ProviderStateError(upload.message);
      await ctx.engine.settle(id);
      return { sandboxId: id, fileId: upload.value.fileId };
    }
    case STATES.bodyLimit: {
      const bytes = Number(change.params?.['bytes'] ?? 65_536);
      if (!Number.isSafeInteger(bytes) || bytes < 1 || bytes > MAX_STATE_BODY_LIMIT) throw new ProviderStateError(`bytes must be an integer from 1 to ${MAX_STATE_BODY_LIMIT}`);
      const id = await sandbox(ctx);
      ctx.limitBody?.(id, bytes);
      return { sandboxId: id };
    }
    default:
      throw new ProviderStateError(`unknown provider state "${change.state}"`);
  }
}
