import { describe, expect, it } from 'vitest';
import { VersionReads } from './freshness.ts';

/** A store whose version reads answer when the test says so. */
function controlledStore() {
  const pending: { id: string; resolve: (v: number) => void; reject: (e: Error) => void }[] = [];
  const reads = new VersionReads((id) => new Promise<number>((resolve, reject) => pending.push({ id, resolve, reject })));
  const answer = async (version: number) => {
    const read = pending.shift();
    if (!read) throw new Error('no read was sent');
    read.resolve(version);
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { reads, pending, answer };
}

describe('version reads on a shared store', () => {
  it('every check of one request shares one read, also after it returned', async () => {
    const { reads, pending, answer } = controlledStore();
    const request = reads.withinRequest(async () => {
      const both = await Promise.all([reads.current('s1'), reads.current('s1')]);
      return [...both, await reads.current('s1')];
    });
    expect(pending).toHaveLength(1);
    await answer(4);
    expect(await request).toEqual([4, 4, 4]);
    expect(pending).toHaveLength(0);
  });

  it('a request arriving after a read was sent never uses it: it waits for the next, which the others arriving meanwhile share', async () => {
    const { reads, pending, answer } = controlledStore();
    const first = reads.withinRequest(() => reads.current('s1'));
    const late = [reads.withinRequest(() => reads.current('s1')), reads.withinRequest(() => reads.current('s1'))];
    expect(pending).toHaveLength(1);
    await answer(1);
    expect(await first).toBe(1);
    // The next read goes out once the first is back, one for both late requests.
    expect(pending).toHaveLength(1);
    await answer(2);
    expect(await Promise.all(late)).toEqual([2, 2]);
  });

  it('a request arriving after a read returned sends its own; so does a call outside any request', async () => {
    const { reads, pending, answer } = controlledStore();
    const first = reads.current('s1');
    await answer(1);
    expect(await first).toBe(1);
    const request = reads.withinRequest(() => reads.current('s1'));
    expect(pending).toHaveLength(1);
    await answer(2);
    expect(await request).toBe(2);
    const outside = reads.current('s1');
    expect(pending).toHaveLength(1);
    await answer(3);
    expect(await outside).toBe(3);
  });

  it('sandboxes are read apart, and a failed read is not reused', async () => {
    const { reads, pending, answer } = controlledStore();
    const [one, two] = reads.withinRequest(() => [reads.current('s1'), reads.current('s2')]);
    expect(pending.map((p) => p.id)).toEqual(['s1', 's2']);
    pending.shift()?.reject(new Error('connection lost'));
    await expect(one).rejects.toThrow('connection lost');
    await answer(7);
    expect(await two).toBe(7);
    const again = reads.withinRequest(() => reads.current('s1'));
    expect(pending).toHaveLength(1);
    await answer(5);
    expect(await again).toBe(5);
  });
});
