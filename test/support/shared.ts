import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** `../shared` (official XSDs and Bankgirot samples) sits beside the clone in CI and dev. */
export const SHARED_DIR = fileURLToPath(new URL('../../../shared/', import.meta.url));
export const HAS_SHARED = existsSync(SHARED_DIR);
export const SHARED_MISSING_REASON = `../shared is absent (${SHARED_DIR}): the official reference files cannot be read, so these checks are skipped`;

export function sharedPath(relative: string): string {
  return `${SHARED_DIR}${relative}`;
}
