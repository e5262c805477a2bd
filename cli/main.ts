import { Command } from 'commander';
import { registerValidate } from './validate.ts';
import { runStart } from '../simulator/main.ts';
import { registerClient } from '../client/cli.ts';
import { registerContracts } from '../contracts/verify-cli.ts';
import { registerScenarios } from '../scenarios/cli.ts';

// `sandbank validate big.xml | head` closes the pipe early; that is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

const program = new Command();
program.name('sandbank').description('Swedish bank-integration sandbox: simulated Swedbank and Sparbanken, payment-file codecs, contracts, scenarios');
registerValidate(program);
registerClient(program);
registerContracts(program);
registerScenarios(program);
program
  .command('start')
  .description('run the simulated banks (Swedbank, Sparbanken) with the internet bank, on 127.0.0.1')
  .option('--port <port>', 'port to listen on', '4010')
  .option('--data <dir>', 'data directory (lowdb documents)', '.sandbank')
  .option('--memory', 'keep everything in memory (nothing written to disk)')
  .action(async (options: { port: string; data: string; memory?: boolean }) => {
    await runStart({ port: Number(options.port), data: options.data, ...(options.memory ? { memory: true } : {}) });
  });

await program.parseAsync(process.argv);
// msw and timers in some commands keep handles; a finished command ends the process.
if (!['start'].includes(process.argv[2] ?? '')) process.exit(process.exitCode ?? 0);
