import { assertNever } from '../assert-never';

/**
 * IPv4 (dotted quad, no leading zeros) and IPv6 (RFC 4291 text forms, `::` compression and an IPv4
 * tail accepted; no zone, prefix length or brackets) addresses.
 */

export type IpAddress =
  | { readonly version: 4; readonly octets: readonly number[] }
  | { readonly version: 6; readonly hextets: readonly number[] };

const MAX_TEXT_LENGTH = 45;
const DECIMAL_OCTET = /^(0|[1-9]\d{0,2})$/;
const HEXTET = /^[0-9a-f]{1,4}$/i;

export function parseIpAddress(text: string): IpAddress | undefined {
  if (text.length > MAX_TEXT_LENGTH) return undefined;
  if (text.includes(':')) {
    const hextets = parseIpv6(text);
    return hextets && { version: 6, hextets };
  }
  const octets = parseIpv4(text);
  return octets && { version: 4, octets };
}

function parseIpv4(text: string): number[] | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((part) => DECIMAL_OCTET.test(part))) return undefined;
  const octets = parts.map(Number);
  return octets.every((octet) => octet <= 255) ? octets : undefined;
}

function parseIpv6(text: string): number[] | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const compressed = halves.length === 2;
  const head = parseHextetGroups(halves[0] ?? '', !compressed);
  const tail = compressed ? parseHextetGroups(halves[1] ?? '', true) : [];
  if (!head || !tail) return undefined;
  const given = head.length + tail.length;
  if (compressed ? given > 7 : given !== 8) return undefined;
  return [...head, ...new Array<number>(8 - given).fill(0), ...tail];
}

/** Colon-separated hextets; the last group may be a dotted IPv4 address when it ends the address. */
function parseHextetGroups(text: string, endsAddress: boolean): number[] | undefined {
  if (text === '') return [];
  const groups = text.split(':');
  const hextets: number[] = [];
  for (const [index, group] of groups.entries()) {
    if (endsAddress && index === groups.length - 1 && group.includes('.')) {
      const octets = parseIpv4(group);
      if (!octets) return undefined;
      const [a = 0, b = 0, c = 0, d = 0] = octets;
      hextets.push(a * 256 + b, c * 256 + d);
    } else if (HEXTET.test(group)) {
      hextets.push(parseInt(group, 16));
    } else {
      return undefined;
    }
  }
  return hextets;
}

/** [first address as octets, prefix length] of IPv4 ranges that never identify a public server. */
const NON_PUBLIC_IPV4: readonly (readonly [readonly [number, number, number, number], number])[] = [
  [[0, 0, 0, 0], 8], // "this network"
  [[10, 0, 0, 0], 8], // private
  [[100, 64, 0, 0], 10], // carrier-grade NAT
  [[127, 0, 0, 0], 8], // loopback
  [[169, 254, 0, 0], 16], // link-local
  [[172, 16, 0, 0], 12], // private
  [[192, 0, 0, 0], 24], // IETF protocol assignments
  [[192, 0, 2, 0], 24], // documentation
  [[192, 168, 0, 0], 16], // private
  [[198, 18, 0, 0], 15], // benchmarking
  [[198, 51, 100, 0], 24], // documentation
  [[203, 0, 113, 0], 24], // documentation
  [[224, 0, 0, 0], 4], // multicast
  [[240, 0, 0, 0], 4], // reserved and broadcast
];

/**
 * A globally routable unicast address: IPv4 outside the private, loopback, link-local, CGNAT,
 * documentation, multicast and reserved ranges; IPv6 inside 2000::/3 but outside the documentation
 * ranges 2001:db8::/32 and 3fff::/20.
 */
export function isPublicIpAddress(address: IpAddress): boolean {
  switch (address.version) {
    case 4: {
      const value = toUint32(address.octets);
      return !NON_PUBLIC_IPV4.some(([first, prefix]) => sameNetwork(value, toUint32(first), prefix));
    }
    case 6: {
      const [first = 0, second = 0] = address.hextets;
      const globalUnicast = (first & 0xe000) === 0x2000;
      const documentation =
        (first === 0x2001 && second === 0x0db8) || (first === 0x3fff && (second & 0xf000) === 0);
      return globalUnicast && !documentation;
    }
    default:
      return assertNever(address);
  }
}

function toUint32(octets: readonly number[]): number {
  return octets.reduce((value, octet) => value * 256 + octet, 0);
}

function sameNetwork(a: number, b: number, prefix: number): boolean {
  const size = 2 ** (32 - prefix);
  return Math.floor(a / size) === Math.floor(b / size);
}
