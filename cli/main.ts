import { Command } from 'commander';
import { registerValidate } from './validate.ts';

// `sandbank validate big.xml | head` closes the pipe early; that is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

const program = new Command();
program.name('sandbank').description('Swedish bank-integration sandbox: simulated Swedbank and Sparbanken, payment-file codecs, contracts, scenarios');
registerValidate(program);

await program.parseAsync(process.argv);
