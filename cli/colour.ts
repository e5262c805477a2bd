/**
 * Whether a CLI stream may carry ANSI colours: only a terminal, never with NO_COLOR set to
 * anything (https://no-color.org) or FORCE_COLOR=0, and FORCE_COLOR=1 (or any other value)
 * for a terminal-less consumer that wants them (a CI log viewer). Output that someone else's
 * code colours (Pact's verifier writes straight to the file descriptor) is stripped with
 * `stripAnsi` when this says no.
 */
import { stripVTControlCharacters } from 'node:util';

export function colourAllowed(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if ((env['NO_COLOR'] ?? '') !== '') return false;
  const force = env['FORCE_COLOR'];
  if (force !== undefined && force !== '') return !['0', 'false', 'no'].includes(force.toLowerCase());
  return stream.isTTY === true && env['TERM'] !== 'dumb';
}

export function stripAnsi(text: string): string {
  return stripVTControlCharacters(text);
}
