/**
 * The webhook messages the simulator sends, produced for Pact's message verification from a
 * real engine event (the same function the webhook dispatcher uses).
 */
import type { Engine } from '../../simulator/engine/bank.ts';
import { webhookRequest } from '../../simulator/http/webhooks.ts';
import { CONTRACT_API_KEY, CONTRACT_WEBHOOK_SECRET } from '../fixtures.ts';

/** The latest payment_file.status_changed event of the contract sandbox, as its webhook would carry it. */
export async function fileStatusWebhook(engine: Engine, nowSeconds: number): Promise<{ __pactMessageMetadata: Record<string, string>; message: unknown }> {
  const sandbox = engine.sandboxForKey(CONTRACT_API_KEY);
  if (!sandbox) throw new Error('no contract sandbox: the provider state did not run');
  const event = [...(await engine.events(sandbox.id))].reverse().find((e) => e.type === 'payment_file.status_changed' && e.data['status'] === 'AWAITING_SIGNATURE');
  if (!event) throw new Error('no payment_file.status_changed event');
  const { body, headers } = webhookRequest(sandbox.id, event, CONTRACT_WEBHOOK_SECRET, nowSeconds);
  return { __pactMessageMetadata: headers, message: JSON.parse(body) as unknown };
}
