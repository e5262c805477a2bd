/**
 * Runs scenarios, each in its own sandbox (own clock, own data), in parallel, against the
 * in-process msw bank (default) or a running server; a progress line per scenario, a summary,
 * JUnit XML and a Markdown report with each step's timing. Same seed, same run.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { setupServer } from 'msw/node';
import { AccountingCompany } from '../client/purchasing/company.ts';
import { MemoryClientStore } from '../client/storage.ts';
import { createRandom } from '../formats/random.ts';
import type { BankId } from '../simulator/banks/index.ts';
import { Engine } from '../simulator/engine/bank.ts';
import { createSandbankHandlers } from '../simulator/http/msw.ts';
import { WebhookDispatcher } from '../simulator/http/webhooks.ts';
import { MemoryStore } from '../simulator/store/memory.ts';
import { ore, ScenarioFailure, type SandboxInfo, type Scenario, type ScenarioContext, type TargetDriver } from './dsl.ts';
import { deletePaymentInInternetBank, signInInternetBank } from './internetbank.ts';

export const CATALOG_DIR = fileURLToPath(new URL('./catalog/', import.meta.url));

export interface StepResult {
  kind: string;
  text: string;
  ms: number;
  error?: string;
}

export interface ScenarioResult {
  name: string;
  file?: string;
  bank: BankId;
  seed: number;
  sandboxId: string;
  passed: boolean;
  ms: number;
  steps: StepResult[];
  error?: string;
  /** A failed scenario's sandbox, exported (`sandbank sandboxes import` opens it anywhere). */
  exportFile?: string;
  /** Where the failure can be seen in the console (a running server's; in-process, after import). */
  consolePath?: string;
}

export interface Target extends TargetDriver {
  close(): Promise<void>;
  /** The console of a real server (an in-process bank has none: import the export instead). */
  consoleUrl?: string;
}

function hashSeed(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0;
  return (h % 2_000_000_000) + 1;
}

