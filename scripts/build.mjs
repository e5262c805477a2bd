// `npm run build` (run by prepack): compiled ESM + .d.ts in dist/, with the committed pacts the
// contracts verifier reads at run time and the PostgreSQL migrations.
import { execFileSync } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';

const root = new URL('../', import.meta.url);
rmSync(new URL('dist/', root), { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
cpSync(new URL('contracts/pacts/', root), new URL('dist/contracts/pacts/', root), { recursive: true });
// The PostgreSQL store's migrations are read at run time (simulator/store/migrations.ts).
cpSync(new URL('simulator/store/migrations/', root), new URL('dist/simulator/store/migrations/', root), { recursive: true });
