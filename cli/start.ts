import { type Command, InvalidArgumentError } from 'commander';
import { CliError } from './errors.ts';
import { addServerFlags, serverOptionsFrom, type ServerFlags } from './start-flags.ts';

/** commander parser for a TCP port: `--port abc` is a one-line usage error, not a crash later. */
export function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65_535) throw new InvalidArgumentError('a port is a whole number from 0 to 65535.');
  return port;
}

/** `--store` / SANDBANK_STORE: a PostgreSQL URL, or nothing (lowdb in --data, or --memory). */
export function storeUrlFrom(value: string | undefined, memory: boolean): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^postgres(ql)?:\/\//i.test(value)) throw new CliError('--store takes a PostgreSQL URL (postgres://user:password@host:port/database); without it the data goes to --data');
  if (memory) throw new CliError('--memory and --store exclude each other: choose one');
  return value;
}

export function registerStart(program: Command): void {
  addServerFlags(program
    .command('start'))
    .description('run the simulated banks (Swedbank, Sparbanken) with the internet bank, on 127.0.0.1')
    .option('--port <port>', 'port to listen on', parsePort, 4010)
    .option('--data <dir>', 'data directory (lowdb documents)', '.sandbank')
    .option('--memory', 'keep everything in memory (nothing written to disk)')
    .option('--store <url>', 'keep everything in PostgreSQL (postgres://user:password@host:port/database) instead of --data (default: SANDBANK_STORE)')
    .action(async (options: { port: number; data: string; memory?: boolean; store?: string } & ServerFlags) => {
      // An explicit --memory wins over SANDBANK_STORE from the environment, not over --store.
      const store = storeUrlFrom(options.store ?? (options.memory ? undefined : process.env['SANDBANK_STORE']), options.memory === true);
      const { runStart } = await import('../simulator/main.ts');
      await runStart({ port: options.port, data: options.data, ...(options.memory ? { memory: true } : {}), ...(store ? { store } : {}), ...(await serverOptionsFrom(options)) });
    });
}
