/**
 * The `sandbank start` flags that decide what a shared server allows: who may create
 * sandboxes, how many, what webhooks may reach, request limits, and the test-only provider
 * states (plugged in from contracts/, which the simulator itself never imports).
 */
import { InvalidArgumentError, type Command } from 'commander';
import type { StartOptions } from '../simulator/main.ts';

export interface ServerFlags {
  host?: string;
  operatorKey?: string;
  maxSandboxes?: string;
  bodyLimit?: string;
  webhookAllow?: string;
  trustProxy?: boolean;
  providerStates?: boolean;
  exportKey?: string;
}

function positiveInteger(value: string): string {
  if (!/^\d{1,12}$/.test(value) || Number(value) < 1) throw new InvalidArgumentError('expected a positive integer');
  return value;
}

export function addServerFlags(command: Command): Command {
  return command
    .option('--host <address>', 'address to listen on; anything but loopback serves other hosts (then set --operator-key)')
    .option('--operator-key <key>', 'creating sandboxes needs Authorization: Bearer <key>; the key lists and opens every sandbox (GET /sandboxes, the console) (default: SANDBANK_OPERATOR_KEY)')
    .option('--max-sandboxes <n>', 'most sandboxes the server holds', positiveInteger)
    .option('--body-limit <bytes>', 'largest request body (default 128 MiB)', positiveInteger)
    .option('--webhook-allow <hosts>', 'comma-separated hosts, addresses or CIDR ranges webhooks may reach besides public addresses')
    .option('--trust-proxy', 'trust X-Forwarded-Proto from a TLS-terminating proxy (internet-bank cookies get Secure)')
    .option('--provider-states', 'serve the test-only contract provider states at /sandboxes/provider-states')
    .option('--export-key <key>', 'sign sandbox exports with this key and import only exports signed with it (default: SANDBANK_EXPORT_KEY)');
}

export async function serverOptionsFrom(flags: ServerFlags): Promise<Partial<StartOptions>> {
  const operatorKey = flags.operatorKey ?? process.env['SANDBANK_OPERATOR_KEY'];
  const exportKey = flags.exportKey ?? process.env['SANDBANK_EXPORT_KEY'];
  return {
    ...(exportKey ? { exportKey } : {}),
    ...(flags.host === undefined ? {} : { host: flags.host }),
    ...(operatorKey ? { operatorKey } : {}),
    ...(flags.maxSandboxes === undefined ? {} : { maxSandboxes: Number(flags.maxSandboxes) }),
    ...(flags.bodyLimit === undefined ? {} : { bodyLimitBytes: Number(flags.bodyLimit) }),
    ...(flags.webhookAllow === undefined ? {} : { webhookAllow: flags.webhookAllow.split(',').map((h) => h.trim()).filter((h) => h !== '') }),
    ...(flags.trustProxy ? { trustProxy: true } : {}),
    ...(flags.providerStates ? { extraRoutes: (await import('../contracts/provider/routes.ts')).providerStateRoutes() } : {}),
  };
}
