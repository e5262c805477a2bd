/**
 * Client storage: one lowdb document per company (the client's state is small), written
 * compact and atomically (steno: temp file + rename); or in memory for tests and scenarios.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Low } from 'lowdb';
import { DataFile } from 'lowdb/node';
import type { ClientState, ClientStore } from './purchasing/company.ts';

interface Envelope {
  state?: ClientState;
}

export class LowdbClientStore implements ClientStore {
  private readonly db: Low<Envelope>;

  constructor(path: string) {
    mkdirSync(dirname(path), { recursive: true });
    this.db = new Low<Envelope>(new DataFile<Envelope>(path, { parse: (text) => JSON.parse(text) as Envelope, stringify: (data) => JSON.stringify(data, null, 1) }), {});
  }

  async load(): Promise<ClientState | undefined> {
    await this.db.read();
    return this.db.data.state;
  }

  async save(state: ClientState): Promise<void> {
    this.db.data = { state };
    await this.db.write();
  }
}

export class MemoryClientStore implements ClientStore {
  private text: string | undefined;

  async load(): Promise<ClientState | undefined> {
    return this.text === undefined ? undefined : (JSON.parse(this.text) as ClientState);
  }

  async save(state: ClientState): Promise<void> {
    this.text = JSON.stringify(state);
  }
}
