/**
 * Which webhook URLs the server will call. A shared server must not become a way into its own
 * network: only http/https, only public addresses unless the operator allows more
 * (`--webhook-allow`), loopback only while the server itself listens on loopback (a laptop,
 * where the receiver is the developer's own test). The address rule is applied to the address
 * actually connected to, at every attempt (see `lookup`), so a name that later resolves
 * elsewhere gains nothing. URLs are refused, never repaired.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

export interface WebhookPolicyOptions {
  /** Hostnames, IP addresses or CIDR ranges the operator allows besides public addresses. */
  allow?: readonly string[];
  /** The server listens only on a loopback address: loopback receivers are the user's own. */
  serverOnLoopback: boolean;
}

export type UrlCheck = { ok: true; url: URL } | { ok: false; reason: string };

export class WebhookRefused extends Error {
  readonly code = 'WEBHOOK_REFUSED';
}

const MAX_URL_LENGTH = 2048;

export class WebhookPolicy {
  private readonly hosts = new Set<string>();
  private readonly ranges: [ipaddr.IPv4 | ipaddr.IPv6, number][] = [];

  constructor(private readonly options: WebhookPolicyOptions) {
    for (const entry of options.allow ?? []) {
      const value = entry.trim().toLowerCase();
      if (value === '') continue;
      if (value.includes('/')) this.ranges.push(ipaddr.parseCIDR(value));
      else if (ipaddr.isValid(value)) {
        const address = normalise(ipaddr.parse(value));
        this.ranges.push([address, address.kind() === 'ipv4' ? 32 : 128]);
      } else this.hosts.add(value);
    }
  }

  /** The URL as written: scheme, shape, and (for literal addresses and localhost) the address rule. */
  checkUrl(raw: string): UrlCheck {
    // The URL parser silently drops tabs and newlines: a URL holding them is refused instead.
    if (/[\u0000-\u0020\u007f]/.test(raw)) return { ok: false, reason: 'the URL contains whitespace or control characters' };
    if (raw.length > MAX_URL_LENGTH) return { ok: false, reason: `the URL is longer than ${MAX_URL_LENGTH} characters` };
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return { ok: false, reason: 'not an absolute URL' };
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, reason: `scheme ${url.protocol.replace(/:$/, '')} is not allowed: use http or https` };
    if (url.username !== '' || url.password !== '') return { ok: false, reason: 'credentials in the URL are not allowed: use the webhook secret to authenticate deliveries' };
    if (url.hostname === '') return { ok: false, reason: 'the URL has no host' };
    const host = bareHost(url.hostname);
    if (this.hosts.has(host)) return { ok: true, url };
    if (ipaddr.isValid(host)) {
      const reason = this.addressRefusal(host);
      return reason === undefined ? { ok: true, url } : { ok: false, reason };
    }
    if (host === 'localhost' || host.endsWith('.localhost')) {
      const reason = this.addressRefusal('127.0.0.1');
      return reason === undefined ? { ok: true, url } : { ok: false, reason };
    }
    return { ok: true, url };
  }

  /** Why an address may not be called, or undefined when it may. */
  addressRefusal(address: string, hostname?: string): string | undefined {
    if (hostname !== undefined && this.hosts.has(bareHost(hostname))) return undefined;
    if (!ipaddr.isValid(address)) return `${address} is not an IP address`;
    const parsed = normalise(ipaddr.parse(address));
    if (this.ranges.some(([base, bits]) => base.kind() === parsed.kind() && parsed.match(base, bits))) return undefined;
    const range = parsed.range();
    if (range === 'unicast') return undefined;
    if (range === 'loopback') {
      return this.options.serverOnLoopback ? undefined : `${address} is a loopback address and this server serves other hosts (allow it with --webhook-allow)`;
    }
    return `${address} is in a ${range} range (allow it with --webhook-allow)`;
  }

  /** A `lookup` for node:http: resolves, then refuses unless every resolved address is allowed. */
  readonly lookup: LookupFunction = (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 4);
      for (const { address } of addresses) {
        const reason = this.addressRefusal(address, hostname);
        if (reason !== undefined) return callback(new WebhookRefused(`webhook refused: ${hostname} resolves to ${reason}`), '', 4);
      }
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      const first = addresses[0];
      if (!first) return callback(new WebhookRefused(`webhook refused: ${hostname} has no address`), '', 4);
      callback(null, first.address, first.family);
    });
  };
}

function bareHost(hostname: string): string {
  const lower = hostname.toLowerCase().replace(/\.$/, '');
  return lower.startsWith('[') && lower.endsWith(']') ? lower.slice(1, -1) : lower;
}

/** An IPv4-mapped IPv6 address is judged as the IPv4 address it carries. */
function normalise(address: ipaddr.IPv4 | ipaddr.IPv6): ipaddr.IPv4 | ipaddr.IPv6 {
  return address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress() ? (address as ipaddr.IPv6).toIPv4Address() : address;
}
