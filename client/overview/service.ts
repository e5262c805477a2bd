/**
 * The overview's rules: a bureau (by its upload token) uploads SIE for its own companies; an
 * upload replaces exactly the fiscal years the file holds, in one write, or nothing at all;
 * customer users log in to one company and read only that company.
 */
import { createHash, randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import type { FormatIssue } from '../../formats/issues.ts';
import type { FiscalYear } from './fiscal-year.ts';
import { importSie } from './sie-import.ts';
import type { Bureau, Company, CustomerUser, OverviewStore, Registry } from './store.ts';

export type OverviewErrorCode = 'COMPANY_NOT_FOUND' | 'COMPANY_EXISTS' | 'COMPANY_NOT_IDENTIFIED' | 'COMPANY_MISMATCH' | 'USERNAME_TAKEN' | 'SIE_INVALID' | 'INVALID_REQUEST';

export type Outcome<T> = { ok: true; value: T } | { ok: false; code: OverviewErrorCode; message: string; issues?: FormatIssue[] };

export interface UploadSummary {
  companyId: string;
  years: { start: string; end: string; sieType: number; monthlySource: string | null; replaced: boolean }[];
  warnings: { line?: number; code: string; message: string }[];
  reconciliation: { year: string; account: string; record: string; line?: number; statedOre: number; computedOre: number }[];
}

export interface OverviewServiceOptions {
  store: OverviewStore;
  /** ISO timestamp of now (the one clock the service reads). */
  now: () => string;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export function hashPassword(password: string, salt = randomBytes(16)): string {
  return `${salt.toString('hex')}:${scryptSync(password, salt, 32).toString('hex')}`;
}

function passwordMatches(password: string, stored: string): boolean {
  const [salt = '', hash = ''] = stored.split(':');
  const expected = Buffer.from(hash, 'hex');
  const actual = scryptSync(password, Buffer.from(salt, 'hex'), 32);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

const digits = (s: string | undefined) => (s ?? '').replace(/\D/g, '');

function slug(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'company';
}

export class OverviewService {
  private readonly locks = new Map<string, Promise<unknown>>();

  constructor(private readonly options: OverviewServiceOptions) {}

  /** One writer at a time per document: a second upload waits for the first, never interleaves. */
  private exclusive<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(key) ?? Promise.resolve();
    const next = previous.then(work, work);
    this.locks.set(key, next.catch(() => undefined));
    return next;
  }

  private registry(): Promise<Registry> {
    return this.options.store.loadRegistry();
  }

  async createBureau(name: string, token = randomBytes(24).toString('base64url')): Promise<{ bureau: Bureau; token: string }> {
    return this.exclusive('registry', async () => {
      const registry = await this.registry();
      const bureau: Bureau = { id: `bureau-${registry.bureaus.length + 1}`, name, tokenSha256: sha256(token) };
      registry.bureaus.push(bureau);
      await this.options.store.saveRegistry(registry);
      return { bureau, token };
    });
  }

  async createCompany(bureauId: string, input: { name: string; organisationNumber?: string; id?: string }): Promise<Outcome<Company>> {
    return this.exclusive('registry', async () => {
      const registry = await this.registry();
      let id = input.id ?? slug(input.name);
      if (registry.companies.some((c) => c.id === id)) {
        if (input.id) return { ok: false, code: 'COMPANY_EXISTS', message: `a company with id "${id}" exists` };
        id = `${id}-${registry.companies.length + 1}`;
      }
      // An upload without a named company is placed by its #ORGNR: two companies of one bureau
      // with the same number would make that placement a guess.
      const org = digits(input.organisationNumber);
      const twin = org === '' ? undefined : registry.companies.find((c) => c.bureauId === bureauId && digits(c.organisationNumber) === org);
      if (twin) return { ok: false, code: 'COMPANY_EXISTS', message: `organisation number ${input.organisationNumber ?? ''} is already company "${twin.id}" (${twin.name})` };
      const company: Company = { id, name: input.name, bureauId, ...(input.organisationNumber ? { organisationNumber: input.organisationNumber } : {}) };
      registry.companies.push(company);
      await this.options.store.saveRegistry(registry);
      return { ok: true, value: company };
    });
  }

  async addUser(bureauId: string, companyId: string, input: { username: string; name: string; password: string }): Promise<Outcome<CustomerUser>> {
    return this.exclusive('registry', async () => {
      const registry = await this.registry();
      if (!registry.companies.some((c) => c.id === companyId && c.bureauId === bureauId)) return { ok: false, code: 'COMPANY_NOT_FOUND', message: `no company "${companyId}" among this bureau's customers` };
      if (registry.users.some((u) => u.username === input.username)) return { ok: false, code: 'USERNAME_TAKEN', message: `the user name "${input.username}" is taken` };
      const user: CustomerUser = { username: input.username, name: input.name, companyId, passwordHash: hashPassword(input.password) };
      registry.users.push(user);
      await this.options.store.saveRegistry(registry);
      return { ok: true, value: user };
    });
  }

  /** Gives a bureau a new upload token (the old one stops working). */
  async resetBureauToken(bureauId: string, token: string): Promise<void> {
    await this.exclusive('registry', async () => {
      const registry = await this.registry();
      const bureau = registry.bureaus.find((b) => b.id === bureauId);
      if (bureau) bureau.tokenSha256 = sha256(token);
      await this.options.store.saveRegistry(registry);
    });
  }

  async resetPassword(username: string, password: string): Promise<void> {
    await this.exclusive('registry', async () => {
      const registry = await this.registry();
      const user = registry.users.find((u) => u.username === username);
      if (user) user.passwordHash = hashPassword(password);
      await this.options.store.saveRegistry(registry);
    });
  }

  async bureaus(): Promise<Bureau[]> {
    return (await this.registry()).bureaus;
  }

  async bureauForToken(token: string): Promise<Bureau | undefined> {
    const hash = Buffer.from(sha256(token), 'hex');
    return (await this.registry()).bureaus.find((b) => timingSafeEqual(Buffer.from(b.tokenSha256, 'hex'), hash));
  }

  async login(username: string, password: string): Promise<CustomerUser | undefined> {
    const user = (await this.registry()).users.find((u) => u.username === username);
    // A missing user costs the same scrypt as a wrong password, so timing does not tell them apart.
    const ok = passwordMatches(password, user?.passwordHash ?? hashPassword('unused'));
    return ok ? user : undefined;
  }

  async company(companyId: string): Promise<Company | undefined> {
    return (await this.registry()).companies.find((c) => c.id === companyId);
  }

  async companiesOf(bureauId: string): Promise<Company[]> {
    return (await this.registry()).companies.filter((c) => c.bureauId === bureauId);
  }

  /** The company's users (never their password hashes), or undefined when it is not this bureau's. */
  async usersOf(bureauId: string, companyId: string): Promise<{ username: string; name: string; companyId: string }[] | undefined> {
    const registry = await this.registry();
    if (!registry.companies.some((c) => c.id === companyId && c.bureauId === bureauId)) return undefined;
    return registry.users.filter((u) => u.companyId === companyId).map(({ username, name }) => ({ username, name, companyId }));
  }

  /** The company's fiscal years, newest first. */
  async years(companyId: string): Promise<FiscalYear[]> {
    const data = await this.options.store.loadCompany(companyId);
    return Object.values(data.years).sort((a, b) => b.start.localeCompare(a.start));
  }

  /**
   * Checks the whole file first; only a file without errors is stored, and then the years it
   * holds replace the stored ones with the same start date in a single document write.
   */
  async upload(bureauId: string, companyId: string | undefined, bytes: Uint8Array): Promise<Outcome<UploadSummary>> {
    const imported = importSie(bytes);
    if (!imported.ok) return { ok: false, code: 'SIE_INVALID', message: 'the SIE file was refused; nothing was changed', issues: imported.issues };
    const companies = await this.companiesOf(bureauId);
    const company = companyId === undefined
      ? companies.find((c) => c.organisationNumber !== undefined && digits(c.organisationNumber) === digits(imported.organisationNumber) && digits(imported.organisationNumber) !== '')
      : companies.find((c) => c.id === companyId);
    if (!company) {
      return companyId === undefined
        ? { ok: false, code: 'COMPANY_NOT_IDENTIFIED', message: `no company of this bureau has the file's organisation number "${imported.organisationNumber ?? ''}"; name the company (--company)` }
        : { ok: false, code: 'COMPANY_NOT_FOUND', message: `no company "${companyId}" among this bureau's customers` };
    }
    // Naming a company never overrides the file's own #ORGNR: another company's books would
    // silently replace this one's. A file without an organisation number is taken as named.
    const fileOrg = digits(imported.organisationNumber);
    if (companyId !== undefined && fileOrg !== '' && company.organisationNumber !== undefined && digits(company.organisationNumber) !== fileOrg) {
      return { ok: false, code: 'COMPANY_MISMATCH', message: `the file is for organisation number ${imported.organisationNumber ?? ''}, but "${company.id}" is ${company.organisationNumber}; nothing was changed (upload it to the company it belongs to)` };
    }
    return this.exclusive(`company:${company.id}`, async () => {
      const data = await this.options.store.loadCompany(company.id);
      const replaced = new Set(imported.years.map((y) => y.start).filter((start) => data.years[start] !== undefined));
      for (const year of imported.years) data.years[year.start] = year;
      data.uploads.push({ at: this.options.now(), bureauId, bytes: bytes.byteLength, years: imported.years.map((y) => y.start) });
      await this.options.store.saveCompany(company.id, data);
      return {
        ok: true,
        value: {
          companyId: company.id,
          years: imported.years.map((y) => ({ start: y.start, end: y.end, sieType: y.sieType, monthlySource: y.monthlySource ?? null, replaced: replaced.has(y.start) })),
          warnings: imported.warnings.map((w) => ({ ...(w.line === undefined ? {} : { line: w.line }), code: w.code, message: w.message })),
          reconciliation: imported.years.flatMap((y) => y.reconciliation.map((r) => ({ year: y.start, ...r }))),
        },
      };
    });
  }
}
