import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sandbank, sandbankAsync } from '../support/cli.ts';

/** One actionable line on stderr, nothing that looks like a stack trace. */
function expectOneLine(stderr: string, pattern: RegExp): void {
  const lines = stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(stderr).not.toMatch(/\n\s+at |node:internal|\.ts:\d+/);
}

describe('sandbank fails with one line a person can act on (the real CLI)', () => {
  it('--help lists every subcommand', () => {
    const run = sandbank(['--help']);
    expect(run.code).toBe(0);
    for (const name of ['start', 'validate', 'sample', 'sandboxes', 'client', 'contracts', 'scenarios']) expect(run.stdout).toMatch(new RegExp(`^  ${name} `, 'm'));
  });

  it('a bad flag value', () => {
    const run = sandbank(['start', '--port', 'abc']);
    expect(run.code).toBe(2);
    expectOneLine(run.stderr, /^error: option '--port <port>' argument 'abc' is invalid\. a port is a whole number/);
  });

  it('an unknown option', () => {
    const run = sandbank(['validate', 'x.xml', '--colour']);
    expect(run.code).toBe(2);
    expectOneLine(run.stderr, /^error: unknown option '--colour'/);
  });

  it('a port already in use', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as AddressInfo;
    try {
      const run = await sandbankAsync(['start', '--memory', '--port', String(port)]);
      expect(run.code).toBe(1);
      expectOneLine(run.stderr, new RegExp(`^error: port ${port} is already in use: stop what is listening there or choose another with --port$`));
    } finally {
      blocker.close();
    }
  });

  it.each([['sandbank', ['start']], ['invoicing', ['invoicing', 'start']]])('a data directory held by another %s process', (program, command) => {
    const dir = mkdtempSync(join(tmpdir(), 'sandbank-locked-'));
    writeFileSync(join(dir, `${program}.lock`), String(process.pid));
    const run = sandbank([...command, '--port', '0', '--data', dir]);
    expect(run.code).toBe(1);
    expectOneLine(run.stderr, new RegExp(`^error: ${dir} is in use by ${program} process ${process.pid}; stop it or use --data <another dir>$`));
  });

  it('a server that is not running, named by its URL', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const url = `http://127.0.0.1:${port}`;
    for (const command of [['contracts', 'verify', '--provider-base-url', url], ['scenarios', 'run', '01-*', '--target', url], ['sandboxes', 'list', '--base-url', url, '--operator-key', 'k']]) {
      const run = sandbank(command);
      expect(run.code).toBe(1);
      expectOneLine(run.stderr, new RegExp(`^error: cannot reach ${url} \\(connection refused\\): is the server running\\?`));
    }
  });
});

describe('sandbank client fails with one line too', () => {
  it('init with a wrong API key is refused by the bank, not "connected"; status against a stopped server names its URL', async () => {
    const { startSimulator } = await import('../../simulator/app.ts');
    const { createRandom } = await import('../../formats/random.ts');
    const simulator = await startSimulator({ random: createRandom(5) });
    const data = join(mkdtempSync(join(tmpdir(), 'sandbank-client-errors-')), 'company.json');
    const init = (apiKey: string) => sandbankAsync(['client', '--data', data, 'init', '--base-url', simulator.url, '--bank', 'swedbank', '--api-key', apiKey, '--company', 'Felsteg AB', '--org', '5565123451']);
    try {
      const wrong = await init('sk_test_wrong');
      expect(wrong.code).toBe(1);
      expect(wrong.stdout).not.toContain('connected');
      expectOneLine(wrong.stderr, new RegExp(`^error: ${simulator.url} refused the API key for swedbank \\(401 \\w+\\): check --api-key$`));
      const created = await simulator.engine.createSandbox({ bank: 'swedbank' });
      if (!created.ok) throw new Error(created.message);
      const right = await init(created.value.apiKey);
      expect(right.code, right.stderr).toBe(0);
      expect(right.stdout).toContain('connected to swedbank');
    } finally {
      await simulator.close();
    }
    const down = await sandbankAsync(['client', '--data', data, 'status']);
    expect(down.code).toBe(1);
    expectOneLine(down.stderr, new RegExp(`^error: cannot reach the bank at ${simulator.url} \\(connection refused\\)$`));
  });
});
