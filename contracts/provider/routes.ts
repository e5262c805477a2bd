/**
 * The provider-state endpoint, plugged into a `sandbank start --provider-states` server from
 * this side (the simulator knows nothing of its contracts):
 * POST /sandboxes/provider-states?bank=swedbank with Pact's { state, params, action }.
 * It is authenticated with a sandbox API key and only ever re-creates that key's own sandbox;
 * `sandbank contracts verify` creates the sandbox and sends its key.
 */
import { z } from 'zod';
import { isBankId } from '../../simulator/banks/index.ts';
import type { SandboxCore } from '../../simulator/engine/model.ts';
import { internalError, problem } from '../../simulator/http/problem.ts';
import type { Route } from '../../simulator/http/routes.ts';
import { applyProviderState, ProviderStateError } from './states.ts';
import { fieldProblems, problemDetail } from '../../formats/zod-issues.ts';

const stateChange = z.object({
  state: z.string().min(1).max(200),
  params: z.record(z.string(), z.unknown()).optional(),
  action: z.enum(['setup', 'teardown']).optional(),
});

export function providerStateRoutes(): Route[] {
  return [{
    method: 'POST',
    pattern: '/sandboxes/provider-states',
    auth: 'sandbox-key',
    handler: async (req, _params, ctx, sandbox) => {
      const own = sandbox as SandboxCore;
      const bank = req.query.get('bank') ?? own.bank;
      if (!isBankId(bank)) return problem('UNKNOWN_BANK', 'bank must be swedbank or sparbanken');
      let body: unknown;
      try {
        body = JSON.parse(Buffer.from(await req.body()).toString('utf8') || '{}');
      } catch {
        return problem('INVALID_JSON', 'the state change is not JSON');
      }
      const parsed = stateChange.safeParse(body);
      if (!parsed.success) return problem('INVALID_REQUEST', problemDetail(fieldProblems(parsed.error, body)));
      const limits = ctx.sandboxBodyLimits;
      if (parsed.data.action !== 'teardown') limits?.delete(own.id);
      try {
        const result = await applyProviderState({
          engine: ctx.engine, bank, apiKey: own.apiKey,
          ...(limits ? { limitBody: (id: string, bytes: number | undefined) => void (bytes === undefined ? limits.delete(id) : limits.set(id, bytes)) } : {}),
        }, {
          state: parsed.data.state,
          ...(parsed.data.params ? { params: parsed.data.params } : {}),
          ...(parsed.data.action ? { action: parsed.data.action } : {}),
        });
        return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(result) };
      } catch (error) {
        if (error instanceof ProviderStateError) return problem('INVALID_REQUEST', error.message);
        return internalError(error, ctx.log);
      }
    },
  }];
}
