import { type Command, InvalidArgumentError, Option } from 'commander';
import { CliError, EXIT_USAGE } from './errors.ts';
import { dataDirectory } from './option-values.ts';
import { parsePort } from './port.ts';
import { DEFAULT_STORE_CONNECTIONS, MIN_STORE_CONNECTIONS } from '../simulator/store/pool-size.ts';
import { addServerFlags, envSwitch, SERVER_ENV, serverOptionsFrom, type ServerFlags } from './start-flags.ts';

/** `--store` / SANDBANK_STORE: a PostgreSQL URL, or nothing (lowdb in --data, or --memory). */
export function storeUrlFrom(value: string | undefined, memory: boolean): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^postgres(ql)?:\/\//i.test(value)) throw new CliError('--store takes a PostgreSQL URL (postgres://user:password@host:port/database); without it the data goes to --data', EXIT_USAGE);
  if (memory) throw new CliError('--memory and --store exclude each other: choose one', EXIT_USAGE);
  return value;
}

function storeConnections(value: string): number {
  const n = Number(value);
  if (!/^\d{1,4}$/.test(value) || n < MIN_STORE_CONNECTIONS) throw new InvalidArgumentError(`expected a whole number ≥ ${MIN_STORE_CONNECTIONS}.`);
  return n;
}

export function registerStart(program: Command): void {
  addServerFlags(program
    .command('start')
    .description('run the simulated banks (Swedbank, Sparbanken) with the internet bank, on 127.0.0.1')
    .addOption(new Option('--port <port>', 'port to listen on (0: any free port)').env(SERVER_ENV.port).argParser(parsePort).default(4010))
    .addOption(new Option('--data <dir>', 'data directory (lowdb documents)').env(SERVER_ENV.data).argParser(dataDirectory).default('.sandbank'))
    .addOption(new Option('--memory', `keep everything in memory (nothing written to disk) (env: ${SERVER_ENV.memory}=1)`))
    .addOption(new Option('--store <url>', 'keep everything in PostgreSQL (postgres://user:password@host:port/database) instead of --data (default: none)').env(SERVER_ENV.store))
    .addOption(new Option('--store-connections <n>', `PostgreSQL connections this server opens at most (default: ${DEFAULT_STORE_CONNECTIONS})`).env(SERVER_ENV.storeConnections).argParser(storeConnections)))
    .addHelpText('after', '\nEvery option can also be set by its environment variable (shown after it); an option on the command line wins.')
    .action(async (options: { port: number; data: string; memory?: boolean; store?: string; storeConnections?: number } & ServerFlags, command: Command) => {
      const memory = options.memory ?? envSwitch(SERVER_ENV.memory) ?? false;
      // --memory wins over SANDBANK_STORE from the environment, not over --store given with it.
      const store = storeUrlFrom(memory && command.getOptionValueSource('store') === 'env' ? undefined : options.store, memory);
      const { runStart } = await import('../simulator/main.ts');
      await runStart({ port: options.port, data: options.data, ...(memory ? { memory: true } : {}), ...(store ? { store } : {}), ...(store && options.storeConnections !== undefined ? { storeConnections: options.storeConnections } : {}), ...(await serverOptionsFrom(options)) });
    });
}
