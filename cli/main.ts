/**
 * The `sandbank` entry point. It knows each subcommand only by name and summary; the module
 * that defines a subcommand (and everything that module imports) is loaded only when that
 * subcommand runs, so `sandbank --help` or `sandbank validate` never pay for Pact, msw or the
 * simulator.
 *
 * Adding a subcommand: write a module exporting `register…(program: Command): void` and add
 * one line to SUBCOMMANDS below.
 */
import { Command, CommanderError } from 'commander';
import { EXIT_USAGE, exitWithError } from './errors.ts';
import { packageVersion } from './version.ts';

interface Subcommand {
  /** One line for `sandbank --help`. */
  summary: string;
  /** Loads the subcommand's module and returns its register function. */
  load: () => Promise<(program: Command) => void>;
  /** Keeps running after its action returns (a server); every other command ends the process. */
  stays?: true;
}

const SUBCOMMANDS: Record<string, Subcommand> = {
  start: { summary: 'run the simulated banks (Swedbank, Sparbanken) with the internet bank', load: async () => (await import('./start.ts')).registerStart, stays: true },
  validate: { summary: 'check a payment file the way the bank would', load: async () => (await import('./validate.ts')).registerValidate },
  sample: { summary: 'write a ready-to-upload pain.001 or Bankgirot LB file for a sandbox', load: async () => (await import('./sample.ts')).registerSample },
  sandboxes: {
    summary: 'list, show, delete, prune, export and import sandboxes on a running server',
    load: async () => {
      const [{ registerSandboxes }, { registerSandboxTransfer }] = await Promise.all([import('./sandboxes.ts'), import('./sandboxes-transfer.ts')]);
      return (program) => {
        registerSandboxes(program);
        registerSandboxTransfer(program);
      };
    },
  },
  client: { summary: 'the reference accounting client (invoices → proposal → send → statuses)', load: async () => (await import('../client/cli.ts')).registerClient },
  contracts: { summary: 'Pact contracts between the reference client and the banks', load: async () => (await import('../contracts/verify-cli.ts')).registerContracts },
  invoicing: { summary: "the customer's invoicing program (customers, articles, invoices, scanner, notes, change feed)", load: async () => (await import('../client/invoicing/cli.ts')).registerInvoicing },
  bureau: { summary: "the bureau's program (sync from the invoicing program, BAS ledger, dunning, VAT report)", load: async () => (await import('../client/bureau/cli.ts')).registerBureau },
  scenarios: { summary: 'business scenarios against the simulated banks, for QA', load: async () => (await import('../scenarios/cli.ts')).registerScenarios },
  overview: { summary: 'the accounting overview: the bureau uploads SIE 4, customers see reports and charts', load: async () => (await import('../client/overview/cli.ts')).registerOverview },
  collaboration: { summary: "a bureau collaboration's lifecycle: activate, invoice recipient, users and licences, termination", load: async () => (await import('../client/collaboration/cli.ts')).registerCollaboration },
};

// `sandbank validate big.xml | head` closes the pipe early; that is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

const program = new Command()
  .name('sandbank')
  .description('Swedish bank-integration sandbox: simulated Swedbank and Sparbanken, payment-file codecs, contracts, scenarios')
  .version(packageVersion(), '-V, --version', 'print the version of sandbank')
  .showSuggestionAfterError()
  // Commander's own refusals (unknown option, missing argument, a value a parser declined)
  // are usage errors: thrown here instead of exiting 1, to exit EXIT_USAGE like every other.
  .exitOverride();
program.addHelpText('after', '\nExit codes: 0 done (the file is valid, every scenario passed), 1 the thing checked is wrong or the operation failed, 2 usage error (an unknown or missing option or argument, a value that is not allowed, a file that cannot be read).');

const args = process.argv.slice(2);
const name = args[0] === 'help' ? args[1] : args[0];
const chosen = name === undefined ? undefined : SUBCOMMANDS[name];
if (chosen) (await chosen.load())(program);
else for (const [command, { summary }] of Object.entries(SUBCOMMANDS)) program.command(command).description(summary);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  // Commander has printed its one line (or the help, or the version) already.
  if (error instanceof CommanderError) process.exit(error.exitCode === 0 ? 0 : EXIT_USAGE);
  exitWithError(error);
}
// msw and timers in some commands keep handles; a finished command ends the process.
if (!chosen?.stays) process.exit(process.exitCode ?? 0);
