/**
 * The provider-state endpoint of the simulator's test-helper API:
 * POST /sandboxes/provider-states?bank=swedbank with Pact's { state, params, action }.
 * Mounted by `sandbank start` so `sandbank contracts verify` works against it with no flags.
 */
import { z } from 'zod';
import { isBankId } from '../../simulator/banks/index.ts';
import { problem } from '../../simulator/http/problem.ts';
import type { Route } from '../../simulator/http/routes.ts';
import { applyProviderState } from './states.ts';

const stateChange = z.object({
  state: z.string().min(1),
  params: z.record(z.string(), z.unknown()).optional(),
  action: z.enum(['setup', 'teardown']).optional(),
});

export function providerStateRoutes(): Route[] {
  return [{
    method: 'POST',
    pattern: '/sandboxes/provider-states',
    auth: 'none',
    handler: async (req, _params, ctx) => {
      const bank = req.query.get('bank') ?? 'swedbank';
      if (!isBankId(bank)) return problem('UNKNOWN_BANK', `unknown bank "${bank}"`);
      let body: unknown;
      try {
        body = JSON.parse(Buffer.from(await req.body()).toString('utf8') || '{}');
      } catch {
        return problem('INVALID_JSON', 'the state change is not JSON');
      }
      const parsed = stateChange.safeParse(body);
      if (!parsed.success) return problem('INVALID_REQUEST', parsed.error.issues.map((i) => i.message).join('; '));
      try {
        const result = await applyProviderState({ engine: ctx.engine, bank, ...(ctx.bodyLimit ? { setBodyLimit: ctx.bodyLimit.set } : {}) }, {
          state: parsed.data.state,
          ...(parsed.data.params ? { params: parsed.data.params } : {}),
          ...(parsed.data.action ? { action: parsed.data.action } : {}),
        });
        return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(result) };
      } catch (error) {
        return problem('INVALID_REQUEST', error instanceof Error ? error.message : String(error));
      }
    },
  }];
}
