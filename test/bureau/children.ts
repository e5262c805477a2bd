/** Runs `sandbank invoicing start` as a real child process (for kill -9 tests and the CLI tests). */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../bin/sandbank.mjs', import.meta.url));

export interface ServiceChild {
  child: ChildProcess;
  url: string;
  output: string;
}

export async function startInvoicingChild(dir: string, port = 0, extra: string[] = []): Promise<ServiceChild> {
  const child = spawn(process.execPath, [BIN, 'invoicing', 'start', '--port', String(port), '--data', dir, '--rate-limit', 'off', ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`invoicing did not start: ${output}`)), 30_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const m = /running at (http:\/\/\S+)/.exec(output);
      if (m && output.includes('Press Ctrl+C')) {
        clearTimeout(timer);
        resolve(m[1] ?? '');
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`invoicing exited ${code}: ${output}`));
    });
  });
  return { child, url, output };
}

/** The keys printed at start. */
export function printedKeys(output: string): { companyApiKey: string; bureauApiKey: string; collaborationId: string } {
  return {
    companyApiKey: /company API key\s+(\S+)/.exec(output)?.[1] ?? '',
    bureauApiKey: /bureau API key\s+(\S+)/.exec(output)?.[1] ?? '',
    collaborationId: /collaboration (collab_\d+)/.exec(output)?.[1] ?? '',
  };
}

export function killed(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}
