import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../store/memory.ts';
import { MemoryConsoleSessions, StoredConsoleSessions, type ConsoleSessions } from './sessions.ts';

const IDLE_MS = 10 * 60_000;

const kinds: [string, (nowMs: () => number) => ConsoleSessions][] = [
  ['in memory', (nowMs) => new MemoryConsoleSessions({ nowMs, idleMs: IDLE_MS })],
  ['in the store', (nowMs) => new StoredConsoleSessions(new MemoryStore(), { nowMs, idleMs: IDLE_MS })],
];

describe.each(kinds)('console sessions %s', (_name, make) => {
  it('a session lives while used and ends after its idle time or a log-out', async () => {
    let now = 1_000_000;
    const sessions = make(() => now);
    const session = await sessions.create({ kind: 'sandbox', sandboxId: 'sbx_1' }, 'sv');
    now += IDLE_MS - 1;
    expect((await sessions.get(session.id))?.scope).toEqual({ kind: 'sandbox', sandboxId: 'sbx_1' });
    // Used just before it would end: its idle time starts again.
    now += IDLE_MS - 1;
    expect((await sessions.get(session.id))?.csrf).toBe(session.csrf);
    now += IDLE_MS + 1;
    expect(await sessions.get(session.id)).toBeUndefined();
    const other = await sessions.create({ kind: 'operator' }, 'en');
    await sessions.end(other.id);
    expect(await sessions.get(other.id)).toBeUndefined();
    expect(await sessions.get(undefined)).toBeUndefined();
    expect(await sessions.get('../../etc/passwd')).toBeUndefined();
  });

  it('keeps a change of language', async () => {
    const sessions = make(() => 0);
    const session = await sessions.create({ kind: 'operator' }, 'sv');
    await sessions.setLang(session, 'en');
    expect((await sessions.get(session.id))?.lang).toBe('en');
  });
});

describe('stored console sessions', () => {
  it('are documents another server reads; a page view writes at most once a minute', async () => {
    let now = 0;
    const store = new MemoryStore();
    const a = new StoredConsoleSessions(store, { nowMs: () => now, idleMs: IDLE_MS });
    const b = new StoredConsoleSessions(store, { nowMs: () => now, idleMs: IDLE_MS });
    const session = await a.create({ kind: 'operator' }, 'sv');
    const writes: unknown[] = [];
    const putMany = store.putMany.bind(store);
    store.putMany = async (group) => {
      writes.push(group);
      return putMany(group);
    };
    now += 30_000;
    expect((await b.get(session.id))?.id).toBe(session.id);
    expect(writes).toHaveLength(0);
    now += 30_000;
    await b.get(session.id);
    expect(writes).toHaveLength(1);
    await b.end(session.id);
    expect(await a.get(session.id)).toBeUndefined();
  });
});
