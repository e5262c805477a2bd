/**
 * The BgMax files in a bank's reports mailbox (the simulated bank or a partner bank, through
 * client/bank's BankConnection). Reading them all again is harmless: each payment's identity
 * comes from the file, so the bureau books it once.
 */
import { BankConnection } from '../bank/connection.ts';

export async function bgmaxFilesFromBank(options: { baseUrl: string; bank: 'swedbank' | 'sparbanken'; apiKey: string }): Promise<{ reportId: string; bytes: Uint8Array }[]> {
  const conn = new BankConnection({ baseUrl: options.baseUrl, bank: options.bank, apiKey: options.apiKey });
  const files: { reportId: string; bytes: Uint8Array }[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await conn.reports(after);
    for (const report of page.reports) if (report.type === 'bgmax') files.push({ reportId: report.reportId, bytes: await conn.downloadReport(report.reportId) });
    if (!page.nextCursor || page.nextCursor === after || page.reports.length === 0) return files;
    after = page.nextCursor;
  }
}
