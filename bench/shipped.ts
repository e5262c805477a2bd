/**
 * The server as users run it: `sandbank start` (bin/sandbank.mjs, lowdb store, default routes)
 * in its own process, plus what the benchmarks read from the outside of that process
 * (peak and current RSS, bytes handed to write(2)) from /proc on Linux.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../bin/sandbank.mjs', import.meta.url));

export interface SandboxHandle {
  url: string;
  key: string;
  sandboxId: string;
  /** What a payment file needs to be addressed to this sandbox (see test/support/payment-files.ts). */
  sender: { id: string; now: string; company: { name: string; agreementId: string }; accounts: { iban: string }[] };
}

export interface ShippedServer {
  child: ChildProcess;
  pid: number;
  url: string;
  /** Milliseconds from spawn until the server printed "Press Ctrl+C" (its credentials are out). */
  readyMs: number;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** Starts `sandbank start --port 0 --data <dir>` (extra args appended) and waits until it is ready. */
export async function startShipped(dataDir: string, extraArgs: string[] = [], env: NodeJS.ProcessEnv = {}, nodeArgs: string[] = []): Promise<ShippedServer> {
  const start = performance.now();
  const child = spawn(process.execPath, [...nodeArgs, BIN, 'start', '--port', '0', '--data', dataDir, ...extraArgs], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let err = '';
  child.stderr?.on('data', (c: Buffer) => void (err += c.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /running at (http:\/\/[\d.:]+)/.exec(out);
      if (m?.[1] && out.includes('Press Ctrl+C')) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`sandbank start exited ${code}: ${err.trim().split('\n').slice(-3).join(' ')}`)));
  });
  const readyMs = performance.now() - start;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    pid: child.pid as number,
    url,
    readyMs,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

/** A fresh Swedbank sandbox on a running server, created the way a user does (POST /sandboxes). */
export async function createSandbox(url: string, start = '2026-03-12T08:00:00'): Promise<SandboxHandle> {
  const res = await fetch(`${url}/sandboxes`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ bank: 'swedbank', seed: 5, start }) });
  if (res.status !== 201) throw new Error(`POST /sandboxes: ${res.status} ${await res.text()}`);
  const view = (await res.json()) as { sandboxId: string; apiKey: string; now: string; company: { name: string; agreementId: string }; accounts: { iban: string }[] };
  return { url, key: view.apiKey, sandboxId: view.sandboxId, sender: { id: view.sandboxId, now: view.now, company: view.company, accounts: view.accounts } };
}

export interface UploadTiming {
  status: number;
  fileId?: string;
  /** Until the 202 (or the refusal). */
  receivedMs: number;
  /** Until a status read reported the file validated (not RECEIVED). */
  validatedMs: number;
  fileStatus?: string;
}

/** POSTs a payment file and polls its status (?payments=false) until it is no longer RECEIVED. */
export async function uploadUntilValidated(sandbox: SandboxHandle, body: string | Uint8Array): Promise<UploadTiming> {
  const start = performance.now();
  const res = await fetch(`${sandbox.url}/v1/swedbank/payment-files`, { method: 'POST', headers: { authorization: `Bearer ${sandbox.key}`, 'content-type': 'application/xml' }, body });
  const answer = (await res.json()) as { fileId?: string; code?: string };
  const receivedMs = performance.now() - start;
  if (res.status !== 202 || answer.fileId === undefined) return { status: res.status, receivedMs, validatedMs: Number.NaN, fileStatus: answer.code ?? '' };
  for (let resets = 0; ; ) {
    let status: Response;
    try {
      status = await fetch(`${sandbox.url}/v1/swedbank/payment-files/${answer.fileId}?payments=false`, { headers: { authorization: `Bearer ${sandbox.key}` } });
    } catch (error) {
      // A reused keep-alive connection was seen reset after a 100k upload on a loaded machine
      // (not understood yet): counted and printed, then read again on a new connection.
      if (++resets > 3) throw error;
      console.log(`(status read after upload: connection reset, read again: ${String((error as Error).cause ?? error)})`);
      continue;
    }
    const file = (await status.json()) as { status: string };
    if (file.status !== 'RECEIVED') return { status: 202, fileId: answer.fileId, receivedMs, validatedMs: performance.now() - start, fileStatus: file.status };
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/** /proc/<pid>/status fields in MB (Linux); undefined elsewhere. */
export function memoryMb(pid: number): { rssMb: number; peakMb: number } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(text)?.[1] ?? Number.NaN);
    return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
  } catch {
    return undefined;
  }
}

/** Resets the peak RSS the kernel keeps for a process (clear_refs 5), so a figure covers one operation. */
export function resetPeak(pid: number): void {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
  } catch {
    // not Linux, or not allowed: the peak then covers the process's whole life (said in the output)
  }
}

/**
 * CPU time the process (every thread: the main one, libuv's pool for file writes and gzip)
 * has used so far, in ms, from /proc/<pid>/stat (Linux; clock ticks of 10 ms).
 */
export function cpuMs(pid: number): number | undefined {
  try {
    // The fields after the command name (which may hold spaces, so it is skipped by its closing parenthesis).
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '').split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

/** Bytes the process handed to write(2) so far (files and sockets), from /proc/<pid>/io. */
export function writtenBytes(pid: number): number | undefined {
  try {
    const m = /^wchar:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/io`, 'utf8'));
    return m?.[1] === undefined ? undefined : Number(m[1]);
  } catch {
    return undefined;
  }
}
