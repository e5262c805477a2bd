/**
 * `sandbank overview start`: the overview on 127.0.0.1 with a ready-made bureau (its upload
 * token), one customer company and one customer user — the only place that wires the real
 * clock and the lowdb documents.
 */
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { createOverviewApp, listenOverview, type RunningOverview } from './server.ts';
import { OverviewService } from './service.ts';
import { LowdbOverviewStore, MemoryOverviewStore } from './store.ts';

export interface OverviewStartOptions {
  port: number;
  data: string;
  memory?: boolean;
  /** Fix the ready-made bureau's upload token (scripts, the README); random otherwise. */
  token?: string;
  password?: string;
  quiet?: boolean;
}

export const DEMO_COMPANY = { id: 'demo', name: 'Fjällbacka Snickeri AB', organisationNumber: '556512-3456' };
export const DEMO_USER = 'kund@fjallbacka';

export interface StartedOverview extends RunningOverview {
  service: OverviewService;
  token: string;
  companyId: string;
  username: string;
  password: string;
}

export async function startOverviewSandbox(options: OverviewStartOptions): Promise<StartedOverview> {
  const dataDir = resolve(options.data);
  const service = new OverviewService({ store: options.memory ? new MemoryOverviewStore() : new LowdbOverviewStore(dataDir), now: () => new Date().toISOString() });
  const token = options.token ?? randomBytes(18).toString('base64url');
  const password = options.password ?? randomBytes(9).toString('base64url');
  let bureau = (await service.bureaus())[0];
  if (bureau) await service.resetBureauToken(bureau.id, token);
  else bureau = (await service.createBureau('Demobyrån Redovisning AB', token)).bureau;
  if (!(await service.company(DEMO_COMPANY.id))) await service.createCompany(bureau.id, DEMO_COMPANY);
  const added = await service.addUser(bureau.id, DEMO_COMPANY.id, { username: DEMO_USER, name: 'Kim Kund', password });
  if (!added.ok) await service.resetPassword(DEMO_USER, password);
  const running = await listenOverview(createOverviewApp({ service, nowMs: () => Date.now() }), options.port);
  if (!options.quiet) {
    console.log(`sandbank overview is running at ${running.url}  (data: ${options.memory ? 'in memory' : dataDir})`);
    console.log(`  bureau             ${bureau.name} (${bureau.id})`);
    console.log(`    upload token     ${token}`);
    console.log(`    upload           sandbank overview upload FILE.se --url ${running.url} --token ${token} --company ${DEMO_COMPANY.id}`);
    console.log(`    a customer       sandbank overview companies add NAME --org NNNNNN-NNNN --url ${running.url} --token ${token}`);
    console.log(`  company            ${DEMO_COMPANY.name}, org ${DEMO_COMPANY.organisationNumber}  (id ${DEMO_COMPANY.id})`);
    console.log(`  customer user      ${running.url}/login  user ${DEMO_USER}  password ${password}`);
    console.log('Press Ctrl+C to stop.');
  }
  return { ...running, service, token, companyId: DEMO_COMPANY.id, username: DEMO_USER, password };
}
