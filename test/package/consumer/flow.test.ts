import { expect, it } from 'vitest';
// @ts-expect-error flow.mjs is plain JavaScript without declarations
import { paymentFlow } from './flow.mjs';

it('pays a supplier through the installed sandbank/msw: upload → sign → clock → camt.054', async () => {
  const { debitedOre, totalOre } = (await paymentFlow()) as { debitedOre: number; totalOre: number };
  expect(totalOre).toBeGreaterThan(0);
  expect(debitedOre).toBe(totalOre);
});
