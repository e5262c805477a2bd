/**
 * `sandbank start` / `npm start`: the one place that wires the real clock, a crypto seed and
 * the lowdb store to the simulator, and prints what a person needs to begin.
 */
import { randomInt } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { resolve, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRandom } from '../formats/random.ts';
import { sampleFileFor } from '../formats/sample-files.ts';
import { formatOreSwedish } from '../formats/money.ts';
import { stockholmDateTime } from '../formats/stockholm.ts';
import { lockDataDir } from '../cli/data-dir-lock.ts';
import { stopWhenLauncherExits } from '../cli/launcher.ts';
import { startSimulator, type Simulator } from './app.ts';
import { sandboxView } from './http/routes.ts';
import { LowdbStore } from './store/lowdb.ts';
import { PostgresStore, redactedUrl } from './store/postgres.ts';
import { MemoryStore } from './store/memory.ts';
import type { SandboxCore } from './engine/model.ts';
import type { Route } from './http/routes.ts';

export interface StartOptions {
  port: number;
  data: string;
  memory?: boolean;
  /** A PostgreSQL URL (`--store`): the data lives there instead of in `data`. */
  store?: string;
  /** PostgreSQL connections at most (`--store-connections`, default DEFAULT_STORE_CONNECTIONS). */
  storeConnections?: number;
  quiet?: boolean;
  /** Listen address (default 127.0.0.1; anything else serves other hosts). */
  host?: string;
  operatorKey?: string;
  maxSandboxes?: number;
  maxLoadedSandboxes?: number;
  bodyLimitBytes?: number;
  webhookAllow?: string[];
  trustProxy?: boolean;
  /** Routes plugged in from outside the simulator (`--provider-states`: the contracts'). */
  extraRoutes?: Route[];
  /** Signs sandbox exports; imports must be signed with it. */
  exportKey?: string;
}

/** Now in Swedish local time, as the sandbox clock's `YYYY-MM-DDTHH:MM:SS`. */
export function swedishNow(): string {
  return stockholmDateTime(Date.now());
}

/** A valid pain.001 for the sandbox's account, dated on its own clock. */
function writeSample(dir: string, core: SandboxCore): string {
  const file = sampleFileFor('pain001', sandboxView(core, false));
  const path = join(dir, `${core.bank}-${core.id}.pain001.xml`);
  writeFileSync(path, file.bytes);
  return path;
}

function describeSandbox(url: string, core: SandboxCore): string {
  const view = sandboxView(core, true);
  const admin = view.internetBankUsers.find((u) => u.role === 'administrator');
  const primary = core.accounts.find((a) => a.primary);
  return [
    `  ${core.bank === 'swedbank' ? 'Swedbank' : 'Sparbanken'} sandbox ${core.id}  (clock: ${core.now})`,
    `    API key            ${core.apiKey}`,
    `    company            ${core.company.name}, org ${core.company.organisationNumber}, bankgiro ${core.company.bankgiro}`,
    `    primary account    ${primary?.iban} (${primary?.clearing}-${primary?.accountNumber}), ${formatOreSwedish(primary?.bookedOre ?? 0)} kr`,
    `    internet bank      ${url}/internetbank/${core.bank}/  user ${admin?.userId}  password ${admin?.password}`,
    `    authenticator key  ${admin?.totpSecret}  (add it to any TOTP app, or see the enrolment page)`,
  ].join('\n');
}

