/**
 * Opt-in, for the CLI only: a company connected with `client init --sandbox-id` follows that
 * sandbox's simulated clock, read from the simulator's test-helper endpoint. A real bank has
 * no such endpoint, so nothing else in client/ calls it; without --sandbox-id the client keeps
 * the system clock, as an accounting program does.
 */
import { BankUnreachable } from './bank/connection.ts';
import { ClientError } from './purchasing/company.ts';

export function sandboxClock(bank: { baseUrl: string; apiKey: string; sandboxId: string }): () => Promise<string> {
  return async () => {
    const url = `${bank.baseUrl.replace(/\/$/, '')}/sandboxes/${encodeURIComponent(bank.sandboxId)}`;
    let response: Response;
    try {
      response = await fetch(url, { headers: { authorization: `Bearer ${bank.apiKey}` } });
    } catch (error) {
      throw new BankUnreachable(bank.baseUrl, error);
    }
    if (!response.ok) throw new ClientError('INVALID', `cannot read the sandbox clock at ${url}: HTTP ${response.status}`);
    return ((await response.json()) as { now: string }).now.slice(0, 10);
  };
}
