import type { DecodedPacket } from '../decode/decoded.js';

/**
 * Connection keys without strings: a symmetric 32-bit hash of the two endpoints picks a slot,
 * and the full address words, ports (and VLAN ids when asked) are compared to confirm.
 * Symmetric so that both directions of a connection land in the same slot.
 */

function mixWord(hash: number, word: number): number {
  // FNV-style multiply keeps it cheap; Math.imul stays in 32-bit integer arithmetic.
  return Math.imul(hash ^ word, 0x01000193);
}

/**
 * One endpoint's address and port in 32 bits: the address words folded into one (an IPv4
 * address is word 0 alone, words 1-3 being 0), the port spread by a Fibonacci multiply, then
 * MurmurHash3's finalizer so every input bit reaches every output bit.
 */
function endpointHash(address: Uint32Array, port: number, ipv6: boolean): number {
  let word = address[0]!;
  if (ipv6) word ^= Math.imul(address[1]!, 0x85ebca6b) ^ Math.imul(address[2]!, 0xc2b2ae35) ^ Math.imul(address[3]!, 0x27d4eb2f);
  let hash = word ^ Math.imul(port, 0x9e3779b1);
  hash = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b);
  hash = Math.imul(hash ^ (hash >>> 13), 0xc2b2ae35);
  return hash ^ (hash >>> 16);
}

/** Same value for A→B and B→A. */
export function connectionHash(packet: DecodedPacket, vlanAware: boolean): number {
  const ipv6 = packet.ipVersion === 6;
  const a = endpointHash(packet.sourceAddress, packet.sourcePort, ipv6);
  const b = endpointHash(packet.destinationAddress, packet.destinationPort, ipv6);
  let hash = (a + b) ^ Math.imul(a ^ b, 0x5bd1e995);
  if (vlanAware) hash = mixWord(mixWord(hash, packet.vlanOuter), packet.vlanInner);
  return hash | 0;
}

export function sameAddress(a: Uint32Array, b: Uint32Array): boolean {
  return a[0] === b[0] && a[1] === b[1] && a[2] === b[2] && a[3] === b[3];
}
