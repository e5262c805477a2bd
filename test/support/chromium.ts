/**
 * The Chromium the browser tests drive: $CHROMIUM_PATH, else Debian's /usr/bin/chromium, else
 * the Chromium that ships inside the @sparticuz/chromium npm package, so `npm install &&
 * npm test` needs no apt step. SANDBANK_CHROMIUM=bundled forces the npm one (CI runs the
 * browser suite once that way).
 *
 * The package's own extractor writes to the shared /tmp/chromium, which another process may
 * hold at another version; ours extracts into node_modules/.cache, named by version, and
 * publishes the directory with one rename so concurrent runs never see half a binary.
 */
import { chromium, type Browser } from 'playwright-core';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { brotliDecompressSync } from 'node:zlib';
import { ROOT } from './cli.ts';

export interface ChromiumInstall {
  executablePath: string;
  /** Extra environment for the browser process (the bundled build's libraries and fonts). */
  env: Record<string, string>;
  source: string;
}

const DEBIAN = '/usr/bin/chromium';

function untarBrotli(file: string, into: string): void {
  const tar = spawnSync('tar', ['-x', '-C', into], { input: brotliDecompressSync(readFileSync(file)) });
  if (tar.status !== 0) throw new Error(`cannot extract ${file}: ${tar.stderr.toString().trim()}`);
}

function bundled(): ChromiumInstall {
  const require = createRequire(import.meta.url);
  // The package exports only its code (build/cjs/index.cjs); its root is two levels up.
  const root = join(dirname(require.resolve('@sparticuz/chromium')), '..', '..');
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  const bin = join(root, 'bin');
  const cache = join(ROOT, 'node_modules', '.cache');
  const dir = join(cache, `sandbank-chromium-${version}`);
  if (!existsSync(join(dir, 'chromium'))) {
    mkdirSync(cache, { recursive: true });
    const staging = mkdtempSync(join(cache, `sandbank-chromium-${version}-partial-`));
    writeFileSync(join(staging, 'chromium'), brotliDecompressSync(readFileSync(join(bin, 'chromium.br'))));
    chmodSync(join(staging, 'chromium'), 0o755);
    // swiftshader: the software GL beside the binary; al2023: NSS and friends for machines without them.
    for (const archive of ['swiftshader.tar.br', 'al2023.tar.br', 'fonts.tar.br']) untarBrotli(join(bin, archive), staging);
    // The shipped fonts.conf points at Lambda's paths; ours at the extracted fonts and the system's.
    writeFileSync(join(staging, 'fonts.conf'), `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n  <dir>${join(dir, 'fonts')}</dir>\n  <dir>/usr/share/fonts</dir>\n  <cachedir>${join(dir, 'fonts-cache')}</cachedir>\n</fontconfig>\n`);
    try {
      renameSync(staging, dir);
    } catch {
      // Another run published it first; theirs is as good as ours.
      rmSync(staging, { recursive: true, force: true });
    }
  }
  const libraries = [join(dir, 'lib'), process.env['LD_LIBRARY_PATH']].filter(Boolean).join(':');
  return { executablePath: join(dir, 'chromium'), env: { LD_LIBRARY_PATH: libraries, FONTCONFIG_PATH: dir }, source: `@sparticuz/chromium ${version} (${dir})` };
}

export function findChromium(): ChromiumInstall {
  const forced = process.env['CHROMIUM_PATH'];
  if (forced) return { executablePath: forced, env: {}, source: forced };
  if (process.env['SANDBANK_CHROMIUM'] !== 'bundled' && existsSync(DEBIAN)) return { executablePath: DEBIAN, env: {}, source: DEBIAN };
  return bundled();
}

/** A headless Chromium for the browser suites, with the flags a sandbox without a display needs. */
export async function launchChromium(): Promise<Browser> {
  const install = findChromium();
  console.log(`browser tests drive ${install.source}`);
  return chromium.launch({
    executablePath: install.executablePath,
    env: { ...process.env, ...install.env },
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
