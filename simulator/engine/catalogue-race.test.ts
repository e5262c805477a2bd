/**
 * A server learning of a sandbox another server created must not take a copy older than the
 * version it marks it with: a change committed between its reading the catalogue and its
 * reading the sandbox's version would otherwise pass for seen, and the next mutation here
 * would write the old core over it (a CI run lost fault rules that way). The other server's
 * commit is injected at exactly that point, on the real PostgreSQL adapter.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRandom } from '../../formats/random.ts';
import { freshDatabase, testPostgres } from '../../test/support/postgres.ts';
import { pain001For } from '../../test/support/payment-files.ts';
import { PostgresStore } from '../store/postgres.ts';
import { Engine } from './bank.ts';

const server = await testPostgres();

/** A store that lets something else happen at one point of a read (once each). */
class InterleavingStore extends PostgresStore {
  beforeVersion: { sandboxId: string; run: () => Promise<void> } | undefined;
  afterListing: { collection: string; run: () => Promise<void> } | undefined;

  override async list(collection: string): Promise<{ id: string; value: unknown }[]> {
    const listed = await super.list(collection);
    const hook = this.afterListing;
    if (hook && hook.collection === collection) {
      this.afterListing = undefined;
      await hook.run();
    }
    return listed;
  }

  override async version(sandboxId: string): Promise<number> {
    const hook = this.beforeVersion;
    if (hook && hook.sandboxId === sandboxId) {
      this.beforeVersion = undefined;
      await hook.run();
    }
    return super.version(sandboxId);
  }
}

/** What every request of a server goes through when another server may have changed the set of sandboxes. */
const syncCatalogue = (engine: Engine) => (engine as unknown as { syncCatalogue(): Promise<void> }).syncCatalogue();

const rules = [{ match: { reportType: 'pain.002' as const }, action: { type: 'duplicate-report' as const } }];
const start = () => '2026-03-02T08:00:00';

describe.skipIf(!server.available)(`a sandbox another server changes while this one reads the catalogue${server.available ? '' : ` (skipped: ${server.reason})`}`, () => {
  let database: { url: string; drop: () => Promise<void> };
  const stores: PostgresStore[] = [];
  beforeAll(async () => {
    if (server.available) database = await freshDatabase(server.serverUrl);
  });
  afterAll(async () => {
    await Promise.all(stores.map((s) => s.close()));
    await database?.drop();
  });

  it('is read after its version: the other server\'s fault rules survive this server\'s next mutation', async () => {
    const storeA = new PostgresStore(database.url);
    const storeB = new InterleavingStore(database.url);
    stores.push(storeA, storeB);
    const a = new Engine({ store: storeA, random: createRandom(1), defaultStart: start });
    const b = new Engine({ store: storeB, random: createRandom(2), defaultStart: start });
    await a.load();
    await b.load();
    const created = await a.createSandbox({ bank: 'swedbank', seed: 7 });
    if (!created.ok) throw new Error(created.message);
    const core = created.value;
    // B lists the catalogue (the sandbox without rules), then A sets the rules, then B reads the version.
    storeB.beforeVersion = { sandboxId: core.id, run: async () => void expect((await a.setFaults(core.id, rules)).ok).toBe(true) };
    await b.refreshCatalogue();
    expect(storeB.beforeVersion).toBeUndefined();
    const upload = await b.submitFile(core.id, Buffer.from(pain001For(core, [{ amountOre: 700_00, date: '2026-03-04' }])));
    expect(upload.ok).toBe(true);
    expect((await b.refresh(core.id))?.core.faults.map((f) => f.action.type)).toEqual(['duplicate-report']);
    expect((await a.refresh(core.id))?.core.faults.map((f) => f.action.type)).toEqual(['duplicate-report']);
    // …and the rules still act: every pain.002 of the upload is in the mailbox twice.
    const reports = await b.listReports(core.id, { type: 'pain.002' });
    expect(reports.ok && reports.value.length % 2 === 0 && reports.value.length > 0).toBe(true);
  });

  it('a sandbox this server creates while it reads the catalogue stays known (its key was refused 401)', async () => {
    const store = new InterleavingStore(database.url);
    stores.push(store);
    const b = new Engine({ store, random: createRandom(3), defaultStart: start });
    await b.load();
    let created: Awaited<ReturnType<Engine['createSandbox']>> | undefined;
    // The listing is read without the new sandbox; it is committed and registered before the listing is used.
    store.afterListing = { collection: 'sandboxes', run: async () => void (created = await b.createSandbox({ bank: 'sparbanken', seed: 8 })) };
    await syncCatalogue(b);
    if (!created?.ok) throw new Error('the sandbox was not created');
    expect((await b.sandboxForKeyFresh(created.value.apiKey))?.id).toBe(created.value.id);
  });
});
