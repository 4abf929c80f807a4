/**
 * Text forms of decoded numbers. Used by reports and messages, never on the per-packet path.
 */

import { decimal } from './decimal.js';
import { TcpFlag } from './constants.js';

function word(words: ArrayLike<number>, index: number): number {
  return (words[index] ?? 0) >>> 0;
}

function dottedQuad(value: number): string {
  return `${decimal(value >>> 24)}.${decimal((value >>> 16) & 0xff)}.${decimal((value >>> 8) & 0xff)}.${decimal(value & 0xff)}`;
}

/**
 * An address as text. IPv4 (word 0): dotted quad. IPv6 (four big-endian words): RFC 5952
 * canonical form — lowercase hex, no leading zeros, the longest run of two or more zero groups
 * written as `::` (the leftmost run on a tie), and IPv4-mapped addresses as `::ffff:a.b.c.d` (§5).
 */
export function formatAddress(version: number, words: ArrayLike<number>): string {
  if (version === 4) return dottedQuad(word(words, 0));

  if (word(words, 0) === 0 && word(words, 1) === 0 && word(words, 2) === 0xffff) {
    return `::ffff:${dottedQuad(word(words, 3))}`;
  }

  const groups: number[] = [];
  for (let i = 0; i < 4; i++) {
    const w = word(words, i);
    groups.push(w >>> 16, w & 0xffff);
  }

  // Longest run of zero groups (length ≥ 2), leftmost wins a tie (RFC 5952 §4.2.2-4.2.3).
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }

  const hexGroups = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hexGroups.join(':');
  const head = hexGroups.slice(0, bestStart).join(':');
  const tail = hexGroups.slice(bestStart + bestLength).join(':');
  return `${head}::${tail}`;
}

/** `127.0.0.1:8087` for IPv4, `[::1]:33902` for IPv6 (RFC 5952 §6). */
export function formatEndpoint(version: number, words: ArrayLike<number>, port: number): string {
  const address = formatAddress(version, words);
  return version === 4 ? `${address}:${decimal(port)}` : `[${address}]:${decimal(port)}`;
}

/** Flag names in bit order (lowest first), as tshark lists them. */
const flagNames: ReadonlyArray<readonly [number, string]> = [
  [TcpFlag.FIN, 'FIN'],
  [TcpFlag.SYN, 'SYN'],
  [TcpFlag.RST, 'RST'],
  [TcpFlag.PSH, 'PSH'],
  [TcpFlag.ACK, 'ACK'],
  [TcpFlag.URG, 'URG'],
  [TcpFlag.ECE, 'ECE'],
  [TcpFlag.CWR, 'CWR'],
];

/** The TCP flags bitmask as names joined by commas, lowest bit first: `SYN,ACK`; `none` when 0. */
export function formatTcpFlags(flags: number): string {
  const names: string[] = [];
  for (const [bit, name] of flagNames) if (flags & bit) names.push(name);
  return names.length > 0 ? names.join(',') : 'none';
}
