/**
 * How the CLI fails: one line a person can act on, on stderr, and a non-zero exit. A stack
 * trace is printed only when SANDBANK_DEBUG is set, because for an ordinary mistake (a port in
 * use, a server not running) it hides the one line that matters.
 */

/**
 * The exit codes, one rule for every command: 1 the thing checked is wrong or the operation
 * failed, 2 a usage error (unknown or missing option or argument, a value that is not allowed,
 * an input file that cannot be read).
 */
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/** An error whose message is already the line to print. */
export class CliError extends Error {
  constructor(message: string, readonly exitCode = 1) {
    super(message);
    this.name = 'CliError';
  }
}

interface SystemError {
  code?: string;
  address?: string;
  port?: number;
  hostname?: string;
  syscall?: string;
}

function systemError(value: unknown): SystemError | undefined {
  return typeof value === 'object' && value !== null ? (value satisfies object as SystemError) : undefined;
}

/** The line for a failed `fetch` to `url`: "cannot reach <url> (connection refused)". */
export function unreachable(url: string, error: unknown): CliError {
  const raw = error instanceof Error ? error.cause : undefined;
  const cause = systemError(raw);
  const errors = (raw instanceof AggregateError ? raw.errors : []).map(systemError);
  const code = cause?.code ?? errors.find((e) => e?.code)?.code;
  const why = code === 'ECONNREFUSED' ? 'connection refused'
    : code === 'ENOTFOUND' ? 'unknown host'
    : code ?? (raw instanceof Error ? raw.message : error instanceof Error ? error.message : String(error));
  return new CliError(`cannot reach ${url} (${why}): is the server running? (start one with \`sandbank start\`)`);
}

/** Is this the error `fetch` throws when it got no HTTP answer at all? */
export function isFetchFailure(error: unknown): boolean {
  return error instanceof TypeError && error.message === 'fetch failed';
}

/** The one line for any error that reached the top of the CLI. */
export function describeError(error: unknown): string {
  if (error instanceof CliError) return error.message;
  const system = systemError(error);
  if (system?.code === 'EADDRINUSE') return `port ${system.port ?? ''} is already in use: stop what is listening there or choose another with --port`.replace('port  is', 'the port is');
  if (system?.code === 'EACCES' && system.port !== undefined) return `not allowed to listen on port ${system.port}: choose a port above 1023 with --port`;
  if (system?.code === 'ENOTFOUND' && system.syscall === 'getaddrinfo') return `no host named ${system.hostname ?? 'so'} resolves: give --host (or SANDBANK_HOST) an IP address of this machine, 0.0.0.0 for every interface, or a name that resolves`;
  if (system?.code === 'EADDRNOTAVAIL') return `${system.address ?? 'that address'} is not an address of this machine: give --host (or SANDBANK_HOST) one of its addresses, 0.0.0.0 for every interface or 127.0.0.1`;
  if (isFetchFailure(error)) return unreachable('the server', error).message;
  const invalidUrl = invalidUrlInput(error);
  if (invalidUrl !== undefined) return `${invalidUrl} is not a URL: give the server's address (the --url/--base-url option or its SANDBANK_…_URL variable) like http://127.0.0.1:4010`;
  return error instanceof Error ? error.message : String(error);
}

/** The input of a URL that could not be parsed (by `new URL` or inside `fetch`), if that is the error. */
function invalidUrlInput(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; typeof e === 'object' && e !== null && depth < 3; e = (e as { cause?: unknown }).cause, depth++) {
    const found = e as { code?: unknown; input?: unknown };
    if (found.code === 'ERR_INVALID_URL') return typeof found.input === 'string' ? found.input : 'the address';
  }
  return undefined;
}

export function exitWithError(error: unknown): never {
  if (process.env['SANDBANK_DEBUG'] && error instanceof Error) console.error(error.stack);
  console.error(`error: ${describeError(error)}`);
  process.exit(error instanceof CliError ? error.exitCode : invalidUrlInput(error) === undefined ? EXIT_FAILED : EXIT_USAGE);
}
