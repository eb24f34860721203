import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/**
 * Where a webhook may be sent. A URL is the caller's input and the server sends requests to it:
 * without these checks an endpoint could make the server reach its own network (the cloud's
 * metadata service at 169.254.169.254, a database on 10.x, a port on loopback). So:
 * - at creation: http(s) only (https only in production), no credentials, at most 2,048
 *   characters, and no literal address that is not public;
 * - at each delivery: the host is resolved, every address it resolves to must be public, and the
 *   connection goes to the address that was checked (see `webhook-sender.ts`), so a second DNS
 *   answer cannot swap in a private one between the check and the connection.
 * WEBHOOK_ALLOWED_HOSTS names hosts (or addresses) exempt from the address rule, for tests and
 * development receivers on loopback.
 */

export const MAX_URL_LENGTH = 2048;

/** Ranges no webhook goes to: private, loopback, link-local, unspecified, shared, reserved, multicast. */
const NOT_PUBLIC: readonly [string, number, 'ipv4' | 'ipv6', string][] = [
  ['0.0.0.0', 8, 'ipv4', 'an unspecified address'],
  ['10.0.0.0', 8, 'ipv4', 'a private address'],
  ['100.64.0.0', 10, 'ipv4', 'a shared (carrier-grade NAT) address'],
  ['127.0.0.0', 8, 'ipv4', 'a loopback address'],
  ['169.254.0.0', 16, 'ipv4', 'a link-local address'],
  ['172.16.0.0', 12, 'ipv4', 'a private address'],
  ['192.0.0.0', 24, 'ipv4', 'a reserved address'],
  ['192.0.2.0', 24, 'ipv4', 'a documentation address'],
  ['192.168.0.0', 16, 'ipv4', 'a private address'],
  ['198.18.0.0', 15, 'ipv4', 'a benchmarking address'],
  ['198.51.100.0', 24, 'ipv4', 'a documentation address'],
  ['203.0.113.0', 24, 'ipv4', 'a documentation address'],
  ['224.0.0.0', 4, 'ipv4', 'a multicast address'],
  ['240.0.0.0', 4, 'ipv4', 'a reserved address'],
  ['::', 128, 'ipv6', 'an unspecified address'],
  ['::1', 128, 'ipv6', 'a loopback address'],
  // IPv4 embedded in IPv6 (NAT64, 6to4, the deprecated compatible form) could name any of the above.
  ['64:ff9b::', 96, 'ipv6', 'an IPv4-translated address'],
  ['64:ff9b:1::', 48, 'ipv6', 'an IPv4-translated address'],
  ['2002::', 16, 'ipv6', 'a 6to4 address'],
  ['::', 96, 'ipv6', 'an IPv4-compatible address'],
  ['100::', 64, 'ipv6', 'a discard-only address'],
  ['2001:db8::', 32, 'ipv6', 'a documentation address'],
  ['fc00::', 7, 'ipv6', 'a unique local (private) address'],
  ['fe80::', 10, 'ipv6', 'a link-local address'],
  ['fec0::', 10, 'ipv6', 'a site-local address'],
  ['ff00::', 8, 'ipv6', 'a multicast address'],
];

const RANGES = NOT_PUBLIC.map(([network, prefix, family, reason]) => {
  const list = new BlockList();
  list.addSubnet(network, prefix, family);
  return { list, reason };
});

/** Strips the brackets of an IPv6 host as URLs write it. */
function bare(hostname: string): string {
  return hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
}

