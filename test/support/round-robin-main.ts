/**
 * `node --import tsx test/support/round-robin-main.ts <port> <upstream>…`: the test support's
 * round-robin balancer as a process, for .ci/run's scenario catalogue over two servers.
 */
import { roundRobin } from './round-robin.ts';

const [port, ...upstreams] = process.argv.slice(2);
if (port === undefined || upstreams.length === 0) {
  console.error('usage: round-robin-main.ts <port> <upstream url>…');
  process.exit(2);
}
const balancer = await roundRobin(() => upstreams, Number(port));
console.log(`round-robin at ${balancer.url} over ${upstreams.join(', ')}`);
process.once('SIGTERM', () => {
  console.log(`requests per upstream: ${balancer.counts.join(', ')}`);
  void balancer.close().then(() => process.exit(0));
});
