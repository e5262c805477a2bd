/** The simulator as a separate process for the HTTP benchmarks; prints its URL, a key and a file id. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRandom } from '../../formats/random.ts';
import { startSimulator } from '../../simulator/app.ts';
import { LowdbStore } from '../../simulator/store/lowdb.ts';
import { MemoryStore } from '../../simulator/store/memory.ts';
import { pain001For } from '../../test/support/payment-files.ts';

const useLowdb = process.argv.includes('--lowdb');
const simulator = await startSimulator({
  store: useLowdb ? new LowdbStore(mkdtempSync(join(tmpdir(), 'sandbank-bench-'))) : new MemoryStore(),
  random: createRandom(5),
  bodyLimitBytes: 200 * 1024 * 1024,
});
const created = await simulator.engine.createSandbox({ bank: 'swedbank', seed: 5, start: '2026-03-12T08:00:00' });
if (!created.ok) throw new Error(created.message);
const sandbox = created.value;
const upload = await simulator.engine.submitFile(sandbox.id, Buffer.from(pain001For(sandbox, [{ amountOre: 100, date: '2026-03-16' }, { amountOre: 200, date: '2026-03-16' }, { amountOre: 300, date: '2026-03-16' }])));
if (!upload.ok) throw new Error(upload.message);
await simulator.engine.settle(sandbox.id);
console.log(JSON.stringify({ url: simulator.url, key: sandbox.apiKey, sandboxId: sandbox.id, fileId: upload.value.fileId, sandbox }));
process.on('SIGTERM', () => process.exit(0));
