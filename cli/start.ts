import { type Command, InvalidArgumentError } from 'commander';
import { addServerFlags, serverOptionsFrom, type ServerFlags } from './start-flags.ts';

/** commander parser for a TCP port: `--port abc` is a one-line usage error, not a crash later. */
export function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65_535) throw new InvalidArgumentError('a port is a whole number from 0 to 65535.');
  return port;
}

export function registerStart(program: Command): void {
  addServerFlags(program
    .command('start'))
    .description('run the simulated banks (Swedbank, Sparbanken) with the internet bank, on 127.0.0.1')
    .option('--port <port>', 'port to listen on', parsePort, 4010)
    .option('--data <dir>', 'data directory (lowdb documents)', '.sandbank')
    .option('--memory', 'keep everything in memory (nothing written to disk)')
    .action(async (options: { port: number; data: string; memory?: boolean } & ServerFlags) => {
      const { runStart } = await import('../simulator/main.ts');
      await runStart({ port: options.port, data: options.data, ...(options.memory ? { memory: true } : {}), ...(await serverOptionsFrom(options)) });
    });
}
