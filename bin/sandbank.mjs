#!/usr/bin/env node
// The package ships TypeScript sources; tsx compiles them on load so `npx sandbank` works
// without a build step.
import { register } from 'tsx/esm/api';

register();
await import('../cli/main.ts');
