/**
 * The `sandbank start` flags that decide what a shared server allows: who may create
 * sandboxes, how many, what webhooks may reach, request limits, and the test-only provider
 * states (plugged in from contracts/, which the simulator itself never imports).
 *
 * Each flag can also come from an environment variable (SERVER_ENV below) so a container can
 * be configured without a command line; a flag given on the command line wins. A bad value,
 * from either place, is one line naming where it came from.
 */
import ipaddr from 'ipaddr.js';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { DEFAULT_MAX_LOADED_SANDBOXES } from '../simulator/engine/limits.ts';
import { DEFAULT_BODY_LIMIT_BYTES } from '../simulator/http/types.ts';
import type { StartOptions } from '../simulator/main.ts';
import { CliError, EXIT_USAGE } from './errors.ts';

export interface ServerFlags {
  host?: string;
  operatorKey?: string;
  maxSandboxes?: string;
  maxLoadedSandboxes?: string;
  bodyLimit?: string;
  webhookAllow?: string;
  trustProxy?: boolean;
  providerStates?: boolean;
  exportKey?: string;
}

/** The environment variable of each `sandbank start` flag (the README's table lists the same). */
export const SERVER_ENV = {
  port: 'SANDBANK_PORT',
  data: 'SANDBANK_DATA',
  memory: 'SANDBANK_MEMORY',
  store: 'SANDBANK_STORE',
  storeConnections: 'SANDBANK_STORE_CONNECTIONS',
  host: 'SANDBANK_HOST',
  operatorKey: 'SANDBANK_OPERATOR_KEY',
  maxSandboxes: 'SANDBANK_MAX_SANDBOXES',
  maxLoadedSandboxes: 'SANDBANK_MAX_LOADED_SANDBOXES',
  bodyLimit: 'SANDBANK_BODY_LIMIT',
  webhookAllow: 'SANDBANK_WEBHOOK_ALLOW',
  trustProxy: 'SANDBANK_TRUST_PROXY',
  providerStates: 'SANDBANK_PROVIDER_STATES',
  exportKey: 'SANDBANK_EXPORT_KEY',
} as const;

function positiveInteger(value: string): string {
  if (!/^\d{1,12}$/.test(value) || Number(value) < 1) throw new InvalidArgumentError('expected a positive whole number.');
  return value;
}

/** An IP address or a host name; node would otherwise fail later with a bare getaddrinfo error. */
function listenAddress(value: string): string {
  // A dotted run of digits is meant as an IPv4 address: 999.1.1.1 must not pass as a host name.
  if (/^[\d.]+$/.test(value) && !ipaddr.IPv4.isValidFourPartDecimal(value)) throw new InvalidArgumentError('not an IPv4 address (four numbers 0–255, e.g. 127.0.0.1 or 0.0.0.0).');
  if (ipaddr.isValid(value) || /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i.test(value)) return value;
  throw new InvalidArgumentError('expected an IP address (0.0.0.0 for every interface, 127.0.0.1 for this machine only) or a host name.');
}

/** Host names, addresses or CIDR ranges, comma-separated; each checked here so start-up cannot fail on one. */
function webhookAllowList(value: string): string {
  for (const entry of value.split(',').map((e) => e.trim()).filter((e) => e !== '')) {
    const valid = entry.includes('/') ? ipaddr.isValidCIDR(entry) : ipaddr.isValid(entry) || /^[a-z0-9.-]+$/i.test(entry);
    if (!valid) throw new InvalidArgumentError(`"${entry}" is neither a host name, an IP address nor a CIDR range such as 10.0.0.0/8.`);
  }
  return value;
}

/** A switch from the environment: 1/true/yes on, 0/false/no (or empty) off; anything else is a mistake. */
export function envSwitch(name: string, env: NodeJS.ProcessEnv = process.env): boolean | undefined {
  const raw = env[name];
  if (raw === undefined) return undefined;
  const value = raw.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(value)) return true;
  if (['', '0', 'false', 'no', 'off'].includes(value)) return false;
  throw new CliError(`environment variable ${name}=${JSON.stringify(raw)} is invalid: use 1 (on) or 0 (off)`, EXIT_USAGE);
}

