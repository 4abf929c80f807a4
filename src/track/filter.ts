import type { DecodedPacket } from '../decode/decoded.js';
import { sameAddress } from './key.js';

/**
 * The --port / --host filter, applied after decoding and before tracking: a packet passes when
 * either side matches one of the ports and either side matches one of the hosts.
 */
export interface PacketFilter {
  readonly ports: readonly number[];
  readonly hosts: readonly string[];
  matches(packet: DecodedPacket): boolean;
}

interface ParsedHost {
  version: 4 | 6;
  words: Uint32Array;
}

function parseIpv4(text: string): Uint32Array | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    value = value * 256 + octet;
  }
  return Uint32Array.of(value, 0, 0, 0);
}

function parseIpv6(text: string): Uint32Array | undefined {
  let body = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  const zone = body.indexOf('%');
  if (zone >= 0) body = body.slice(0, zone);
  const groups: number[] = [];
  const halves = body.split('::');
  if (halves.length > 2) return undefined;
  const parseHalf = (half: string): number[] | undefined => {
    if (half === '') return [];
    const out: number[] = [];
    const pieces = half.split(':');
    for (let i = 0; i < pieces.length; i++) {
      const piece = pieces[i]!;
      if (i === pieces.length - 1 && piece.includes('.')) {
        const v4 = parseIpv4(piece);
        if (!v4) return undefined;
        out.push(v4[0]! >>> 16, v4[0]! & 0xffff);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(piece)) {
        out.push(parseInt(piece, 16));
      } else {
        return undefined;
      }
    }
    return out;
  };
  const head = parseHalf(halves[0]!);
  const tail = halves.length === 2 ? parseHalf(halves[1]!) : [];
  if (!head || !tail) return undefined;
  if (halves.length === 2) {
    const missing = 8 - head.length - tail.length;
    if (missing < 1) return undefined;
    groups.push(...head, ...new Array<number>(missing).fill(0), ...tail);
  } else {
    groups.push(...head);
  }
  if (groups.length !== 8) return undefined;
  const words = new Uint32Array(4);
  for (let i = 0; i < 4; i++) words[i] = ((groups[2 * i]! << 16) | groups[2 * i + 1]!) >>> 0;
  return words;
}

/** Parses an IPv4 or IPv6 address (brackets and a %zone allowed); undefined if it is neither. */
export function parseAddress(text: string): ParsedHost | undefined {
  const v4 = parseIpv4(text);
  if (v4) return { version: 4, words: v4 };
  const v6 = parseIpv6(text);
  return v6 ? { version: 6, words: v6 } : undefined;
}

export function createPacketFilter(ports: readonly number[] = [], hosts: readonly string[] = []): PacketFilter {
  const portSet = new Set(ports);
  const parsed = hosts.map((host) => {
    const address = parseAddress(host);
    if (!address) throw new RangeError(`not an IPv4 or IPv6 address: ${host}`);
    return address;
  });
  const hostMatches = (packet: DecodedPacket): boolean => {
    for (const host of parsed) {
      if (host.version !== packet.ipVersion) continue;
      if (sameAddress(host.words, packet.sourceAddress) || sameAddress(host.words, packet.destinationAddress)) {
        return true;
      }
    }
    return false;
  };
  const anyPort = portSet.size > 0;
  const anyHost = parsed.length > 0;
  return {
    ports,
    hosts,
    matches(packet) {
      if (anyPort && !portSet.has(packet.sourcePort) && !portSet.has(packet.destinationPort)) {
        return false;
      }
      return !anyHost || hostMatches(packet);
    },
  };
}
