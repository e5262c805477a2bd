import { afterAll, beforeAll, describe } from 'vitest';
import { createRandom } from '../../formats/random.ts';
import { startSimulator, type Simulator } from '../../simulator/app.ts';
import { signInInternetBank } from '../../scenarios/internetbank.ts';
import { flowSuite } from './flow-suite.ts';

let simulator: Simulator;
beforeAll(async () => {
  simulator = await startSimulator({ random: createRandom(31) });
});
afterAll(async () => simulator.close());

describe('reference client against the simulator over a real port', () => {
  flowSuite({
    baseUrl: () => simulator.url,
    signInInternetBank: async (sandbox, fileId) => {
      const admin = sandbox.internetBankUsers.find((u) => u.role === 'administrator');
      if (!admin) throw new Error('no administrator');
      await signInInternetBank(simulator.url, sandbox.bank, { id: admin.userId, password: admin.password, totpSecret: admin.totpSecret }, fileId);
    },
  });
});
