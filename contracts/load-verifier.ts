/**
 * Pact's verifier is an optional peer dependency (decision 0008): it is loaded only when a
 * verification runs, and its absence is one line saying how to install it.
 */
import { CliError } from '../cli/errors.ts';

export async function loadVerifier<T>(load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    const missing = error instanceof Error && 'code' in error && error.code === 'ERR_MODULE_NOT_FOUND' && error.message.includes('@pact-foundation/pact');
    if (missing) throw new CliError('contracts verify needs Pact: npm install --save-dev @pact-foundation/pact@16');
    throw error;
  }
}
