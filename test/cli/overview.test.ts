/**
 * `sandbank overview start` and `sandbank overview upload` through the real binary: the
 * printed ready-made bureau and user work; an upload exits 0 when stored, 1 with the file's
 * line numbers when refused, 2 when nothing answers.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeCp437, encodeSie } from '../../formats/sie/sie4.ts';
import { sandbankAsync } from '../support/cli.ts';
import { ledgerExport, logIn } from '../support/overview.ts';

const BIN = fileURLToPath(new URL('../../bin/sandbank.mjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'sandbank-overview-cli-'));
let child: ChildProcess;
let printed = '';

beforeAll(async () => {
  child = spawn(process.execPath, [BIN, 'overview', 'start', '--port', '0', '--data', join(dir, 'data')], { stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (c: Buffer) => {
      printed += c.toString();
      if (printed.includes('Press Ctrl+C')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`sandbank overview start exited ${code}: ${printed}`)));
  });
});
afterAll(() => {
  child?.kill('SIGTERM');
});

const field = (pattern: RegExp) => pattern.exec(printed)?.[1] ?? '';

describe('sandbank overview', () => {
  it('start prints a bureau with its upload token and a customer user who can log in', async () => {
    const url = field(/running at (http:\/\/127\.0\.0\.1:\d+)/);
    expect(url).not.toBe('');
    expect(field(/upload token\s+(\S+)/)).not.toBe('');
    const cookie = await logIn(url, field(/user (\S+)\s+password/), field(/password (\S+)/));
    expect(cookie).toMatch(/^ov_session=/);
  });

  it('upload stores a file (exit 0) and refuses a bad one with its line numbers (exit 1)', async () => {
    const url = field(/running at (http:\/\/127\.0\.0\.1:\d+)/);
    const token = field(/upload token\s+(\S+)/);
    const good = join(dir, 'books-2026.se');
    writeFileSync(good, ledgerExport());
    const stored = await sandbankAsync(['overview', 'upload', good, '--url', url, '--token', token, '--company', 'demo']);
    expect(stored.stderr).toBe('');
    expect(stored.code).toBe(0);
    expect(stored.stdout).toContain('fiscal year 2026-01-01 – 2026-12-31 stored for demo');
    const bad = join(dir, 'broken.se');
    const text = decodeCp437(ledgerExport()).replace('#KSUMMA\r\n', '').replace(/#KSUMMA \d+\r\n/, '').replace('#TRANS 3001 {} -61000.00', '#TRANS 3001 {} -60000.00');
    writeFileSync(bad, encodeSie(text));
    const line = text.split('\r\n').findIndex((l, i, all) => l.startsWith('#VER') && all.slice(i, i + 6).some((n) => n.includes('-60000.00'))) + 1;
    const refused = await sandbankAsync(['overview', 'upload', bad, '--url', url, '--token', token, '--company', 'demo']);
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toContain(`SIE_INVALID`);
    expect(refused.stderr).toContain(`line ${line}`);
  });

  it('companies add|list and users add|list register a customer and its login; --json for scripts; SANDBANK_OVERVIEW_URL/TOKEN stand for the flags', async () => {
    const env = { ...process.env, SANDBANK_OVERVIEW_URL: field(/running at (http:\/\/127\.0\.0\.1:\d+)/), SANDBANK_OVERVIEW_TOKEN: field(/upload token\s+(\S+)/) };
    const added = await sandbankAsync(['overview', 'companies', 'add', 'Bageriet AB', '--org', '556677-8899', '--id', 'bageri', '--json'], { env });
    expect([added.code, added.stderr]).toEqual([0, '']);
    expect(JSON.parse(added.stdout)).toMatchObject({ id: 'bageri', name: 'Bageriet AB', organisationNumber: '556677-8899' });
    const twin = await sandbankAsync(['overview', 'companies', 'add', 'Bageriet igen AB', '--org', '5566778899'], { env });
    expect([twin.code, twin.stderr]).toEqual([1, 'error: COMPANY_EXISTS: organisation number 5566778899 is already company "bageri" (Bageriet AB)\n']);
    const user = await sandbankAsync(['overview', 'users', 'add', 'bo@bageri', '--company', 'bageri', '--name', 'Bo Bagare'], { env });
    expect(user.code, user.stderr).toBe(0);
    // No --password: a random one, printed once, that logs in.
    const password = /password (\S+)/.exec(user.stdout)?.[1] ?? '';
    expect(user.stdout).toContain(`user bo@bageri (Bo Bagare) for company bageri: log in at ${env.SANDBANK_OVERVIEW_URL}/login`);
    expect(await logIn(env.SANDBANK_OVERVIEW_URL, 'bo@bageri', password)).toMatch(/^ov_session=/);
    const users = await sandbankAsync(['overview', 'users', 'list', '--company', 'bageri', '--json'], { env });
    expect(JSON.parse(users.stdout)).toEqual([{ username: 'bo@bageri', name: 'Bo Bagare', companyId: 'bageri' }]);
    const list = await sandbankAsync(['overview', 'companies', 'list'], { env });
    expect(list.stdout).toMatch(/^bageri\s+Bageriet AB\s+556677-8899\s+none uploaded$/m);
    const missing = await sandbankAsync(['overview', 'users', 'add', 'x@y', '--company', 'nope', '--password', 'long-enough'], { env });
    expect([missing.code, missing.stderr]).toEqual([1, 'error: COMPANY_NOT_FOUND: no company "nope" among this bureau\'s customers\n']);
    const wrongToken = await sandbankAsync(['overview', 'companies', 'list', '--token', 'not-the-token'], { env });
    expect(wrongToken.code).toBe(1);
    expect(wrongToken.stderr).toMatch(/^error: UNAUTHORIZED: .*upload token that `sandbank overview start` printed\n$/);
    const noToken = await sandbankAsync(['overview', 'companies', 'list'], { env: { ...env, SANDBANK_OVERVIEW_TOKEN: '' } });
    expect([noToken.code, noToken.stderr]).toEqual([1, "error: give the bureau's upload token with --token (or SANDBANK_OVERVIEW_TOKEN); `sandbank overview start` prints it\n"]);
  });

  it('upload without --company of a file whose #ORGNR no company has says how to register it', async () => {
    const file = join(dir, 'unknown-org.se');
    writeFileSync(file, encodeSie(decodeCp437(ledgerExport()).replace('#KSUMMA\r\n', '').replace(/#KSUMMA \d+\r\n/, '').replace(/#ORGNR \S+/, '#ORGNR 559999-0000')));
    const result = await sandbankAsync(['overview', 'upload', file, '--url', field(/running at (http:\/\/127\.0\.0\.1:\d+)/), '--token', field(/upload token\s+(\S+)/)]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('COMPANY_NOT_IDENTIFIED');
    expect(result.stderr).toContain("register the customer first: sandbank overview companies add NAME --org <the file's #ORGNR>");
  });

  it('upload to nothing exits 2 naming the URL', async () => {
    const file = join(dir, 'books.se');
    writeFileSync(file, ledgerExport());
    const result = await sandbankAsync(['overview', 'upload', file, '--url', 'http://127.0.0.1:9', '--token', 'x']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('cannot reach http://127.0.0.1:9');
  });
});
