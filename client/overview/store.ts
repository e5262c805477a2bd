/**
 * Storage of the overview: one small registry document (bureaus, companies, users) and one
 * document per company with its fiscal years, so an upload costs one company's write. lowdb
 * writes through steno (temp file + rename): a document is replaced whole or not at all.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Low } from 'lowdb';
import { DataFile } from 'lowdb/node';
import type { FiscalYear } from './fiscal-year.ts';

export interface Bureau {
  id: string;
  name: string;
  /** SHA-256 of the upload token, hex; the token itself is shown once. */
  tokenSha256: string;
}

export interface Company {
  id: string;
  name: string;
  organisationNumber?: string;
  bureauId: string;
}

export interface CustomerUser {
  username: string;
  name: string;
  companyId: string;
  /** scrypt: `salt:hash`, hex. */
  passwordHash: string;
}

export interface Registry {
  bureaus: Bureau[];
  companies: Company[];
  users: CustomerUser[];
}

export interface Upload {
  at: string;
  bureauId: string;
  bytes: number;
  years: string[];
}

export interface CompanyData {
  /** Fiscal years by their start date (YYYYMMDD). */
  years: Record<string, FiscalYear>;
  uploads: Upload[];
}

export interface OverviewStore {
  loadRegistry(): Promise<Registry>;
  saveRegistry(registry: Registry): Promise<void>;
  loadCompany(companyId: string): Promise<CompanyData>;
  saveCompany(companyId: string, data: CompanyData): Promise<void>;
}

const emptyRegistry = (): Registry => ({ bureaus: [], companies: [], users: [] });
const emptyCompany = (): CompanyData => ({ years: {}, uploads: [] });

export class MemoryOverviewStore implements OverviewStore {
  private registry = JSON.stringify(emptyRegistry());
  private readonly companies = new Map<string, string>();

  async loadRegistry(): Promise<Registry> {
    return JSON.parse(this.registry) as Registry;
  }

  async saveRegistry(registry: Registry): Promise<void> {
    this.registry = JSON.stringify(registry);
  }

  async loadCompany(companyId: string): Promise<CompanyData> {
    const text = this.companies.get(companyId);
    return text === undefined ? emptyCompany() : (JSON.parse(text) as CompanyData);
  }

  async saveCompany(companyId: string, data: CompanyData): Promise<void> {
    this.companies.set(companyId, JSON.stringify(data));
  }
}

function document<T extends object>(path: string, defaults: T): Low<T> {
  return new Low<T>(new DataFile<T>(path, { parse: (text) => JSON.parse(text) as T, stringify: (data) => JSON.stringify(data) }), defaults);
}

export class LowdbOverviewStore implements OverviewStore {
  private readonly registry: Low<Registry>;
  private readonly companies = new Map<string, Low<CompanyData>>();

  constructor(private readonly dir: string) {
    mkdirSync(join(dir, 'companies'), { recursive: true });
    this.registry = document(join(dir, 'registry.json'), emptyRegistry());
  }

  private company(companyId: string): Low<CompanyData> {
    let db = this.companies.get(companyId);
    if (!db) {
      db = document(join(this.dir, 'companies', `${encodeURIComponent(companyId)}.json`), emptyCompany());
      this.companies.set(companyId, db);
    }
    return db;
  }

  async loadRegistry(): Promise<Registry> {
    await this.registry.read();
    return structuredClone(this.registry.data);
  }

  async saveRegistry(registry: Registry): Promise<void> {
    this.registry.data = registry;
    await this.registry.write();
  }

  async loadCompany(companyId: string): Promise<CompanyData> {
    const db = this.company(companyId);
    await db.read();
    return structuredClone(db.data);
  }

  async saveCompany(companyId: string, data: CompanyData): Promise<void> {
    const db = this.company(companyId);
    db.data = data;
    await db.write();
  }
}
