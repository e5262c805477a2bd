/**
 * Usage errors through the real binary: every value a command can check up front (banks,
 * organisation and giro numbers, accounts, counts, seeds, URLs, data directories) is refused
 * before anything runs, in one line naming the value and what is allowed, with exit code 2 —
 * commander's own refusals (unknown option, missing argument) included.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sandbank, sandbankAsync } from '../support/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'sandbank-usage-'));
const aFile = join(dir, 'a-file');
writeFileSync(aFile, 'not a directory');
const company = join(dir, 'company.json');
const init = ['client', '--data', company, 'init', '--base-url', 'http://127.0.0.1:9', '--api-key', 'k', '--company', 'Fjällbacka Snickeri AB'];

async function refused(args: string[], line: RegExp): Promise<void> {
  const run = await sandbankAsync(args);
  expect(run.code, run.stderr).toBe(2);
  expect(run.stdout).toBe('');
  const lines = run.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(line);
  expect(run.stderr).not.toMatch(/ERR_|EEXIST|ENOTDIR|Failed to parse URL|\n\s+at /);
}

describe('usage errors: one line, exit 2 (the real CLI)', () => {
  // Concurrent: each is a process of its own, and the machine waits on their start-up otherwise.
  it.concurrent.each([
    ['client init --bank nordea', [...init, '--bank', 'nordea', '--org', '556677-8899'], /^error: option '--bank <bank>' argument 'nordea' is invalid\. Allowed choices are swedbank, sparbanken\.$/],
    ['client init --org with a wrong check digit', [...init, '--bank', 'swedbank', '--org', '556512-3457'], /^error: option '--org <number>' argument '556512-3457' is invalid\. the check digit is wrong \(Luhn gives 556512-3451\)/],
    ['client init --org too short', [...init, '--bank', 'swedbank', '--org', '55651'], /argument '55651' is invalid\. an organisation number is ten digits, NNNNNN-NNNN/],
    ['client init --base-url not a URL', [...init, '--bank', 'swedbank', '--org', '556677-8899', '--base-url', 'notaurl'], /^error: option '--base-url <url>' argument 'notaurl' is invalid\. not a URL: give one like http:\/\/127\.0\.0\.1:4010\.$/],
    ['client supplier-add --bankgiro', ['client', '--data', company, 'supplier-add', 'X', '--bankgiro', '5402-9682'], /^error: option '--bankgiro <number>' argument '5402-9682' is invalid\. bankgiro number check digit is wrong/],
    ['client supplier-add --plusgiro', ['client', '--data', company, 'supplier-add', 'X', '--plusgiro', '41 78 03-3'], /^error: option '--plusgiro <number>' argument '41 78 03-3' is invalid\. plusgiro number check digit is wrong/],
    ['client supplier-add --account', ['client', '--data', company, 'supplier-add', 'X', '--account', '8105-9,694857993-1'], /^error: option '--account <clearing,account>' argument '8105-9,694857993-1' is invalid\. invalid account number for clearing 8105-9/],
    ['client --data under a file', ['client', '--data', join(aFile, 'company.json'), 'status'], /argument '.*a-file\/company\.json' is invalid\. cannot be created: .*a-file is a file, not a directory\.$/],
    ['scenarios run --parallel 0', ['scenarios', 'run', '--parallel', '0'], /^error: option '--parallel <n>' argument '0' is invalid\. give a whole number from 1 to 64\.$/],
    ['scenarios run --parallel abc', ['scenarios', 'run', '--parallel', 'abc'], /^error: option '--parallel <n>' argument 'abc' is invalid\./],
    ['scenarios run --seed', ['scenarios', 'run', '--seed', '-3'], /^error: option '--seed <seed>' argument '-3' is invalid\. give a whole number from 0 to 4294967295\.$/],
    ['scenarios run --bank', ['scenarios', 'run', '--bank', 'nordea'], /Allowed choices are swedbank, sparbanken, all\.$/],
    ['scenarios run --target', ['scenarios', 'run', '--target', 'localhost'], /^error: option '--target <target>' argument 'localhost' is invalid\. give inprocess or a server's base URL/],
    ['start --data a file', ['start', '--port', '0', '--data', aFile], /^error: option '--data <dir>' argument '.*a-file' is invalid\. is a file, not a directory/],
    ['overview upload --url', ['overview', 'upload', aFile, '--url', 'notaurl', '--token', 't'], /^error: option '--url <url>' argument 'notaurl' is invalid\. not a URL/],
    ['sandboxes list --base-url', ['sandboxes', 'list', '--base-url', 'ftp://x', '--operator-key', 'k'], /argument 'ftp:\/\/x' is invalid\. a ftp: URL; give an http:\/\/ or https:\/\/ one/],
    ['validate without its file', ['validate'], /^error: missing required argument 'file'$/],
    ['validate with an unknown option', ['validate', aFile, '--colour'], /^error: unknown option '--colour'/],
    ['validate --bank', ['validate', aFile, '--bank', 'nordea'], /^unknown bank "nordea"/],
    ['an unknown command', ['nosuch'], /^error: unknown command 'nosuch'/],
  ])('%s', async (_name, args, line) => refused(args, line));

  it('a data directory given through the environment is checked the same way', () => {
    const run = sandbank(['start', '--port', '0'], { env: { SANDBANK_DATA: aFile } });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^error: option '--data <dir>' value '.*a-file' from env 'SANDBANK_DATA' is invalid\. is a file, not a directory/);
  });

  it('a URL from the environment that is not one: one line, exit 2, no "Failed to parse URL"', () => {
    const run = sandbank(['overview', 'upload', aFile, '--token', 't'], { env: { SANDBANK_OVERVIEW_URL: 'notaurl' } });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^error: notaurl\/api\/v1\/sie is not a URL: give the server's address .* like http:\/\/127\.0\.0\.1:4010\n$/);
  });

  it('a tag no scenario has exits 2 like a glob matching nothing, listing the known tags', () => {
    const run = sandbank(['scenarios', 'run', '--tag', 'nosuchtag']);
    expect(run.code).toBe(2);
    expect(run.stdout.trim()).toMatch(/^no scenario has the tag nosuchtag \(known tags: .*\bbureau\b.*\bhappy-path\b.*\)$/);
    const glob = sandbank(['scenarios', 'run', 'nosuch*']);
    expect(glob.code).toBe(2);
  });

  it('--version prints the package version; --help documents the exit codes', async () => {
    const { version } = (await import('../../package.json', { with: { type: 'json' } })).default;
    for (const flag of ['--version', '-V']) {
      const run = sandbank([flag]);
      expect(run.code).toBe(0);
      expect(run.stdout).toBe(`${version}\n`);
    }
    const help = sandbank(['--help']);
    expect(help.stdout).toMatch(/Exit codes: 0 done .*, 1 the thing checked is wrong or the operation failed, 2 usage error/);
  });
});
