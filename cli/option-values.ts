/**
 * Checks for option values, run by commander while it parses (`.option(flags, text, parser)`),
 * so a wrong value is refused before anything runs, in one line naming the option, the value
 * and what is allowed — and, like every usage error, with exit code 2 (cli/errors.ts).
 */
import { accessSync, constants, statSync, type Stats } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InvalidArgumentError } from 'commander';
import { checkBankgiro, checkPlusgiro, checkSwedishAccount, luhnCheckDigit } from '../formats/identifiers/index.ts';

/** An http(s) URL such as http://127.0.0.1:4010 (a bare host or a typo fails here, not inside fetch). */
export function httpUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError('not a URL: give one like http://127.0.0.1:4010.');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InvalidArgumentError(`a ${url.protocol.replace(/:$/, '')}: URL; give an http:// or https:// one, like http://127.0.0.1:4010.`);
  return value;
}

/** A whole number from 1 to `max`. */
export function positiveWholeNumber(max = 1_000_000): (value: string) => number {
  return (value) => {
    if (!/^\d{1,12}$/.test(value) || Number(value) < 1 || Number(value) > max) throw new InvalidArgumentError(`give a whole number from 1 to ${max}.`);
    return Number(value);
  };
}

/** A seed: a whole number from 0 to 2^32 − 1 (what the seeded random takes). */
export function seedNumber(value: string): number {
  if (!/^\d{1,10}$/.test(value) || Number(value) > 0xffff_ffff) throw new InvalidArgumentError('give a whole number from 0 to 4294967295.');
  return Number(value);
}

/**
 * A directory the command keeps its data in: an existing directory, or one it can create
 * (its nearest existing ancestor is a directory this process may write in).
 */
export function dataDirectory(value: string): string {
  const path = resolve(value);
  const existing = statOf(path);
  if (existing && !existing.isDirectory()) throw new InvalidArgumentError('is a file, not a directory: give a directory (an existing one or a new name).');
  if (existing) return value;
  let ancestor = dirname(path);
  let found = statOf(ancestor);
  while (!found && dirname(ancestor) !== ancestor) {
    ancestor = dirname(ancestor);
    found = statOf(ancestor);
  }
  if (found && !found.isDirectory()) throw new InvalidArgumentError(`cannot be created: ${ancestor} is a file, not a directory.`);
  try {
    accessSync(ancestor, constants.W_OK);
  } catch {
    throw new InvalidArgumentError(`cannot be created: not allowed to write in ${ancestor}.`);
  }
  return value;
}

/** A data file (a lowdb document or log): not a directory, and its directory usable. */
export function dataFile(value: string): string {
  if (statOf(resolve(value))?.isDirectory()) throw new InvalidArgumentError('is a directory: give a file name (e.g. .sandbank-client/company.json).');
  const directory = dirname(resolve(value));
  if (statOf(directory)?.isFile()) throw new InvalidArgumentError(`cannot be created: ${directory} is a file, not a directory.`);
  dataDirectory(directory);
  return value;
}

/** The path's status, or undefined when nothing is there (ENOENT, or a file where a directory should be). */
function statOf(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/** A Swedish organisation number, NNNNNN-NNNN: ten digits, the last a Luhn check digit. */
export function organisationNumber(value: string): string {
  const digits = value.replace(/[\s-]/g, '');
  if (!/^\d{10}$/.test(digits)) throw new InvalidArgumentError('an organisation number is ten digits, NNNNNN-NNNN (e.g. 556677-8899).');
  const expected = luhnCheckDigit(digits.slice(0, 9));
  if (String(expected) !== digits.slice(9)) throw new InvalidArgumentError(`the check digit is wrong (Luhn gives ${digits.slice(0, 6)}-${digits.slice(6, 9)}${expected}): check the organisation number.`);
  return value;
}

export function bankgiroNumber(value: string): string {
  const check = checkBankgiro(value);
  if (!check.ok) throw new InvalidArgumentError(`${check.message} (e.g. 5402-9681).`);
  return value;
}

export function plusgiroNumber(value: string): string {
  const check = checkPlusgiro(value);
  if (!check.ok) throw new InvalidArgumentError(`${check.message} (e.g. 41 78 03-2).`);
  return value;
}

/** `clearing,account`, e.g. 8105-9,694857993-0, checked with the banks' account rules. */
export function clearingAndAccount(value: string): string {
  const parts = value.split(',').map((s) => s.trim());
  if (parts.length !== 2 || !parts[0] || !parts[1]) throw new InvalidArgumentError('give clearing,account (e.g. 8105-9,694857993-0).');
  const check = checkSwedishAccount(parts[0], parts[1]);
  if (!check.ok) throw new InvalidArgumentError(`${check.message} (e.g. 8105-9,694857993-0).`);
  return value;
}
