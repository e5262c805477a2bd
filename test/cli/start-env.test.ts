/**
 * `sandbank start`'s limit flags from environment variables (a container's configuration):
 * each one applied, the command line winning over the environment, bad values as one line
 * with a non-zero exit, and every variable documented in `--help` and the README.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { SERVER_ENV } from '../../cli/start-flags.ts';
import { DEFAULT_MAX_SANDBOXES } from '../../simulator/http/routes.ts';
import { DEFAULT_BODY_LIMIT_BYTES } from '../../simulator/http/types.ts';
import { ROOT, sandbank } from '../support/cli.ts';

const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) child.kill();
});

/** The real binary with only `start` and the given flags; everything else from `env`. */
function start(args: string[], env: Record<string, string>): Promise<string> {
  const child = spawn(process.execPath, [`${ROOT}bin/sandbank.mjs`, 'start', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /running at (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
    child.once('exit', (code) => reject(new Error(`sandbank start exited ${code}: ${out}`)));
  });
}

const createSandbox = (url: string, operatorKey: string | undefined, padding: number) => fetch(`${url}/sandboxes`, {
  method: 'POST',
  headers: { 'content-type': 'application/json', ...(operatorKey ? { authorization: `Bearer ${operatorKey}` } : {}) },
  body: JSON.stringify({ bank: 'swedbank', note: 'x'.repeat(padding) }),
});

function expectOneLine(stderr: string, pattern: RegExp): void {
  const lines = stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(stderr).not.toMatch(/\n\s+at |node:internal|\.ts:\d+/);
}

describe('sandbank start options from the environment (the real CLI)', () => {
  it('applies SANDBANK_PORT, SANDBANK_MEMORY, SANDBANK_OPERATOR_KEY, SANDBANK_BODY_LIMIT and SANDBANK_PROVIDER_STATES', async () => {
    const url = await start([], { SANDBANK_PORT: '0', SANDBANK_MEMORY: '1', SANDBANK_OPERATOR_KEY: 'op_env', SANDBANK_BODY_LIMIT: '2000', SANDBANK_PROVIDER_STATES: 'true' });
    expect((await createSandbox(url, undefined, 10)).status).toBe(401);
    const tooLarge = await createSandbox(url, 'op_env', 3000);
    expect([tooLarge.status, ((await tooLarge.json()) as { code: string }).code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
    const states = await fetch(`${url}/sandboxes/provider-states?bank=swedbank`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect([404, 405]).not.toContain(states.status);
  }, 30_000);

  it('a flag on the command line wins over its variable; SANDBANK_PROVIDER_STATES=0 is off', async () => {
    const url = await start(['--port', '0', '--memory', '--body-limit', '100000'], { SANDBANK_PORT: '1', SANDBANK_BODY_LIMIT: '2000', SANDBANK_PROVIDER_STATES: '0' });
    expect((await createSandbox(url, undefined, 3000)).status).not.toBe(413);
    const states = await fetch(`${url}/sandboxes/provider-states?bank=swedbank`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect([404, 405]).toContain(states.status);
  }, 30_000);

  it.each([
    [{ SANDBANK_MAX_SANDBOXES: 'lots' }, /^error: option '--max-sandboxes <n>' value 'lots' from env 'SANDBANK_MAX_SANDBOXES' is invalid\. expected a positive whole number/],
    [{ SANDBANK_MAX_LOADED_SANDBOXES: '0' }, /^error: option '--max-loaded-sandboxes <n>' value '0' from env 'SANDBANK_MAX_LOADED_SANDBOXES' is invalid\. expected a positive whole number/],
    [{ SANDBANK_BODY_LIMIT: '0' }, /^error: option '--body-limit <bytes>' value '0' from env 'SANDBANK_BODY_LIMIT' is invalid/],
    [{ SANDBANK_HOST: 'not a host' }, /^error: option '--host <address>' value 'not a host' from env 'SANDBANK_HOST' is invalid\. expected an IP address/],
    [{ SANDBANK_WEBHOOK_ALLOW: 'hooks.test,10.0.0.0/99' }, /^error: option '--webhook-allow <hosts>' value .* is invalid\. "10\.0\.0\.0\/99" is neither a host name, an IP address nor a CIDR range/],
    [{ SANDBANK_TRUST_PROXY: 'maybe' }, /^error: environment variable SANDBANK_TRUST_PROXY="maybe" is invalid: use 1 \(on\) or 0 \(off\)$/],
    [{ SANDBANK_HOST: '999.1.1.1' }, /^error: option '--host <address>' value '999\.1\.1\.1' from env 'SANDBANK_HOST' is invalid\. not an IPv4 address/],
    [{ SANDBANK_HOST: 'nosuch.invalid' }, /^error: no host named nosuch\.invalid resolves: give --host \(or SANDBANK_HOST\)/],
    [{ SANDBANK_HOST: '192.0.2.1' }, /^error: 192\.0\.2\.1 is not an address of this machine: give --host \(or SANDBANK_HOST\)/],
    [{ SANDBANK_PORT: '70000' }, /^error: option '--port <port>' value '70000' from env 'SANDBANK_PORT' is invalid\. a port is a whole number/],
  ])('a bad value from the environment is one line, exit 2 (a usage error) or 1 (the address fails at listen): %o', (env, message) => {
    const run = sandbank(['start', '--memory'], { env });
    expect(run.code).toBe(/resolves|not an address of this machine/.test(message.source) ? 1 : 2);
    expectOneLine(run.stderr, message);
  });

  it('a bad flag value: --webhook-allow with a broken range', () => {
    const run = sandbank(['start', '--memory', '--port', '0', '--webhook-allow', 'zz..bad/99']);
    expect(run.code).toBe(2);
    expectOneLine(run.stderr, /^error: option '--webhook-allow <hosts>' argument 'zz\.\.bad\/99' is invalid\. "zz\.\.bad\/99" is neither/);
  });

  it('--help and the README name every variable with its default; the defaults are the server\'s', () => {
    const help = sandbank(['start', '--help']).stdout.replace(/\s+/g, ' ');
    const readme = readFileSync(`${ROOT}README.md`, 'utf8');
    const table = readme.slice(readme.indexOf('### `sandbank start` options'));
    for (const variable of Object.values(SERVER_ENV)) {
      expect(help).toContain(variable);
      expect(table).toMatch(new RegExp(`^\\|[^\\n]*\`${variable}\`[^\\n]*\\|[^\\n]*\\|`, 'm'));
    }
    expect(help).toContain(`(default: ${DEFAULT_MAX_SANDBOXES})`);
    expect(help).toContain(`(default: ${DEFAULT_BODY_LIMIT_BYTES} = ${DEFAULT_BODY_LIMIT_BYTES / 1024 / 1024} MiB)`);
    expect(table).toMatch(new RegExp(`\`--max-sandboxes <n>\`[^\\n]*${DEFAULT_MAX_SANDBOXES}`));
    expect(table).toMatch(new RegExp(`\`--body-limit <bytes>\`[^\\n]*${DEFAULT_BODY_LIMIT_BYTES} bytes`));
  });
});
