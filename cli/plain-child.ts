/**
 * Runs this very command again in a child whose output is stripped of ANSI colours, for
 * commands whose colours come from native code that writes straight to the file descriptor
 * (Pact's verifier), which no stream in this process can intercept. Used only when colours
 * are not allowed (a pipe, NO_COLOR, FORCE_COLOR=0); on a terminal the command runs here.
 */
import { spawn } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { colourAllowed, stripAnsi } from './colour.ts';

const CHILD = 'SANDBANK_PLAIN_CHILD';

function stripped(from: Readable, to: Writable): Promise<void> {
  let rest = '';
  from.setEncoding('utf8');
  from.on('data', (chunk: string) => {
    const text = rest + chunk;
    const end = text.lastIndexOf('\n') + 1;
    rest = text.slice(end);
    if (end > 0) to.write(stripAnsi(text.slice(0, end)));
  });
  return new Promise((resolve) => from.once('end', () => {
    if (rest !== '') to.write(stripAnsi(rest));
    resolve();
  }));
}

/** The child's exit code when the command ran there; undefined when it should run in this process. */
export async function rerunWithoutColour(): Promise<number | undefined> {
  if (process.env[CHILD] === '1' || colourAllowed(process.stdout)) return undefined;
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], { env: { ...process.env, [CHILD]: '1' }, stdio: ['inherit', 'pipe', 'pipe'] });
  const done = Promise.all([stripped(child.stdout, process.stdout), stripped(child.stderr, process.stderr)]);
  const code = await new Promise<number>((resolve) => child.once('close', (status, signal) => resolve(status ?? (signal ? 1 : 0))));
  await done;
  return code;
}