/** Connected and migrated before the server listens; any number of servers may share the database (decision 0012). */
async function openPostgres(url: string, maxConnections?: number): Promise<PostgresStore> {
  const store = new PostgresStore(url, maxConnections === undefined ? {} : { maxConnections });
  try {
    await store.open();
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}

/** SANDBANK_WEBHOOK_CLAIM_MS: how long a webhook attempt stays one server's (tests of a server killed mid-attempt shorten it). */
function claimMsFromEnvironment(): { claimMs: number } | undefined {
  const value = Number(process.env['SANDBANK_WEBHOOK_CLAIM_MS']);
  return Number.isInteger(value) && value > 0 ? { claimMs: value } : undefined;
}

export async function runStart(options: StartOptions): Promise<Simulator> {
  const dataDir = resolve(options.data);
  const postgres = options.store === undefined ? undefined : await openPostgres(options.store, options.storeConnections);
  const unlock = options.memory || postgres ? () => undefined : lockDataDir(dataDir, 'sandbank');
  const simulator = await startSimulator({
    store: postgres ?? (options.memory ? new MemoryStore() : new LowdbStore(join(dataDir, 'store'))),
    random: createRandom(randomInt(1, 2 ** 31 - 1)),
    defaultStart: swedishNow,
    port: options.port,
    ...(options.host === undefined ? {} : { host: options.host }),
    ...(options.operatorKey === undefined ? {} : { operatorKey: options.operatorKey }),
    ...(options.maxSandboxes === undefined ? {} : { maxSandboxes: options.maxSandboxes }),
    ...(options.maxLoadedSandboxes === undefined ? {} : { maxLoadedSandboxes: options.maxLoadedSandboxes }),
    ...(options.bodyLimitBytes === undefined ? {} : { bodyLimitBytes: options.bodyLimitBytes }),
    ...(options.webhookAllow === undefined ? {} : { webhookAllow: options.webhookAllow }),
    ...(options.trustProxy ? { trustProxy: true } : {}),
    ...(options.extraRoutes ? { extraRoutes: options.extraRoutes } : {}),
    ...(options.exportKey ? { exportKey: options.exportKey } : {}),
    ...(claimMsFromEnvironment() ? { webhooks: claimMsFromEnvironment() } : {}),
  });
  const engine = simulator.engine;
  const defaults: SandboxCore[] = [];
  for (const bank of ['swedbank', 'sparbanken'] as const) {
    const found = await engine.defaultSandbox(bank);
    if (found.ok) defaults.push(found.value);
  }
  const samplesDir = options.memory || postgres ? mkdtempSync(join(tmpdir(), 'sandbank-samples-')) : join(dataDir, 'samples');
  mkdirSync(samplesDir, { recursive: true });
  if (!options.quiet) {
    console.log(`sandbank is running at ${simulator.url}  (data: ${postgres && options.store ? redactedUrl(options.store) : options.memory ? 'in memory' : dataDir})`);
    console.log(`  API reference      ${simulator.url}/docs   OpenAPI ${simulator.url}/openapi.json`);
    if (options.extraRoutes) console.log(`  provider states    ${simulator.url}/sandboxes/provider-states (test-only, enabled by --provider-states)`);
    if (options.host !== undefined && !/^(127\.|localhost$|::1$)/.test(options.host) && options.operatorKey === undefined) {
      console.log('  warning: this server serves other hosts and anyone reaching it can create sandboxes: set --operator-key');
    }
    console.log(`  console            ${simulator.url}/console/  (log in with an API key${options.operatorKey ? ' or the operator key' : ''})`);
    for (const core of defaults) {
      console.log(describeSandbox(simulator.url, core));
      console.log(`    sample file        ${writeSample(samplesDir, core)}  (ready to upload)`);
    }
    const others = engine.sandboxIds().length - defaults.length;
    if (others > 0) console.log(`  and ${others} other sandbox(es): sandbank sandboxes list --operator-key <key>, or prune --older-than 7d`);
    console.log('Press Ctrl+C to stop.');
  }
  const stop = async () => {
    await simulator.close();
    await postgres?.close();
    unlock();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
  stopWhenLauncherExits(() => void stop());
  return simulator;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const port = Number(process.env['PORT'] ?? 4010);
  await runStart({ port, data: process.env['SANDBANK_DATA'] ?? '.sandbank' });
}
