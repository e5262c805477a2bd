/**
 * Version reads on a shared store, at most one round trip per request (decision 0014).
 *
 * A copy is fresh for a request when a version read *sent after the request arrived* matches
 * it: whatever another server committed before the request arrived is then seen. So reads are
 * shared: every check a request makes (its authorisation, then the read itself) uses the first
 * version read sent after the request arrived, and requests arriving while a read is in flight
 * share the next one, sent when it returns. Under load the store sees about one version read
 * per sandbox per round trip, whatever the number of requests.
 *
 * A request's arrival travels with its async work (AsyncLocalStorage), so nothing has to pass
 * it along; a call outside a request counts as arriving when it is made.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

interface Read {
  /** The tick at which the read was sent; it proves freshness for arrivals before it. */
  sent: number;
  version: Promise<number>;
  settled: boolean;
}

interface Reads {
  last?: Read;
  /** The read asked for while `last` was in flight: sent when it settles. */
  next?: Promise<number>;
}

export class VersionReads {
  /** Moves each time a read is sent: an arrival at tick t is served by a read sent at a tick > t. */
  private tick = 0;
  private readonly reads = new Map<string, Reads>();
  private readonly arrivals = new AsyncLocalStorage<number>();

  constructor(private readonly read: (id: string) => Promise<number>) {}

  /** Runs `fn` as one request: every check inside it shares one version read per sandbox. */
  withinRequest<T>(fn: () => T): T {
    return this.arrivals.run(this.tick, fn);
  }

  /** The stored version of `id`, as read after the current request arrived (or after now). */
  current(id: string): Promise<number> {
    const arrived = this.arrivals.getStore() ?? this.tick;
    const reads = this.reads.get(id) ?? {};
    this.reads.set(id, reads);
    if (reads.last && reads.last.sent > arrived) return reads.last.version;
    if (reads.next) return reads.next;
    const last = reads.last;
    if (!last || last.settled) return this.send(id, reads);
    // One read in flight per sandbox: the requests arriving meanwhile wait for the next.
    const next = last.version.catch(() => undefined).then(() => {
      reads.next = undefined;
      return this.send(id, reads);
    });
    reads.next = next;
    return next;
  }

  private send(id: string, reads: Reads): Promise<number> {
    const read: Read = { sent: ++this.tick, version: this.read(id), settled: false };
    reads.last = read;
    read.version.then(() => {
      read.settled = true;
    }, () => {
      // A failed read proves nothing: the next request sends its own.
      read.settled = true;
      if (reads.last === read) reads.last = undefined;
    });
    return read.version;
  }

  /** A sandbox gone: its reads are forgotten. */
  forget(id: string): void {
    this.reads.delete(id);
  }
}
