#!/usr/bin/env node
// In a checkout (the TypeScript sources beside this file) tsx runs the sources, so the
// development loop needs no build; the published package ships only the compiled dist/.
import { existsSync } from 'node:fs';

const source = new URL('../cli/main.ts', import.meta.url);
if (existsSync(source)) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(source.href);
} else {
  await import('../dist/cli/main.js');
}
