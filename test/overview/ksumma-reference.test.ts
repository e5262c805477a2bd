/**
 * #KSUMMA against an independent implementation: Open End's SIE importer (github.com/jacob22/
 * accounting, Apache-2.0), run with python3 beside this test — never copied into sandbank.
 * It must accept what sandbank writes, and sandbank must accept the checksummed files real
 * programs wrote (Visma, Norstedts) that ship with it; a tampered file fails both.
 *
 * Point SIE_REFERENCE_GIT at a clone of that repository (its .git directory or work tree;
 * `.ci/run` makes a shallow one); without it a clone this workplace keeps is used if there.
 * Without a clone or python3 the test is skipped and says why. A reference that was asked
 * for (SIE_REFERENCE_GIT set, as `.ci/run` does when it could clone) and is not there fails:
 * CI on a machine that cannot reach GitHub skips, loudly, rather than failing on the network.
 * CRC-32 itself is cross-checked against an npm implementation in formats/sie/checksum-crc.test.ts.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkSieChecksum, decodeCp437, encodeSie, parseSieDetailed } from '../../formats/sie/index.ts';
import { ledgerExport } from '../support/overview.ts';

const configured = process.env['SIE_REFERENCE_GIT'] || '/work/.mirror/jacob22+accounting/repo/.git';
const gitDir = existsSync(join(configured, '.git')) ? join(configured, '.git') : configured;
const git = (...args: string[]) => spawnSync('git', ['--git-dir', gitDir, ...args], { maxBuffer: 64 * 1024 * 1024 });
const hasReference = existsSync(gitDir) && git('cat-file', '-e', 'HEAD:accounting/sie_import.py').status === 0;
const hasPython = spawnSync('python3', ['--version']).status === 0;
const HARNESS = fileURLToPath(new URL('../support/sie-reference/reference_ksumma.py', import.meta.url));
const missing = !hasPython ? 'python3 is not installed' : !hasReference ? `no clone of github.com/jacob22/accounting at ${configured} (set SIE_REFERENCE_GIT to one; .ci/run clones it)` : undefined;
const askedFor = (process.env['SIE_REFERENCE_GIT'] ?? '') !== '';
if (missing && !askedFor) console.log(`#KSUMMA reference check skipped: ${missing}`);

function runReference(sourceDir: string, files: string[]): Record<string, { computed: number; accepted: boolean }> {
  const run = spawnSync('python3', [HARNESS, sourceDir, ...files], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`reference implementation failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as Record<string, { computed: number; accepted: boolean }>;
}

if (missing !== undefined && askedFor) {
  describe('#KSUMMA reference asked for by SIE_REFERENCE_GIT', () => {
    it('is there: a reference that was asked for never passes as skipped', () => {
      throw new Error(`#KSUMMA reference check cannot run: ${missing}`);
    });
  });
}

describe.skipIf(missing !== undefined)('#KSUMMA cross-checked with an independent SIE implementation', () => {
  it('agrees on sandbank\'s exports and on the checksummed files real programs wrote', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sandbank-ksumma-'));
    const source = join(dir, 'accounting');
    mkdirSync(source);
    for (const name of ['crc.py', 'sie_import.py']) writeFileSync(join(source, name), git('show', `HEAD:accounting/${name}`).stdout);
    console.log(`reference: jacob22/accounting ${git('rev-parse', 'HEAD').stdout.toString().trim()}`);

    const ours: Record<string, Uint8Array> = {
      'ledger-export.se': ledgerExport(),
      'ledger-export-corrected.se': ledgerExport(1_234_56),
    };
    const tampered = decodeCp437(ledgerExport()).replace('#TRANS 3001 {} -61000.00', '#TRANS 3001 {} -61000.01').replace('#TRANS 1930 {} 76250.00', '#TRANS 1930 {} 76250.01');
    ours['tampered.se'] = encodeSie(tampered);
    const theirs = git('ls-tree', '-r', '--name-only', 'HEAD', 'accounting/test').stdout.toString().split('\n')
      .filter((path) => /\.(se|si)$/i.test(path))
      .map((path) => ({ path, bytes: new Uint8Array(git('show', `HEAD:${path}`).stdout) }))
      .filter(({ bytes }) => /^#FLAGGA[ \t]+0\r?\n#KSUMMA\r?\n/.test(decodeCp437(bytes.subarray(0, 64))));
    expect(theirs.length).toBeGreaterThanOrEqual(3);

    const files: string[] = [];
    for (const [name, bytes] of Object.entries(ours)) writeFileSync(join(dir, name), bytes), files.push(join(dir, name));
    theirs.forEach(({ bytes }, i) => { writeFileSync(join(dir, `theirs-${i}.se`), bytes); files.push(join(dir, `theirs-${i}.se`)); });
    const reference = runReference(source, files);

    for (const name of ['ledger-export.se', 'ledger-export-corrected.se']) {
      const bytes = ours[name] ?? new Uint8Array();
      const parsed = parseSieDetailed(bytes);
      expect(reference[join(dir, name)], name).toEqual({ computed: Number(parsed.checksum), accepted: true });
    }
    const parsedTampered = parseSieDetailed(ours['tampered.se'] ?? new Uint8Array());
    expect(reference[join(dir, 'tampered.se')]?.accepted).toBe(false);
    expect(checkSieChecksum(ours['tampered.se'] ?? new Uint8Array(), parsedTampered).map((i) => i.code)).toEqual(['SIE_CHECKSUM_MISMATCH']);

    theirs.forEach(({ path, bytes }, i) => {
      const parsed = parseSieDetailed(bytes);
      expect(reference[join(dir, `theirs-${i}.se`)], path).toEqual({ computed: Number(parsed.checksum), accepted: true });
      expect(checkSieChecksum(bytes, parsed), path).toEqual([]);
    });
  });
});
