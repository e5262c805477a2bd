import { checkBankgiro, checkPlusgiro } from '../identifiers/giro.ts';
import { checkSwedishAccount, checkSwedishBban } from '../identifiers/account.ts';
import { checkBic, checkIban } from '../identifiers/iban.ts';
import { checkOcr, type OcrControl } from '../identifiers/ocr.ts';
import { issue, type FormatIssue } from '../issues.ts';
import { parseAmountToOre } from '../money.ts';
import type { AccountRef, CreditTransfer, Pain001Document, Party } from './model.ts';

/** What a bank profile decides about pain.001 contents (see simulator/banks). */
export interface Pain001Rules {
  /** The receiving bank's BIC: DbtrAgt must name it. */
  bic?: string;
  currencies: readonly string[];
  paymentMethods: readonly string[];
  /** Allowed characters in names, addresses and remittance text. */
  characterSet: RegExp;
  characterSetDescription: string;
  requireControlSum: boolean;
  maxAmountOre: number;
  /** OCR control level assumed for bankgiro/plusgiro payees (the bank cannot know each agreement). */
  ocrControl: OcrControl;
}

/** Swedbank SE domestic character set: basic Latin, digits, `/-?:().,'+`, space, å ä ö. */
export const SWEDISH_BASIC_CHARSET = /^[A-Za-z0-9/\-?:().,'+ åäöÅÄÖ]*$/;

export const DEFAULT_PAIN001_RULES: Pain001Rules = {
  currencies: ['SEK'],
  paymentMethods: ['TRF'],
  characterSet: SWEDISH_BASIC_CHARSET,
  characterSetDescription: "letters A–Z, å ä ö, digits, space and / - ? : ( ) . , ' +",
  requireControlSum: true,
  maxAmountOre: 99_999_999_999_99,
  ocrControl: 'check-digit',
};

export type CreditorKind =
  | { kind: 'bankgiro'; number: string }
  | { kind: 'plusgiro'; number: string }
  | { kind: 'account'; clearing: string; account: string }
  | { kind: 'iban'; iban: string; bic?: string };

const BANKGIRO_MEMBER = '9900';
const PLUSGIRO_MEMBER = '9960';

/**
 * Interprets Swedish creditor addressing (domain.md): bankgiro as Othr/Id with
 * SchmeNm/Prtry=BGNR (clearing 9900), plusgiro with clearing 9960 (or Prtry=PGNR), a bank
 * account as clearing + BBAN, or an IBAN. Returns the issue when it cannot be interpreted.
 */
export function classifyCreditor(tx: CreditTransfer, path: string): { ok: true; value: CreditorKind } | { ok: false; issue: FormatIssue } {
  const account = tx.creditorAccount;
  const member = tx.creditorAgent?.memberId;
  const fail = (code: FormatIssue['code'], message: string, value?: string) =>
    ({ ok: false, issue: issue(code, `${path}/CdtrAcct`, message, value === undefined ? {} : { value }) }) as const;
  if (!account) return fail('ACCOUNT_INVALID', 'creditor account (CdtrAcct) is missing');
  if ('iban' in account) {
    const check = checkIban(account.iban);
    if (!check.ok) return fail('IBAN_INVALID', check.message, account.iban);
    const bic = tx.creditorAgent?.bic;
    return { ok: true, value: bic === undefined ? { kind: 'iban', iban: check.iban } : { kind: 'iban', iban: check.iban, bic } };
  }
  const id = account.other;
  const proprietary = account.schemeProprietary?.toUpperCase();
  if (proprietary === 'BGNR' || (member === BANKGIRO_MEMBER && proprietary === undefined && account.schemeCode === undefined)) {
    if (member !== undefined && member !== BANKGIRO_MEMBER) {
      return fail('CREDITOR_ADDRESSING_INCONSISTENT', `bankgiro payee must have clearing member id ${BANKGIRO_MEMBER}, got ${member}`, member);
    }
    const check = checkBankgiro(id);
    return check.ok ? { ok: true, value: { kind: 'bankgiro', number: check.number } } : fail('BANKGIRO_INVALID', check.message, id);
  }
  if (proprietary === 'PGNR' || member === PLUSGIRO_MEMBER) {
    const check = checkPlusgiro(id);
    return check.ok ? { ok: true, value: { kind: 'plusgiro', number: check.number } } : fail('PLUSGIRO_INVALID', check.message, id);
  }
  if (account.schemeCode === 'BBAN' || account.schemeCode === undefined) {
    if (member !== undefined && /^\d{4,5}$/.test(member)) {
      const digits = id.replace(/[\s-]/g, '');
      // Some senders repeat the clearing number at the start of the BBAN.
      const accountPart = digits.startsWith(member) && digits.length > member.length + 6 ? digits.slice(member.length) : digits;
      const check = checkSwedishAccount(member, accountPart);
      if (!check.ok) return fail(check.reason === 'clearing' ? 'CLEARING_INVALID' : 'ACCOUNT_INVALID', check.message, `${member} ${id}`);
      return { ok: true, value: { kind: 'account', clearing: check.value.clearing, account: check.value.account } };
    }
    const check = checkSwedishBban(id);
    if (!check.ok) return fail(check.reason === 'clearing' ? 'CLEARING_INVALID' : 'ACCOUNT_INVALID', check.message, id);
    return { ok: true, value: { kind: 'account', clearing: check.value.clearing, account: check.value.account } };
  }
  return fail('ACCOUNT_INVALID', `unsupported creditor account scheme ${account.schemeCode ?? account.schemeProprietary}`, id);
}

export function checkDebtorAccount(account: AccountRef, path: string): FormatIssue | undefined {
  if ('iban' in account) {
    const check = checkIban(account.iban);
    return check.ok ? undefined : issue('DEBTOR_ACCOUNT_INVALID', `${path}/DbtrAcct/Id/IBAN`, check.message, { value: account.iban });
  }
  if (account.schemeProprietary?.toUpperCase() === 'BGNR') {
    const check = checkBankgiro(account.other);
    return check.ok ? undefined : issue('DEBTOR_ACCOUNT_INVALID', `${path}/DbtrAcct/Id/Othr/Id`, `debtor bankgiro: ${check.message}`, { value: account.other });
  }
  const check = checkSwedishBban(account.other);
  return check.ok ? undefined : issue('DEBTOR_ACCOUNT_INVALID', `${path}/DbtrAcct/Id/Othr/Id`, `debtor account: ${check.message}`, { value: account.other });
}

/** `path` + `suffix` is joined only when there is an issue: this runs for every text of every payment. */
function checkText(rules: Pain001Rules, text: string | undefined, path: string, suffix: string, out: FormatIssue[]): void {
  if (text !== undefined && !rules.characterSet.test(text)) {
    path += suffix;
    const bad = [...new Set([...text].filter((c) => !rules.characterSet.test(c)))].join('');
    out.push(issue('CHARSET', path, `characters ${JSON.stringify(bad)} are outside the bank's character set (${rules.characterSetDescription})`, { value: text }));
  }
}

function checkParty(rules: Pain001Rules, party: Party, path: string, out: FormatIssue[]): void {
  checkText(rules, party.name, path, '/Nm', out);
  const address = party.postalAddress;
  if (!address) return;
  checkText(rules, address.streetName, path, '/PstlAdr/StrtNm', out);
  checkText(rules, address.townName, path, '/PstlAdr/TwnNm', out);
  address.addressLines?.forEach((line, i) => checkText(rules, line, path, `/PstlAdr/AdrLine[${i + 1}]`, out));
}

function compareControlSum(declared: string, actualOre: number, path: string, out: FormatIssue[]): void {
  const parsed = parseAmountToOre(declared);
  if (!parsed.ok || parsed.ore !== actualOre) {
    out.push(issue('CTRL_SUM_MISMATCH', path, `control sum ${declared} does not equal the sum of the amounts ${(actualOre / 100).toFixed(2)}`, { value: declared }));
  }
}

function validateTransaction(rules: Pain001Rules, tx: CreditTransfer, path: string, out: FormatIssue[], creditors: (CreditorKind | undefined)[] | undefined): void {
  if (tx.amountOre <= 0) out.push(issue('AMOUNT_NOT_POSITIVE', `${path}/Amt/InstdAmt`, 'amount must be greater than zero', { value: String(tx.amountOre / 100) }));
  else if (tx.amountOre > rules.maxAmountOre) out.push(issue('AMOUNT_TOO_LARGE', `${path}/Amt/InstdAmt`, 'amount exceeds the largest amount the bank accepts', { value: String(tx.amountOre / 100) }));
  if (!rules.currencies.includes(tx.currency)) {
    out.push(issue('CURRENCY_NOT_ALLOWED', `${path}/Amt/InstdAmt/@Ccy`, `currency ${tx.currency} is not accepted (accepted: ${rules.currencies.join(', ')})`, { value: tx.currency }));
  }
  const creditor = classifyCreditor(tx, path);
  if (!creditor.ok) out.push(creditor.issue);
  creditors?.push(creditor.ok ? creditor.value : undefined);
  if (tx.creditorAgent?.bic !== undefined && !checkBic(tx.creditorAgent.bic)) {
    out.push(issue('BIC_INVALID', `${path}/CdtrAgt/FinInstnId/BIC`, 'creditor agent BIC is invalid', { value: tx.creditorAgent.bic }));
  }
  const giro = creditor.ok && (creditor.value.kind === 'bankgiro' || creditor.value.kind === 'plusgiro');
  if (!giro && (tx.creditor.name === undefined || tx.creditor.name.trim() === '')) {
    out.push(issue('NAME_MISSING', `${path}/Cdtr/Nm`, 'creditor name is required for payments to a bank account'));
  }
  checkParty(rules, tx.creditor, `${path}/Cdtr`, out);
  tx.unstructuredRemittance.forEach((text, i) => checkText(rules, text, path, `/RmtInf/Ustrd[${i + 1}]`, out));
  tx.structuredRemittance.forEach((strd, i) => {
    const strdPath = `${path}/RmtInf/Strd[${i + 1}]`;
    if (strd.creditorReferenceType === 'SCOR') {
      const reference = strd.creditorReference ?? '';
      const check = checkOcr(reference, rules.ocrControl);
      if (!check.ok) out.push(issue('OCR_INVALID', `${strdPath}/CdtrRefInf/Ref`, check.message, { value: reference }));
      if (creditor.ok && creditor.value.kind === 'account') {
        out.push(issue('OCR_INVALID', `${strdPath}/CdtrRefInf/Ref`, 'an OCR reference can only be sent to a bankgiro or plusgiro payee', { value: reference, severity: 'warning' }));
      }
    } else if (strd.creditorReference !== undefined) {
      checkText(rules, strd.creditorReference, strdPath, '/CdtrRefInf/Ref', out);
    }
    // 0.00 is what ERPs write when an invoice has no credit note; only a negative amount is wrong.
    if (strd.creditNoteAmountOre !== undefined && strd.creditNoteAmountOre < 0) {
      out.push(issue('AMOUNT_NOT_POSITIVE', `${strdPath}/RfrdDocAmt/CdtNoteAmt`, 'credit note amount must not be negative'));
    }
  });
}

/** The EndToEndId a debtor writes when it has none (ISO 20022 usage rule). */
export const NOT_PROVIDED = 'NOTPROVIDED';

/**
 * The Swedish and bank-profile rules on top of the schema: totals, identifiers with check
 * digits, OCR references, currencies, character set. Every problem, each with its path.
 * `creditors`, when given, receives each transaction's creditor as `classifyCreditor` reads
 * it (undefined where it cannot), in document order, so a caller need not classify again.
 */
export function validatePain001(doc: Pain001Document, rules: Pain001Rules = DEFAULT_PAIN001_RULES, creditors?: (CreditorKind | undefined)[]): FormatIssue[] {
  const out: FormatIssue[] = [];
  const root = '/Document/CstmrCdtTrfInitn';
  const header = doc.groupHeader;
  let count = 0;
  let totalOre = 0;
  const pmtInfIds = new Set<string>();
  const endToEndIds = new Set<string>();
  checkParty(rules, header.initiatingParty, `${root}/GrpHdr/InitgPty`, out);
  doc.paymentInformation.forEach((pmtInf, i) => {
    const path = `${root}/PmtInf[${i + 1}]`;
    if (pmtInfIds.has(pmtInf.paymentInformationId)) {
      out.push(issue('DUPLICATE_PAYMENT_INFO_ID', `${path}/PmtInfId`, 'PmtInfId must be unique within the file', { value: pmtInf.paymentInformationId }));
    }
    pmtInfIds.add(pmtInf.paymentInformationId);
    if (!rules.paymentMethods.includes(pmtInf.paymentMethod)) {
      out.push(issue('PAYMENT_METHOD_NOT_ALLOWED', `${path}/PmtMtd`, `payment method ${pmtInf.paymentMethod} is not accepted (accepted: ${rules.paymentMethods.join(', ')})`, { value: pmtInf.paymentMethod }));
    }
    const debtorAccount = checkDebtorAccount(pmtInf.debtorAccount, path);
    if (debtorAccount) out.push(debtorAccount);
    const bic = pmtInf.debtorAgent.bic;
    if (bic !== undefined && !checkBic(bic)) out.push(issue('BIC_INVALID', `${path}/DbtrAgt/FinInstnId/BIC`, 'debtor agent BIC is invalid', { value: bic }));
    else if (rules.bic !== undefined && bic !== undefined && bic.slice(0, 8) !== rules.bic.slice(0, 8)) {
      out.push(issue('BIC_INVALID', `${path}/DbtrAgt/FinInstnId/BIC`, `file is sent to ${rules.bic} but the debtor agent is ${bic}`, { value: bic }));
    }
    checkParty(rules, pmtInf.debtor, `${path}/Dbtr`, out);
    let pmtInfTotal = 0;
    pmtInf.transactions.forEach((tx, j) => {
      const txPath = `${path}/CdtTrfTxInf[${j + 1}]`;
      // NOTPROVIDED is the standard value when the debtor gives no id: not an id to keep unique.
      if (tx.endToEndId !== NOT_PROVIDED) {
        if (endToEndIds.has(tx.endToEndId)) {
          out.push(issue('DUPLICATE_END_TO_END_ID', `${txPath}/PmtId/EndToEndId`, 'EndToEndId must be unique within the file: statuses are reported per EndToEndId', { value: tx.endToEndId }));
        }
        endToEndIds.add(tx.endToEndId);
      }
      validateTransaction(rules, tx, txPath, out, creditors);
      pmtInfTotal += tx.amountOre;
    });
    if (pmtInf.numberOfTransactions !== undefined && Number(pmtInf.numberOfTransactions) !== pmtInf.transactions.length) {
      out.push(issue('NB_OF_TXS_MISMATCH', `${path}/NbOfTxs`, `NbOfTxs says ${pmtInf.numberOfTransactions} but the payment information holds ${pmtInf.transactions.length} transactions`, { value: pmtInf.numberOfTransactions }));
    }
    if (pmtInf.controlSum !== undefined) compareControlSum(pmtInf.controlSum, pmtInfTotal, `${path}/CtrlSum`, out);
    count += pmtInf.transactions.length;
    totalOre += pmtInfTotal;
  });
  if (Number(header.numberOfTransactions) !== count) {
    out.push(issue('NB_OF_TXS_MISMATCH', `${root}/GrpHdr/NbOfTxs`, `NbOfTxs says ${header.numberOfTransactions} but the file holds ${count} transactions`, { value: header.numberOfTransactions }));
  }
  if (header.controlSum !== undefined) compareControlSum(header.controlSum, totalOre, `${root}/GrpHdr/CtrlSum`, out);
  else if (rules.requireControlSum) out.push(issue('CTRL_SUM_MISSING', `${root}/GrpHdr/CtrlSum`, 'CtrlSum is required by the bank (the sum of all amounts)'));
  return out;
}
