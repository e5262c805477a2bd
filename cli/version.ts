/**
 * The version `sandbank --version` prints: the package's own package.json, found from this
 * module in a checkout (cli/) as in the installed package (dist/cli/).
 */
import { existsSync, readFileSync } from 'node:fs';

export function packageVersion(): string {
  for (const candidate of ['../package.json', '../../package.json']) {
    const url = new URL(candidate, import.meta.url);
    if (!existsSync(url)) continue;
    const manifest: unknown = JSON.parse(readFileSync(url, 'utf8'));
    if (typeof manifest === 'object' && manifest !== null && 'name' in manifest && manifest.name === 'sandbank' && 'version' in manifest && typeof manifest.version === 'string') return manifest.version;
  }
  return 'unknown';
}
