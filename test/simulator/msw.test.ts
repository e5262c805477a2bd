import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe } from 'vitest';
import { createSandbankHandlers } from '../../simulator/http/msw.ts';
import { apiSuite } from './api-suite.ts';

const bank = createSandbankHandlers({ baseUrl: 'http://bank.test', seed: 5 });
const server = setupServer(...bank.handlers);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

describe('the same bank API in-process through msw (no port)', () => {
  apiSuite({ baseUrl: () => 'http://bank.test' });
});
