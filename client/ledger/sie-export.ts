/**
 * SIE 4 export of a journal, with everything an accounting overview reads: #RAR, #KONTO for
 * every account used, #IB (balance accounts, from the vouchers before the year), #UB, #RES,
 * #PSALDO per calendar month, #VER/#TRANS, framed by #KSUMMA. Shared by the reference client
 * and the bureau's program: both hand it their vouchers.
 */
import { encodeSie, writeSie, type SieFile } from '../../formats/sie/sie4.ts';

export interface ExportVoucher {
  series: string;
  number: number | string;
  /** YYYY-MM-DD */
  date: string;
  text: string;
  lines: { account: string; amountOre: number }[];
}

export interface SieExportInput {
  program: { name: string; version: string };
  company: { name: string; organisationNumber: string };
  /** YYYY-MM-DD, both inclusive. */
  fiscalYear: { start: string; end: string };
  /** YYYY-MM-DD: the day of the export (the caller's clock). */
  generated: string;
  /** Every voucher the books hold; those before the year make up the opening balances. */
  vouchers: readonly ExportVoucher[];
  accountNames: Readonly<Record<string, string>>;
}

const RETAINED_EARNINGS = '2091';
const DEFAULT_NAMES: Record<string, string> = { [RETAINED_EARNINGS]: 'Balanserad vinst eller förlust' };
const compact = (date: string) => date.replace(/-/g, '');
const isBalance = (account: string) => account < '3000';

function organisationNumber(text: string): string {
  const digits = text.replace(/\D/g, '');
  return digits.length === 10 ? `${digits.slice(0, 6)}-${digits.slice(6)}` : text;
}

export function buildSieExport(input: SieExportInput): SieFile {
  const { start, end } = input.fiscalYear;
  const before = input.vouchers.filter((v) => v.date < start);
  const inYear = input.vouchers.filter((v) => v.date >= start && v.date <= end);
  const opening = new Map<string, number>();
  // Earlier years' results were closed into equity: the opening balances carry them on 2091.
  for (const v of before) for (const l of v.lines) {
    const account = isBalance(l.account) ? l.account : RETAINED_EARNINGS;
    opening.set(account, (opening.get(account) ?? 0) + l.amountOre);
  }
  const change = new Map<string, number>();
  const monthly = new Map<string, Map<string, number>>();
  for (const v of inYear) {
    const period = compact(v.date).slice(0, 6);
    const month = monthly.get(period) ?? new Map<string, number>();
    monthly.set(period, month);
    for (const l of v.lines) {
      change.set(l.account, (change.get(l.account) ?? 0) + l.amountOre);
      month.set(l.account, (month.get(l.account) ?? 0) + l.amountOre);
    }
  }
  const accounts = [...new Set([...opening.keys(), ...change.keys()])].sort();
  const balanceAccounts = accounts.filter(isBalance);
  return {
    program: input.program,
    sieType: 4,
    generated: compact(input.generated),
    companyName: input.company.name,
    organisationNumber: organisationNumber(input.company.organisationNumber),
    fiscalYears: [{ index: 0, start: compact(start), end: compact(end) }],
    chartOfAccountsType: 'BAS2014',
    currency: 'SEK',
    accounts: accounts.map((number) => ({ number, name: input.accountNames[number] || DEFAULT_NAMES[number] || `Konto ${number}` })),
    openingBalances: balanceAccounts.map((account) => ({ yearIndex: 0, account, amountOre: opening.get(account) ?? 0 })),
    closingBalances: balanceAccounts.map((account) => ({ yearIndex: 0, account, amountOre: (opening.get(account) ?? 0) + (change.get(account) ?? 0) })),
    results: accounts.filter((a) => !isBalance(a) && change.has(a)).map((account) => ({ yearIndex: 0, account, amountOre: change.get(account) ?? 0 })),
    periodBalances: [...monthly.keys()].sort().flatMap((period) =>
      [...(monthly.get(period) ?? new Map<string, number>()).entries()].sort(([a], [b]) => a.localeCompare(b)).map(([account, amountOre]) => ({ yearIndex: 0, period, account, objects: '{}', amountOre }))),
    vouchers: inYear.map((v) => ({ series: v.series, number: String(v.number), date: compact(v.date), text: v.text, transactions: v.lines.map((l) => ({ account: l.account, objects: '{}', amountOre: l.amountOre })) })),
    other: [],
  };
}

/** The export as SIE text with its #KSUMMA. */
export function writeSieExport(input: SieExportInput): string {
  return writeSie(buildSieExport(input), { checksum: true });
}

/** The export as the CP437 bytes a SIE file is. */
export function encodeSieExport(input: SieExportInput): Uint8Array {
  return encodeSie(writeSieExport(input));
}