/** The embedded IPv4 address of an IPv4-mapped IPv6 address (::ffff:a.b.c.d or ::ffff:xxxx:xxxx). */
function mappedIpv4(address: string): string | null {
  const match = /^::ffff:(?:0:)?(.+)$/i.exec(address);
  if (!match) return null;
  const tail = match[1];
  if (isIP(tail) === 4) return tail;
  const hex = /^([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(tail);
  if (!hex) return null;
  const high = parseInt(hex[1], 16);
  const low = parseInt(hex[2], 16);
  return [high >> 8, high & 255, low >> 8, low & 255].join('.');
}

/** Why `address` (an IP address) is no place for a webhook; null when it is public. */
export function addressRefusal(address: string): string | null {
  const plain = bare(address).toLowerCase();
  const v4 = mappedIpv4(plain);
  if (v4) return addressRefusal(v4);
  const family = isIP(plain);
  if (family === 0) return 'not an IP address';
  for (const { list, reason } of RANGES) {
    if (list.check(plain, family === 4 ? 'ipv4' : 'ipv6')) return reason;
  }
  return null;
}

export interface TargetPolicy {
  /** Only https (production). */
  httpsOnly: boolean;
  /** Hosts and addresses exempt from the address rule (lower case, without brackets). */
  allowedHosts: readonly string[];
}

export type UrlProblem = 'INVALID' | 'TOO_LONG' | 'HTTPS_REQUIRED' | 'ADDRESS_NOT_ALLOWED';

/** The checks a URL passes before it is stored: a problem and its explanation, or the URL. */
export function checkTargetUrl(
  raw: string,
  policy: TargetPolicy,
): { url: URL } | { problem: UrlProblem; message: string } {
  if (raw.length > MAX_URL_LENGTH)
    return { problem: 'TOO_LONG', message: `url must be at most ${MAX_URL_LENGTH} characters` };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { problem: 'INVALID', message: 'url must be an absolute http or https URL' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return { problem: 'INVALID', message: 'url must be an http or https URL' };
  if (policy.httpsOnly && url.protocol !== 'https:')
    return { problem: 'HTTPS_REQUIRED', message: 'url must be an https URL' };
  if (url.username !== '' || url.password !== '')
    return { problem: 'INVALID', message: 'url must not carry credentials' };
  if (url.hostname === '') return { problem: 'INVALID', message: 'url must name a host' };
  const host = bare(url.hostname).toLowerCase();
  if (isIP(host) !== 0 && !allowed(host, policy)) {
    const reason = addressRefusal(host);
    if (reason) return { problem: 'ADDRESS_NOT_ALLOWED', message: `url names ${reason}` };
  }
  return { url };
}

function allowed(hostOrAddress: string, policy: TargetPolicy): boolean {
  return policy.allowedHosts.includes(hostOrAddress);
}

/** The address a delivery connects to, checked; or why none may be used. */
export type ResolvedTarget = { address: string; family: 4 | 6 } | { refused: string };

/**
 * Resolves the URL's host now, for this attempt, and checks every address it gives: one private
 * address among public ones refuses the host (DNS answers can be mixed on purpose).
 */
export async function resolveTarget(url: URL, policy: TargetPolicy): Promise<ResolvedTarget> {
  const host = bare(url.hostname).toLowerCase();
  const hostAllowed = allowed(host, policy);
  const literal = isIP(host);
  if (literal !== 0) {
    const reason = hostAllowed ? null : addressRefusal(host);
    return reason
      ? { refused: `refused: ${host} is ${reason}` }
      : { address: host, family: literal as 4 | 6 };
  }
  let addresses: { address: string; family: number }[];
  try {
    addresses = await lookup(host, { all: true, verbatim: true });
  } catch (error) {
    return { refused: `could not resolve ${host}: ${(error as NodeJS.ErrnoException).code ?? 'error'}` };
  }
  if (addresses.length === 0) return { refused: `could not resolve ${host}` };
  if (!hostAllowed) {
    for (const { address } of addresses) {
      const reason = allowed(address, policy) ? null : addressRefusal(address);
      if (reason) return { refused: `refused: ${host} resolves to ${address}, ${reason}` };
    }
  }
  const [first] = addresses;
  return { address: first.address, family: first.family === 6 ? 6 : 4 };
}
