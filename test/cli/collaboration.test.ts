/**
 * `sandbank collaboration …` through the real binary against a running `sandbank invoicing
 * start`: activate, the licence limit, change of recipient, termination, show.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandbankAsync } from '../support/cli.ts';

const BIN = fileURLToPath(new URL('../../bin/sandbank.mjs', import.meta.url));
let child: ChildProcess;
let printed = '';

beforeAll(async () => {
  child = spawn(process.execPath, [BIN, 'invoicing', 'start', '--memory', '--port', '0', '--no-activate'], { stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (c: Buffer) => {
      printed += c.toString();
      if (printed.includes('Press Ctrl+C')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`sandbank invoicing start exited ${code}: ${printed}`)));
  });
});
afterAll(() => {
  child?.kill('SIGTERM');
});

const field = (pattern: RegExp) => pattern.exec(printed)?.[1] ?? '';

describe('sandbank collaboration', () => {
  it('activate, add users up to the licences, change recipient, terminate read-only, show', async () => {
    const url = field(/running at (http:\/\/127\.0\.0\.1:\d+)/);
    const id = field(/collaboration (collab_\d+)/);
    const bureau = ['--url', url, '--key', field(/bureau API key\s+(\S+)/)];
    const company = ['--url', url, '--key', field(/company API key\s+(\S+)/)];
    // Started with --no-activate: the bureau's feed waits for the activation; no clock helper without --clock.
    expect(printed).toContain(`not activated (sandbank collaboration activate ${id}`);
    const before = await fetch(`${url}/v1/collaborations/${id}/changes`, { headers: { authorization: `Bearer ${field(/bureau API key\s+(\S+)/)}` } });
    expect([before.status, ((await before.json()) as { code: string }).code]).toEqual([409, 'NOT_ACTIVATED']);
    expect((await fetch(`${url}/setup/clock`)).status).toBe(404);
    const activated = await sandbankAsync(['collaboration', ...bureau, 'activate', id, '--recipient', 'bureau', '--period', 'quarterly', '--next-invoice-number', '5001']);
    expect(activated.stderr).toBe('');
    expect(activated.stdout).toContain('invoiced to    the bureau now');
    expect(activated.stdout).toContain('109,00 kr × 3 months');
    expect((await sandbankAsync(['collaboration', ...company, 'add-user', id, '--username', 'anna'])).code).toBe(0);
    const refused = await sandbankAsync(['collaboration', ...company, 'add-user', id, '--username', 'bo']);
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toContain('LICENCE_LIMIT_REACHED');
    const bought = await sandbankAsync(['collaboration', ...company, 'add-user', id, '--username', 'bo', '--buy']);
    expect(bought.stdout).toContain('end users      2 of 2 licences');
    const changed = await sandbankAsync(['collaboration', ...bureau, 'change-recipient', id, '--recipient', 'customer']);
    expect(changed.stdout).toMatch(/invoiced to {4}the bureau now; the customer from \d{4}-\d{2}-01/);
    expect((await sandbankAsync(['collaboration', ...bureau, 'terminate', id, '--mode', 'read-only'])).code).toBe(0);
    const shown = await sandbankAsync(['collaboration', ...bureau, 'show', id]);
    expect(shown.stdout).toMatch(/: ended \(terminated .*, read-only\)/);
    expect(shown.stdout).toContain('terminated — the customer keeps read-only access');
  });
});
