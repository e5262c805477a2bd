/**
 * The invoicing program's storage: one small lowdb document for who is who (companies,
 * bureaus, collaborations and their API keys; written only when one is added), and one
 * append-only log per company for everything that changes (the records and the change feed
 * are the same lines, so a change and its feed entry are one write). See decision 0006.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Low } from 'lowdb';
import { DataFile } from 'lowdb/node';
import { FileRecordLog, MemoryRecordLog, type RecordLog } from '../append-log.ts';
import type { Bureau, Collaboration, Company, Txn } from './model.ts';

export interface Directory {
  companies: Company[];
  bureaus: Bureau[];
  collaborations: Collaboration[];
}

export interface InvoicingStore {
  loadDirectory(): Promise<Directory | undefined>;
  saveDirectory(directory: Directory): Promise<void>;
  companyLog(companyId: string): RecordLog<Txn>;
}

interface Envelope {
  directory?: Directory;
}

export class LowdbInvoicingStore implements InvoicingStore {
  private readonly db: Low<Envelope>;

  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true });
    // `new Low(adapter)`, not JSONFilePreset: the preset keeps data in memory under NODE_ENV=test.
    this.db = new Low<Envelope>(new DataFile<Envelope>(join(dir, 'directory.json'), { parse: (t) => JSON.parse(t) as Envelope, stringify: (d) => JSON.stringify(d, null, 1) }), {});
  }

  async loadDirectory(): Promise<Directory | undefined> {
    await this.db.read();
    return this.db.data.directory;
  }

  async saveDirectory(directory: Directory): Promise<void> {
    this.db.data = { directory };
    await this.db.write();
  }

  companyLog(companyId: string): RecordLog<Txn> {
    if (!/^[a-z0-9_]+$/.test(companyId)) throw new Error(`unsafe company id ${companyId}`);
    return new FileRecordLog<Txn>(join(this.dir, 'companies', `${companyId}.log`));
  }
}

export class MemoryInvoicingStore implements InvoicingStore {
  private directory: string | undefined;
  private readonly logs = new Map<string, MemoryRecordLog<Txn>>();

  async loadDirectory(): Promise<Directory | undefined> {
    return this.directory === undefined ? undefined : (JSON.parse(this.directory) as Directory);
  }

  async saveDirectory(directory: Directory): Promise<void> {
    this.directory = JSON.stringify(directory);
  }

  companyLog(companyId: string): RecordLog<Txn> {
    let log = this.logs.get(companyId);
    if (!log) this.logs.set(companyId, (log = new MemoryRecordLog<Txn>()));
    return log;
  }
}
