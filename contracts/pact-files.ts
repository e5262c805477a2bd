import { fileURLToPath } from 'node:url';
import { providerName, type ContractBank } from './fixtures.ts';

/** The committed pacts (shipped with the package, beside the compiled code). */
export const PACT_DIR = fileURLToPath(new URL('./pacts/', import.meta.url));

export function pactFile(bank: ContractBank): string {
  return `${PACT_DIR}sandbank-client-${providerName(bank)}.json`;
}
