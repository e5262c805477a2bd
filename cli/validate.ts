import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { FORMATS, isFileFormat, validateFile, type FileValidation } from '../formats/detect.ts';
import { BANKS, isBankId } from '../simulator/banks/index.ts';
import { bankDayIssues } from './bank-day-rule.ts';

export const EXIT_VALID = 0;
export const EXIT_INVALID = 1;
export const EXIT_UNREADABLE = 2;

function printHuman(file: string, result: FileValidation, out: (line: string) => void): void {
  out(`${file}: ${result.format ?? 'unknown format'} — ${result.ok ? 'valid' : 'INVALID'}`);
  for (const [key, value] of Object.entries(result.summary)) {
    if (value === undefined) continue;
    out(`  ${key.padEnd(16)} ${Array.isArray(value) ? value.join(', ') || '(none)' : value}`);
  }
  const errors = result.issues.filter((i) => i.severity === 'error');
  const warnings = result.issues.filter((i) => i.severity === 'warning');
  if (result.issues.length > 0) out(`  ${errors.length} error(s), ${warnings.length} warning(s):`);
  for (const found of result.issues) {
    const where = found.line !== undefined && !found.path.startsWith('line') ? `${found.path} (line ${found.line})` : found.path;
    out(`  ${where}  ${found.code}${found.severity === 'warning' ? ' (warning)' : ''}  ${found.message}`);
  }
}

/** Runs `sandbank validate`; returns the exit code (kept separate from process.exit for tests). */
export function runValidate(file: string, options: { format: string; bank: string; json?: boolean }, out: (line: string) => void = console.log, err: (line: string) => void = console.error): number {
  if (!isBankId(options.bank)) {
    err(`unknown bank "${options.bank}" (swedbank or sparbanken)`);
    return EXIT_UNREADABLE;
  }
  if (options.format !== 'auto' && !isFileFormat(options.format)) {
    err(`unknown format "${options.format}" (auto, ${FORMATS.join(', ')})`);
    return EXIT_UNREADABLE;
  }
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    err(`cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
    return EXIT_UNREADABLE;
  }
  const format = options.format === 'auto' ? undefined : options.format;
  const checked = validateFile(bytes, format !== undefined && isFileFormat(format) ? { format, rules: BANKS[options.bank].pain001Rules } : { rules: BANKS[options.bank].pain001Rules });
  const dated = bankDayIssues(checked, BANKS[options.bank]);
  const result = { ...checked, ok: checked.ok && !dated.some((i) => i.severity === 'error'), issues: [...checked.issues, ...dated] };
  if (options.json) out(JSON.stringify({ file, bank: options.bank, ...result }, null, 2));
  else printHuman(file, result, out);
  return result.ok ? EXIT_VALID : EXIT_INVALID;
}

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('check a payment file the way the bank would: "will Swedbank accept my file?"')
    .argument('<file>', 'pain.001, pain.002, camt.05x, camt.029/055, Bankgirot LB or BgMax, SIE 4')
    .option('--format <format>', `auto or one of ${FORMATS.join(', ')}`, 'auto')
    .option('--bank <bank>', 'swedbank or sparbanken', 'swedbank')
    .option('--json', 'machine-readable output')
    .action((file: string, options: { format: string; bank: string; json?: boolean }) => {
      process.exitCode = runValidate(file, options);
    });
}
