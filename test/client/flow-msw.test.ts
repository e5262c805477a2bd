import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe } from 'vitest';
import { createSandbankHandlers } from '../../simulator/http/msw.ts';
import { flowSuite } from './flow-suite.ts';

const bank = createSandbankHandlers({ baseUrl: 'http://bank.test', seed: 9 });
const server = setupServer(...bank.handlers);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

describe('reference client against the simulator in-process (msw)', () => {
  flowSuite({
    baseUrl: () => 'http://bank.test',
    // The internet bank's pages are not part of the msw route table: in-process, the file is
    // signed with the same engine call the internet bank's Sign button makes.
    signInInternetBank: async (sandbox, fileId) => {
      const admin = sandbox.internetBankUsers.find((u) => u.role === 'administrator');
      const result = await bank.engine.signFile(sandbox.sandboxId, fileId, { channel: 'internet-bank', signedBy: admin?.userId ?? '', role: 'administrator' });
      if (!result.ok) throw new Error(result.message);
    },
  });
});
