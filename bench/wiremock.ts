/**
 * WireMock (the `wiremock` package ships the standalone jar) answering one fixed stub, as the
 * reference point a team would otherwise mock a bank with. Needs a `java` on PATH; without one
 * the benchmark says it skipped this figure.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';

export interface WireMock {
  url: string;
  version: string;
  stop(): Promise<void>;
}

function jarPath(): string | undefined {
  try {
    const dir = join(dirname(createRequire(import.meta.url).resolve('wiremock/package.json')), 'build');
    const jar = readdirSync(dir).find((f) => /^wiremock-standalone-.*\.jar$/.test(f));
    return jar === undefined ? undefined : join(dir, jar);
  } catch {
    return undefined;
  }
}

/** Why WireMock cannot run here, or undefined when it can. */
export function wireMockUnavailable(): string | undefined {
  const java = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (java.error || java.status !== 0) return 'no java on PATH';
  const jar = jarPath();
  if (!jar || !existsSync(jar)) return 'the wiremock package (its jar) is not installed';
  return undefined;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts WireMock with request logging and the request journal off (its fastest
 * configuration: the comparison is with WireMock at its best) and one stub: GET `path` answers
 * `body` with `contentType`.
 */
export async function startWireMock(path: string, body: Buffer, contentType: string): Promise<WireMock> {
  const jar = jarPath() as string;
  const port = await freePort();
  const child: ChildProcess = spawn('java', ['-jar', jar, '--port', String(port), '--bind-address', '127.0.0.1', '--no-request-journal', '--disable-request-logging', '--disable-banner'], { stdio: ['ignore', 'ignore', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`WireMock exited ${child.exitCode}`);
    try {
      const res = await fetch(`${url}/__admin/mappings`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (i > 300) throw new Error('WireMock did not start within 30 s');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const stub = { request: { method: 'GET', urlPath: path }, response: { status: 200, headers: { 'content-type': contentType }, base64Body: body.toString('base64') } };
  const created = await fetch(`${url}/__admin/mappings`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(stub) });
  if (!created.ok) throw new Error(`WireMock stub: ${created.status}`);
  const version = jarPath()?.match(/standalone-(.*)\.jar$/)?.[1] ?? '?';
  return {
    url,
    version,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
