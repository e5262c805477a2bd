import { InvalidArgumentError } from 'commander';

/** commander parser for a TCP port: `--port abc` is a one-line usage error, not a crash later. */
export function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65_535) throw new InvalidArgumentError('a port is a whole number from 0 to 65535.');
  return port;
}
