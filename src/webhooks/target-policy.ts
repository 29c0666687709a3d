import { BlockList, isIP } from 'node:net';

/**
 * Which addresses a webhook may be delivered to. A webhook URL is chosen by whoever holds
 * an admin key, and the server POSTs to it from inside the operator's network: without
 * this, a URL could reach the metadata service (169.254.169.254), a database port on
 * localhost or any internal host (server-side request forgery). Pure: no DNS here; the
 * caller resolves names (src/webhooks/target-resolver.ts) and asks about each address.
 */

/** Why an address is refused: the name of the range it falls in. */
export type ForbiddenRange =
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'shared address space (CGNAT)'
  | 'link-local'
  | 'multicast'
  | 'broadcast'
  | 'reserved'
  | 'documentation'
  | 'benchmarking'
  | 'not an IP address';

const RANGES: readonly [ForbiddenRange, 'ipv4' | 'ipv6', string, number][] = [
  ['unspecified', 'ipv4', '0.0.0.0', 8], // "this network"; 0.0.0.0 reaches localhost
  ['private', 'ipv4', '10.0.0.0', 8],
  ['shared address space (CGNAT)', 'ipv4', '100.64.0.0', 10],
  ['loopback', 'ipv4', '127.0.0.0', 8],
  ['link-local', 'ipv4', '169.254.0.0', 16], // cloud metadata services live here
  ['private', 'ipv4', '172.16.0.0', 12],
  ['reserved', 'ipv4', '192.0.0.0', 24], // IETF protocol assignments
  ['documentation', 'ipv4', '192.0.2.0', 24],
  ['private', 'ipv4', '192.168.0.0', 16],
  ['benchmarking', 'ipv4', '198.18.0.0', 15],
  ['documentation', 'ipv4', '198.51.100.0', 24],
  ['documentation', 'ipv4', '203.0.113.0', 24],
  ['multicast', 'ipv4', '224.0.0.0', 4],
  ['broadcast', 'ipv4', '255.255.255.255', 32],
  ['reserved', 'ipv4', '240.0.0.0', 4],
  ['unspecified', 'ipv6', '::', 128],
  ['loopback', 'ipv6', '::1', 128],
  ['reserved', 'ipv6', '100::', 64], // discard-only
  ['documentation', 'ipv6', '2001:db8::', 32],
  ['private', 'ipv6', 'fc00::', 7], // unique local addresses
  ['link-local', 'ipv6', 'fe80::', 10],
  ['private', 'ipv6', 'fec0::', 10], // the deprecated site-local range
  ['multicast', 'ipv6', 'ff00::', 8],
];

/** One block list per reason, checked in order (broadcast before the 240/4 around it). */
const BLOCKS: readonly [ForbiddenRange, BlockList][] = RANGES.map(([range, type, net, prefix]) => {
  const list = new BlockList();
  list.addSubnet(net, prefix, type);
  return [range, list];
});

/**
 * IPv6 ranges that carry an IPv4 address in their low 32 bits, which a dual-stack host or
 * a NAT64 gateway turns into a connection to that IPv4 address: IPv4-mapped
 * (::ffff:0:0/96), IPv4-compatible (::/96), and the NAT64 well-known prefix (64:ff9b::/96).
 * 6to4 (2002::/16) carries one in bits 16–48.
 */
function embeddedIpv4(bytes: Uint8Array): string | undefined {
  const zeros = (from: number, to: number) => bytes.slice(from, to).every((b) => b === 0);
  const v4 = (at: number) => Array.from(bytes.slice(at, at + 4)).join('.');
  if (zeros(0, 10) && bytes[10] === 0xff && bytes[11] === 0xff) return v4(12);
  if (zeros(0, 12)) return v4(12);
  if (bytes[0] === 0x00 && bytes[1] === 0x64 && bytes[2] === 0xff && bytes[3] === 0x9b) {
    if (zeros(4, 12)) return v4(12);
  }
  if (bytes[0] === 0x20 && bytes[1] === 0x02) return v4(2);
  return undefined;
}

/** The 16 bytes of an IPv6 address (already known valid by isIP), "::" and dotted tails too. */
function ipv6Bytes(address: string): Uint8Array {
  let text = address.replace(/%.*$/, ''); // a zone id (fe80::1%eth0) names an interface
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const groups = (part: string) => (part === '' ? [] : part.split(':'));
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const all = [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
  const bytes = new Uint8Array(16);
  all.forEach((group, i) => {
    const value = Number.parseInt(group, 16);
    bytes[2 * i] = value >> 8;
    bytes[2 * i + 1] = value & 0xff;
  });
  return bytes;
}

/**
 * The range an address may not be reached in, or null when it is a public address a
 * webhook may target. Accepts an IPv6 address with or without URL brackets.
 */
export function forbiddenRange(address: string): ForbiddenRange | null {
  const bare = address.replace(/^\[(.*)\]$/, '$1');
  const family = isIP(bare.replace(/%.*$/, ''));
  if (family === 0) return 'not an IP address';
  const type = family === 4 ? 'ipv4' : 'ipv6';
  const plain = bare.replace(/%.*$/, '');
  for (const [range, list] of BLOCKS) {
    if (list.check(plain, type)) return range;
  }
  if (family === 6) {
    const v4 = embeddedIpv4(ipv6Bytes(plain));
    if (v4 !== undefined) return forbiddenRange(v4);
  }
  return null;
}