const valued = (flags: string, description: string, env: string, parse?: (value: string) => string) => {
  const option = new Option(flags, description).env(env);
  return parse ? option.argParser(parse) : option;
};

/** A switch shows its variable in the help like the valued options do; it is read by envSwitch, not commander (which treats SANDBANK_X=0 as on). */
const switched = (flags: string, description: string, env: string) => new Option(flags, `${description} (env: ${env}=1)`);

export function addServerFlags(command: Command): Command {
  return command
    .addOption(valued('--host <address>', 'address to listen on (default: 127.0.0.1); anything but loopback serves other hosts (then set --operator-key)', SERVER_ENV.host, listenAddress))
    .addOption(valued('--operator-key <key>', 'creating sandboxes needs Authorization: Bearer <key>; the key lists and opens every sandbox (GET /sandboxes, the console) (default: none, anyone may create)', SERVER_ENV.operatorKey))
    .addOption(valued('--max-sandboxes <n>', 'most sandboxes the server holds (default: 1000)', SERVER_ENV.maxSandboxes, positiveInteger))
    .addOption(valued('--max-loaded-sandboxes <n>', `sandboxes whose files, payments, reports and bookings stay in memory; the least recently used idle ones beyond are read again on their next request (default: ${DEFAULT_MAX_LOADED_SANDBOXES})`, SERVER_ENV.maxLoadedSandboxes, positiveInteger))
    .addOption(valued('--body-limit <bytes>', `largest request body, in bytes (default: ${DEFAULT_BODY_LIMIT_BYTES} = ${DEFAULT_BODY_LIMIT_BYTES / 1024 / 1024} MiB)`, SERVER_ENV.bodyLimit, positiveInteger))
    .addOption(valued('--webhook-allow <hosts>', 'comma-separated hosts, addresses or CIDR ranges webhooks may reach besides public addresses (default: none)', SERVER_ENV.webhookAllow, webhookAllowList))
    .addOption(switched('--trust-proxy', 'trust X-Forwarded-Proto from a TLS-terminating proxy (internet-bank cookies get Secure) (default: off)', SERVER_ENV.trustProxy))
    .addOption(switched('--provider-states', 'serve the test-only contract provider states at /sandboxes/provider-states (default: off)', SERVER_ENV.providerStates))
    .addOption(valued('--export-key <key>', 'sign sandbox exports with this key and import only exports signed with it (default: none)', SERVER_ENV.exportKey));
}

export async function serverOptionsFrom(flags: ServerFlags, env: NodeJS.ProcessEnv = process.env): Promise<Partial<StartOptions>> {
  const trustProxy = flags.trustProxy ?? envSwitch(SERVER_ENV.trustProxy, env);
  const providerStates = flags.providerStates ?? envSwitch(SERVER_ENV.providerStates, env);
  return {
    ...(flags.exportKey ? { exportKey: flags.exportKey } : {}),
    ...(flags.host === undefined ? {} : { host: flags.host }),
    ...(flags.operatorKey ? { operatorKey: flags.operatorKey } : {}),
    ...(flags.maxSandboxes === undefined ? {} : { maxSandboxes: Number(flags.maxSandboxes) }),
    ...(flags.maxLoadedSandboxes === undefined ? {} : { maxLoadedSandboxes: Number(flags.maxLoadedSandboxes) }),
    ...(flags.bodyLimit === undefined ? {} : { bodyLimitBytes: Number(flags.bodyLimit) }),
    ...(flags.webhookAllow === undefined ? {} : { webhookAllow: flags.webhookAllow.split(',').map((h) => h.trim()).filter((h) => h !== '') }),
    ...(trustProxy ? { trustProxy: true } : {}),
    ...(providerStates ? { extraRoutes: (await import('../contracts/provider/routes.ts')).providerStateRoutes() } : {}),
  };
}
