/**
 * The simulator without the test-only routes (no provider-state endpoint), lowdb store in a
 * fresh directory, default body limit: the status-read figure is measured with and without
 * those routes mounted. Prints its URL as JSON.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRandom } from '../../formats/random.ts';
import { startSimulator } from '../../simulator/app.ts';
import { LowdbStore } from '../../simulator/store/lowdb.ts';

const simulator = await startSimulator({
  store: new LowdbStore(mkdtempSync(join(tmpdir(), 'sandbank-bench-'))),
  random: createRandom(5),
});
console.log(JSON.stringify({ url: simulator.url }));
process.on('SIGTERM', () => process.exit(0));