async function webhookReceiver(): Promise<{ url: string; server: Server; received: Map<string, { type: string; data: Record<string, unknown> }[]> }> {
  const received = new Map<string, { type: string; data: Record<string, unknown> }[]>();
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      try {
        const event = JSON.parse(body) as { sandboxId: string; type: string; data: Record<string, unknown> };
        received.set(event.sandboxId, [...(received.get(event.sandboxId) ?? []), { type: event.type, data: event.data }]);
      } catch {
        // not an event
      }
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks`, server, received };
}

/**
 * The invoicing program for bureau steps: a running one, or one started here on a free port
 * the first time a bureau step asks (bank-only runs never load it).
 */
function invoicingFor(invoicingTarget: string | undefined, seed: number): { url: () => Promise<string>; close(): Promise<void> } {
  if (invoicingTarget) return { url: async () => invoicingTarget.replace(/\/$/, ''), close: async () => undefined };
  let started: Promise<{ url: string; close(): Promise<void> }> | undefined;
  return {
    url: async () => {
      started ??= (async () => {
        const [{ fixedClock, seededKeys, startInvoicing }, { MemoryInvoicingStore }] = await Promise.all([import('../client/invoicing/app.ts'), import('../client/invoicing/store.ts')]);
        return startInvoicing({ store: new MemoryInvoicingStore(), clock: fixedClock('2026-03-02T09:00:00'), newKey: seededKeys(seed) });
      })();
      return (await started).url;
    },
    close: async () => {
      if (started) await (await started).close();
    },
  };
}

/** The in-process bank: the engine behind msw handlers, with a webhook dispatcher. */
export async function inProcessTarget(seed: number, invoicingTarget?: string): Promise<Target> {
  const invoicing = invoicingFor(invoicingTarget, seed);
  const receiver = await webhookReceiver();
  let dispatcher: WebhookDispatcher | undefined;
  const engine = new Engine({ store: new MemoryStore(), random: createRandom(seed), defaultStart: () => '2026-03-02T08:00:00', onEvents: (id) => dispatcher?.kick(id) });
  dispatcher = new WebhookDispatcher(engine, { baseDelayMs: 20, maxAttempts: 5 });
  const baseUrl = 'http://sandbank.scenarios';
  const bank = createSandbankHandlers({ baseUrl, engine });
  const msw = setupServer(...bank.handlers);
  msw.listen({ onUnhandledRequest: 'bypass' });
  const hooks = dispatcher;
  return {
    baseUrl,
    webhookUrl: receiver.url,
    invoicingUrl: invoicing.url,
    receivedWebhooks: (id) => receiver.received.get(id) ?? [],
    // In-process there are no internet-bank pages: the same engine calls their buttons make.
    async signInInternetBank(sandbox, fileId) {
      const admin = sandbox.internetBankUsers.find((u) => u.role === 'administrator');
      const result = await engine.signFile(sandbox.sandboxId, fileId, { channel: 'internet-bank', signedBy: admin?.userId ?? '', role: 'administrator' });
      if (!result.ok) throw new Error(result.message);
    },
    async deleteInInternetBank(sandbox, paymentId) {
      const result = await engine.requestCancellation(sandbox.sandboxId, [paymentId], 'internet-bank');
      if (!result.ok) throw new Error(result.message);
      await engine.settle(sandbox.sandboxId);
    },
    async close() {
      hooks.stop();
      msw.close();
      receiver.server.close();
      await invoicing.close();
    },
  };
}

/** A running sandbank server (e.g. `sandbank start`) at baseUrl. */
export async function httpTarget(baseUrl: string, invoicingTarget?: string): Promise<Target> {
  const receiver = await webhookReceiver();
  const invoicing = invoicingFor(invoicingTarget, 1);
  const admin = (sandbox: SandboxInfo) => {
    const user = sandbox.internetBankUsers.find((u) => u.role === 'administrator');
    if (!user) throw new Error('no administrator');
    return { id: user.userId, password: user.password, totpSecret: user.totpSecret };
  };
  return {
    baseUrl: baseUrl.replace(/\/$/, ''),
    consoleUrl: `${baseUrl.replace(/\/$/, '')}/console`,
    webhookUrl: receiver.url,
    invoicingUrl: invoicing.url,
    receivedWebhooks: (id) => receiver.received.get(id) ?? [],
    signInInternetBank: (sandbox, fileId) => signInInternetBank(baseUrl, sandbox.bank, admin(sandbox), fileId),
    deleteInInternetBank: (sandbox, paymentId) => deletePaymentInInternetBank(baseUrl, sandbox.bank, admin(sandbox), paymentId),
    async close() {
      receiver.server.close();
      await invoicing.close();
    },
  };
}

/** The sandbox's simulated date, from the test-helper endpoint (a test harness may, a client may not). */
function sandboxToday(baseUrl: string, sandbox: SandboxInfo): () => Promise<string> {
  return async () => {
    const res = await fetch(`${baseUrl}/sandboxes/${sandbox.sandboxId}`, { headers: { authorization: `Bearer ${sandbox.apiKey}` } });
    if (!res.ok) throw new Error(`cannot read the clock of sandbox ${sandbox.sandboxId}: HTTP ${res.status}`);
    return ((await res.json()) as { now: string }).now.slice(0, 10);
  };
}

function slug(text: string): string {
  return text.toLowerCase().normalize('NFD').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60);
}

/** Saves the failed scenario's sandbox as an export file; a failure to export is noted, never thrown. */
async function exportFailed(target: Target, result: ScenarioResult, apiKey: string, dir: string): Promise<void> {
  try {
    const res = await fetch(`${target.baseUrl}/sandboxes/${result.sandboxId}/export`, { headers: { authorization: `Bearer ${apiKey}` } });
    if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `${(result.file ?? result.name).replace(/\.scenario\.ts$/, '').replace(/[^\w.-]+/g, '-') || slug(result.name)}.${result.bank}.sandbank.json`);
    writeFileSync(file, await res.text());
    result.exportFile = file;
  } catch (error) {
    result.error = `${result.error ?? ''} (the sandbox could not be exported: ${error instanceof Error ? error.message : String(error)})`;
  }
}

/** Where to look: the console page of the file the scenario last sent, or of its sandbox. */
function consolePathOf(sandboxId: string, fileId: string | undefined): string {
  return `/sandboxes/${sandboxId}${fileId ? `/files/${fileId}` : ''}`;
}

export async function runScenario(target: Target, definition: Scenario, bank: BankId, seedOverride?: number, options: { exportDir?: string } = {}): Promise<ScenarioResult> {
  const seed = seedOverride === undefined ? (definition.seed ?? hashSeed(definition.name)) : hashSeed(`${definition.name}/${seedOverride}`);
  const started = performance.now();
  const result: ScenarioResult = { name: definition.name, bank, seed, sandboxId: '', passed: false, ms: 0, steps: [], ...(definition.file ? { file: definition.file } : {}) };
  let apiKey: string | undefined;
  let lastFileId: () => string | undefined = () => undefined;
  try {
    const res = await fetch(`${target.baseUrl}/sandboxes`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        bank, seed, start: definition.start ?? '2026-03-02T08:00:00', openingBalancesOre: [ore(definition.balance ?? '500 000,00'), 0],
        ...(definition.webhooks ? { webhook: { url: target.webhookUrl, secret: 'whsec_scenario_0000000000' } } : {}),
      }),
    });
    if (res.status !== 201) throw new Error(`could not create a sandbox: HTTP ${res.status} ${await res.text()}`);
    const sandbox = (await res.json()) as SandboxInfo;
    result.sandboxId = sandbox.sandboxId;
    const company = await AccountingCompany.create(
      { name: 'Scenariobolaget AB', organisationNumber: '5565000001', bank: { baseUrl: target.baseUrl, bank, apiKey: sandbox.apiKey, sandboxId: sandbox.sandboxId }, sendEachWhenPosted: definition.sendEachWhenPosted ?? false },
      // The client's "today" is the sandbox clock here: the runner may read test helpers, the client does not.
      { store: new MemoryClientStore(), connection: { baseDelayMs: 10 }, today: sandboxToday(target.baseUrl, sandbox) },
    );
    await company.addUser('admin@example.se', 'Anna Admin', 'administrator');
    await company.addUser('user@example.se', 'Bo Användare', 'user');
    apiKey = sandbox.apiKey;
    const ctx: ScenarioContext = {
      bank, seed, target, sandbox, company, suppliers: new Map(), invoices: new Map(), rawFiles: new Map(), signings: 0,
      adminSecret: (await company.enrolTwoStep('admin@example.se')).secret,
      userSecret: (await company.enrolTwoStep('user@example.se')).secret,
    };
    lastFileId = () => ctx.lastFileId;
    for (const step of definition.steps) {
      const t = performance.now();
      try {
        await step.run(ctx);
        result.steps.push({ kind: step.kind, text: step.text, ms: performance.now() - t });
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        result.steps.push({ kind: step.kind, text: step.text, ms: performance.now() - t, error: message });
        result.error = `${step.kind} ${step.text}: ${message}${error instanceof ScenarioFailure ? '' : ` (sandbox ${sandbox.sandboxId})`}`;
        break;
      }
    }
    result.passed = result.error === undefined;
    // A passed scenario's sandbox is of no more use; a failed one stays for inspection.
    if (result.passed) await fetch(`${target.baseUrl}/sandboxes/${sandbox.sandboxId}`, { method: 'DELETE', headers: { authorization: `Bearer ${sandbox.apiKey}` } });
  } catch (error) {
    result.error = error instanceof Error ? error.message : String(error);
  }
  if (!result.passed && result.sandboxId !== '') {
    result.consolePath = consolePathOf(result.sandboxId, lastFileId());
    if (target.consoleUrl) result.error = `${result.error ?? 'failed'} — see ${target.consoleUrl}${result.consolePath}`;
    if (options.exportDir && apiKey) await exportFailed(target, result, apiKey, options.exportDir);
    if (result.exportFile && !target.consoleUrl) {
      result.error = `${result.error ?? 'failed'} — open it: sandbank sandboxes import ${result.exportFile}, then the console at /console${consolePathOf('<new id>', lastFileId())}`;
    }
  }
  result.ms = performance.now() - started;
  return result;
}

export async function loadCatalog(pattern?: string): Promise<Scenario[]> {
  const regex = pattern ? new RegExp(`^${pattern.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`) : undefined;
  // .ts in the sources, .js in the published build.
  const scenarioFile = /\.scenario\.[jt]s$/;
  const files = readdirSync(CATALOG_DIR).filter((f) => scenarioFile.test(f) && (!regex || regex.test(f) || regex.test(f.replace(scenarioFile, '')))).sort();
  const scenarios: Scenario[] = [];
  for (const file of files) {
    const module = (await import(pathToFileURL(`${CATALOG_DIR}${file}`).href)) as { default: Scenario };
    scenarios.push({ ...module.default, file });
  }
  return scenarios;
}

export interface RunOptions {
  scenarios: Scenario[];
  banks: BankId[];
  tags?: string[];
  parallel?: number;
  seed?: number;
  target?: string;
  /** A running invoicing program for the bureau steps (default: one in-process). */
  invoicingTarget?: string;
  /** Failed scenarios' sandboxes are exported here (the CLI: next to the JUnit report). */
  exportDir?: string;
  onResult?: (result: ScenarioResult, done: number, total: number) => void;
}

export async function runAll(options: RunOptions): Promise<{ results: ScenarioResult[]; ms: number }> {
  const jobs = options.scenarios
    .filter((s) => !options.tags?.length || options.tags.some((t) => s.tags.includes(t)))
    .flatMap((s) => (s.banks ?? ['swedbank', 'sparbanken']).filter((b) => options.banks.includes(b)).map((bank) => ({ scenario: s, bank })));
  const target = !options.target || options.target === 'inprocess' ? await inProcessTarget(options.seed ?? 1, options.invoicingTarget) : await httpTarget(options.target, options.invoicingTarget);
  const started = performance.now();
  const results: ScenarioResult[] = new Array(jobs.length);
  let next = 0;
  let done = 0;
  try {
    const worker = async () => {
      while (next < jobs.length) {
        const index = next++;
        const job = jobs[index];
        if (!job) break;
        const result = await runScenario(target, job.scenario, job.bank, options.seed, options.exportDir ? { exportDir: options.exportDir } : {});
        results[index] = result;
        done++;
        options.onResult?.(result, done, jobs.length);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, options.parallel ?? 4) }, worker));
  } finally {
    await target.close();
  }
  return { results, ms: performance.now() - started };
}

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);

export function junitReport(results: ScenarioResult[]): string {
  const failures = results.filter((r) => !r.passed).length;
  const cases = results.map((r) => `    <testcase classname="scenarios.${r.bank}" name="${esc(r.name)}" time="${(r.ms / 1000).toFixed(3)}">${r.passed ? '' : `<failure message="${esc(r.error ?? 'failed')}">${esc(`seed ${r.seed}, sandbox ${r.sandboxId}${r.exportFile ? `, export ${r.exportFile}` : ''}\n${r.error ?? ''}`)}</failure>`}</testcase>`).join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites tests="${results.length}" failures="${failures}">\n  <testsuite name="sandbank scenarios" tests="${results.length}" failures="${failures}">\n${cases}\n  </testsuite>\n</testsuites>\n`;
}

export function markdownReport(results: ScenarioResult[], totalMs: number): string {
  const lines = [`# sandbank scenario report`, '', `${results.filter((r) => r.passed).length} of ${results.length} passed in ${(totalMs / 1000).toFixed(1)} s.`, ''];
  lines.push('| result | bank | scenario | time | seed | sandbox |', '|---|---|---|---|---|---|');
  for (const r of results) lines.push(`| ${r.passed ? '✔' : '✘'} | ${r.bank} | ${r.name} | ${r.ms.toFixed(0)} ms | ${r.seed} | ${r.sandboxId} |`);
  for (const r of results) {
    lines.push('', `## ${r.passed ? '✔' : '✘'} ${r.name} (${r.bank})`, '', '| step | time |', '|---|---|');
    for (const s of r.steps) lines.push(`| ${s.kind} ${s.text.replace(/\|/g, '\\|')}${s.error ? ` — **${s.error.replace(/\|/g, '\\|')}**` : ''} | ${s.ms.toFixed(0)} ms |`);
  }
  return `${lines.join('\n')}\n`;
}

export function summaryTable(results: ScenarioResult[]): string {
  const rows = [['', 'bank', 'scenario', 'ms'], ...results.map((r) => [r.passed ? '✔' : '✘', r.bank, r.name, r.ms.toFixed(0)])];
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ')).join('\n');
}
