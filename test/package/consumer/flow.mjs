// A consumer's plain Node ESM script: the installed package, no TypeScript anywhere.
// upload → sign → clock → camt.054 against the in-process bank (msw, no port).
import { setupServer } from 'msw/node';
import { createSandbankHandlers } from 'sandbank/msw';
import { parseAccountReport, sampleFileFor } from 'sandbank/formats';

export async function paymentFlow() {
  const bank = createSandbankHandlers({ baseUrl: 'http://bank.test', seed: 42 });
  const server = setupServer(...bank.handlers);
  server.listen({ onUnhandledRequest: 'error' });
  try {
    const call = async (method, path, { key, json, body, type } = {}) => {
      const headers = { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(json ? { 'content-type': 'application/json' } : type ? { 'content-type': type } : {}) };
      const res = await fetch(`http://bank.test${path}`, { method, headers, body: json ? JSON.stringify(json) : body });
      const text = await res.text();
      if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
      return text.startsWith('{') ? JSON.parse(text) : text;
    };
    const sandbox = await call('POST', '/sandboxes', { json: { bank: 'swedbank' } });
    const key = sandbox.apiKey;
    const file = sampleFileFor('pain001', sandbox, { payments: 2 });
    const { fileId } = await call('POST', '/v1/swedbank/payment-files', { key, body: file.bytes, type: 'application/xml' });
    await call('POST', `/v1/swedbank/payment-files/${fileId}/signatures`, { key, json: { signedBy: 'Anna Admin', role: 'administrator', verification: 'totp' } });
    await call('POST', `/sandboxes/${sandbox.sandboxId}/clock/advance`, { key, json: { days: 7 } });
    const { reports } = await call('GET', '/v1/swedbank/reports?type=camt.054', { key });
    const camt = parseAccountReport(await call('GET', `/v1/swedbank/reports/${reports[0].reportId}`, { key }));
    const debited = camt.value.reports.flatMap((r) => r.entries).filter((e) => e.creditDebit === 'DBIT').reduce((sum, e) => sum + e.amountOre, 0);
    return { debitedOre: debited, totalOre: file.totalOre };
  } finally {
    server.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(await paymentFlow()));
