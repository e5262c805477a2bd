import { issue, result, type FormatIssue, type ParseResult } from '../issues.ts';
import { parseAmountToOre } from '../money.ts';
import { decodeXml } from '../xml/decode.ts';
import { all, first } from '../xml/fields.ts';
import { schema as camt05202 } from '../xml/schemas/camt.052.001.02.ts';
import { schema as camt05208 } from '../xml/schemas/camt.052.001.08.ts';
import { schema as camt05302 } from '../xml/schemas/camt.053.001.02.ts';
import { schema as camt05308 } from '../xml/schemas/camt.053.001.08.ts';
import { schema as camt05402 } from '../xml/schemas/camt.054.001.02.ts';
import { schema as camt05408 } from '../xml/schemas/camt.054.001.08.ts';
import { readIsoXml, type Fields, type RecordLocation } from '../xml/stream.ts';
import { ACCOUNT_REPORT_MESSAGES, ACCOUNT_REPORT_ROOTS, type AccountReport, type AccountReportDocument, type CounterpartyAccount, type CreditDebit, type EntryTransaction, type ReportEntry } from './report-model.ts';

export const ACCOUNT_REPORT_SCHEMAS = [camt05202, camt05208, camt05302, camt05308, camt05402, camt05408];

function ore(fields: Fields, key: string, at: RecordLocation, issues: FormatIssue[]): number {
  const text = first(fields, key);
  if (text === undefined) return 0;
  const parsed = parseAmountToOre(text.trim());
  if (parsed.ok) return parsed.ore;
  if (parsed.reason === 'decimals') issues.push(issue('AMOUNT_DECIMALS', `${at.path}/${key}`, 'amount has more than 2 decimals', { value: text, line: at.line }));
  return 0;
}

function creditDebit(text: string | undefined): CreditDebit {
  return text === 'DBIT' ? 'DBIT' : 'CRDT';
}

function readCounterpartyAccount(fields: Fields, base: string): CounterpartyAccount | undefined {
  const iban = first(fields, `${base}/Id/IBAN`);
  if (iban !== undefined) return { iban };
  const other = first(fields, `${base}/Id/Othr/Id`);
  if (other === undefined) return undefined;
  const code = first(fields, `${base}/Id/Othr/SchmeNm/Cd`);
  return { other, scheme: code !== undefined ? { code } : { proprietary: first(fields, `${base}/Id/Othr/SchmeNm/Prtry`) ?? '' } };
}

function readTransaction(fields: Fields, at: RecordLocation, issues: FormatIssue[]): EntryTransaction {
  const tx: EntryTransaction = { unstructuredRemittance: all(fields, 'RmtInf/Ustrd') };
  const set = <K extends keyof EntryTransaction>(key: K, value: EntryTransaction[K] | undefined) => {
    if (value !== undefined) tx[key] = value;
  };
  set('messageId', first(fields, 'Refs/MsgId'));
  set('accountServicerReference', first(fields, 'Refs/AcctSvcrRef'));
  set('paymentInformationId', first(fields, 'Refs/PmtInfId'));
  set('instructionId', first(fields, 'Refs/InstrId'));
  set('endToEndId', first(fields, 'Refs/EndToEndId'));
  const amountKey = fields.has('Amt') ? 'Amt' : fields.has('AmtDtls/TxAmt/Amt') ? 'AmtDtls/TxAmt/Amt' : fields.has('AmtDtls/InstdAmt/Amt') ? 'AmtDtls/InstdAmt/Amt' : undefined;
  if (amountKey) {
    tx.amountOre = ore(fields, amountKey, at, issues);
    set('currency', first(fields, `${amountKey}@Ccy`));
  }
  const cdtDbt = first(fields, 'CdtDbtInd');
  if (cdtDbt !== undefined) tx.creditDebit = creditDebit(cdtDbt);
  set('debtorName', first(fields, 'RltdPties/Dbtr/Nm') ?? first(fields, 'RltdPties/Dbtr/Pty/Nm'));
  set('creditorName', first(fields, 'RltdPties/Cdtr/Nm') ?? first(fields, 'RltdPties/Cdtr/Pty/Nm'));
  set('debtorAccount', readCounterpartyAccount(fields, 'RltdPties/DbtrAcct'));
  set('creditorAccount', readCounterpartyAccount(fields, 'RltdPties/CdtrAcct'));
  set('creditorReferenceType', first(fields, 'RmtInf/Strd/CdtrRefInf/Tp/CdOrPrtry/Cd'));
  set('creditorReference', first(fields, 'RmtInf/Strd/CdtrRefInf/Ref'));
  return tx;
}

