/**
 * `npx tsx bench/profile-intake.ts [payments] [profile-dir]`: one upload of a bulk pain.001
 * (default 100,000 payments) into a fresh `sandbank start` running under `node --cpu-prof`,
 * until a status read says validated; prints the bytes written, the RSS over time and, from
 * the profile written when the server stops, the top self-time functions. Where the time and
 * memory of an upload go, for issue 17's closing note; not part of `npm run bench`.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bulkPain001For } from '../test/support/payment-files.ts';
import { createSandbox, memoryMb, resetPeak, startShipped, uploadUntilValidated, writtenBytes } from './shipped.ts';

interface ProfileNode { id: number; callFrame: { functionName: string; url: string } }
interface CpuProfile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] }

const payments = Number(process.argv[2] ?? 100_000);
const profileDir = process.argv[3] ?? mkdtempSync(join(tmpdir(), 'sandbank-prof-'));
const dataDir = mkdtempSync(join(tmpdir(), 'sandbank-prof-data-'));
const server = await startShipped(dataDir, [], {}, ['--cpu-prof', `--cpu-prof-dir=${profileDir}`]);
try {
  const sandbox = await createSandbox(server.url);
  const bytes = Buffer.from(bulkPain001For(sandbox.sender, payments, '2026-03-16', 100, `PROF-${payments}`));
  resetPeak(server.pid);
  const before = writtenBytes(server.pid) ?? 0;
  const samples: { t: number; mb: number }[] = [];
  const t0 = performance.now();
  const sampler = setInterval(() => samples.push({ t: performance.now() - t0, mb: memoryMb(server.pid)?.rssMb ?? 0 }), 100);
  const timing = await uploadUntilValidated(sandbox, bytes);
  clearInterval(sampler);
  const upTo = (ms: number) => Math.max(...samples.filter((x) => x.t <= ms).map((x) => x.mb));
  console.log(`RSS max until the 202: ${upTo(timing.receivedMs).toFixed(0)} MB; until validated: ${upTo(timing.validatedMs).toFixed(0)} MB; every second: ${samples.filter((_, i) => i % 10 === 0).map((x) => x.mb.toFixed(0)).join(' ')}`);
  const written = (writtenBytes(server.pid) ?? 0) - before;
  console.log(`written ${(written / 1e6).toFixed(1)} MB = ${(written / bytes.length).toFixed(2)}× the file; peak RSS ${memoryMb(server.pid)?.peakMb.toFixed(0)} MB`);
  console.log(`${payments} payments, ${(bytes.length / 1e6).toFixed(1)} MB: 202 after ${timing.receivedMs.toFixed(0)} ms, validated after ${timing.validatedMs.toFixed(0)} ms (${timing.fileStatus})`);
} finally {
  await server.stop('SIGINT');
  rmSync(dataDir, { recursive: true, force: true });
}
// The main thread's profile is the largest (tsx's loader thread writes one too).
const file = readdirSync(profileDir).filter((f) => f.endsWith('.cpuprofile')).sort((a, b) => statSync(join(profileDir, b)).size - statSync(join(profileDir, a)).size)[0];
if (!file) throw new Error('no profile written');
const profile = JSON.parse(readFileSync(join(profileDir, file), 'utf8')) as CpuProfile;
const self = new Map<string, number>();
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
let total = 0;
profile.samples.forEach((id, i) => {
  const node = byId.get(id);
  const dt = profile.timeDeltas[i] ?? 0;
  total += dt;
  if (!node) return;
  // tsx compiles each module to one line: functions are named by file, not by line.
  const { functionName, url } = node.callFrame;
  const key = `${functionName || '(anonymous)'} ${url.replace(/^file:\/\/.*?\/(node_modules|formats|simulator|cli|bench)\//, '$1/')}`;
  self.set(key, (self.get(key) ?? 0) + dt);
});
const idle = [...self].filter(([k]) => k.startsWith('(idle)')).reduce((sum, [, us]) => sum + us, 0);
console.log(`profile ${join(profileDir, file)}: ${(total / 1000).toFixed(0)} ms sampled, ${((total - idle) / 1000).toFixed(0)} ms busy; top self time (% of busy):`);
for (const [key, us] of [...self].filter(([k]) => !k.startsWith('(idle)')).sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`${(us / 1000).toFixed(0).padStart(7)} ms ${(100 * us / (total - idle)).toFixed(1).padStart(5)}%  ${key}`);