/** Reads camt.052 / 053 / 054 (.02 or .08), schema-checked, into one model. */
export function parseAccountReport(input: string | Uint8Array): ParseResult<AccountReportDocument> {
  const decoded = decodeXml(input);
  if (!decoded.ok) return { ok: false, issues: [decoded.issue] };
  const issues: FormatIssue[] = [];
  const reports: AccountReport[] = [];
  let header: { messageId: string; creationDateTime: string } | undefined;
  let current: AccountReport | undefined;
  let entryTransactions: EntryTransaction[] = [];
  const boundaries = new Set<string>();
  for (const { root, report } of Object.values(ACCOUNT_REPORT_ROOTS)) {
    const base = `Document/${root}/${report}`;
    for (const path of [`Document/${root}/GrpHdr`, base, `${base}/Bal`, `${base}/Ntry`, `${base}/Ntry/NtryDtls/TxDtls`]) boundaries.add(path);
  }
  const read = readIsoXml(decoded.text, ACCOUNT_REPORT_SCHEMAS, {
    boundaries,
    open(path) {
      if (path.endsWith('/Ntry')) entryTransactions = [];
      else if (/\/(Rpt|Stmt|Ntfctn)$/.test(path)) {
        current = { id: '', creationDateTime: '', account: {}, balances: [], entries: [] };
        reports.push(current);
      }
    },
    close(path, fields, at) {
      if (path.endsWith('/GrpHdr')) header = { messageId: first(fields, 'MsgId') ?? '', creationDateTime: first(fields, 'CreDtTm') ?? '' };
      else if (path.endsWith('/TxDtls')) entryTransactions.push(readTransaction(fields, at, issues));
      else if (path.endsWith('/Bal') && current) {
        const amountOre = ore(fields, 'Amt', at, issues);
        current.balances.push({
          type: first(fields, 'Tp/CdOrPrtry/Cd') ?? first(fields, 'Tp/CdOrPrtry/Prtry') ?? '',
          amountOre: first(fields, 'CdtDbtInd') === 'DBIT' ? -amountOre : amountOre,
          currency: first(fields, 'Amt@Ccy') ?? '',
          date: first(fields, 'Dt/Dt') ?? first(fields, 'Dt/DtTm')?.slice(0, 10) ?? '',
        });
      } else if (path.endsWith('/Ntry') && current) {
        const entry: ReportEntry = {
          amountOre: ore(fields, 'Amt', at, issues),
          currency: first(fields, 'Amt@Ccy') ?? '',
          creditDebit: creditDebit(first(fields, 'CdtDbtInd')),
          status: first(fields, 'Sts') ?? first(fields, 'Sts/Cd') ?? '',
          bankTransactionCode: {
            domain: first(fields, 'BkTxCd/Domn/Cd') ?? '',
            family: first(fields, 'BkTxCd/Domn/Fmly/Cd') ?? '',
            subFamily: first(fields, 'BkTxCd/Domn/Fmly/SubFmlyCd') ?? '',
          },
          transactions: entryTransactions,
        };
        // .02 has no CdtDbtInd per transaction: it inherits the entry's.
        for (const tx of entryTransactions) if (tx.amountOre !== undefined && tx.creditDebit === undefined) tx.creditDebit = entry.creditDebit;
        const optional = [['entryReference', 'NtryRef'], ['bookingDate', 'BookgDt/Dt'], ['valueDate', 'ValDt/Dt'], ['accountServicerReference', 'AcctSvcrRef']] as const;
        for (const [key, tag] of optional) {
          const value = first(fields, tag);
          if (value !== undefined) entry[key] = value;
        }
        current.entries.push(entry);
      } else if (current) {
        current.id = first(fields, 'Id') ?? '';
        current.creationDateTime = first(fields, 'CreDtTm') ?? '';
        const optional = [['electronicSequenceNumber', 'ElctrncSeqNb'], ['fromDateTime', 'FrToDt/FrDtTm'], ['toDateTime', 'FrToDt/ToDtTm']] as const;
        for (const [key, tag] of optional) {
          const value = first(fields, tag);
          if (value !== undefined) current[key] = value;
        }
        const accountFields = [['iban', 'Acct/Id/IBAN'], ['other', 'Acct/Id/Othr/Id'], ['currency', 'Acct/Ccy'], ['ownerName', 'Acct/Ownr/Nm']] as const;
        for (const [key, tag] of accountFields) {
          const value = first(fields, tag);
          if (value !== undefined) current.account[key] = value;
        }
        const servicerBic = first(fields, 'Acct/Svcr/FinInstnId/BIC') ?? first(fields, 'Acct/Svcr/FinInstnId/BICFI');
        const servicerName = first(fields, 'Acct/Svcr/FinInstnId/Nm');
        if (servicerBic !== undefined) current.account.servicer = servicerName === undefined ? { bic: servicerBic } : { bic: servicerBic, name: servicerName };
      }
    },
  });
  const all_ = [...read.issues, ...issues];
  const message = ACCOUNT_REPORT_MESSAGES.find((m) => m === read.schema?.message);
  if (!read.complete || !message || !header) return { ok: false, issues: all_ };
  return result({ message, messageId: header.messageId, creationDateTime: header.creationDateTime, reports }, all_);
}
