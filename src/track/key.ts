import type { DecodedPacket } from '../decode/decoded.js';

/**
 * Connection keys without strings: a symmetric 32-bit hash of the two endpoints picks a bucket,
 * and the full address words, ports (and VLAN ids when asked) are compared to confirm.
 * Symmetric so that both directions of a connection land in the same bucket.
 */

function mixWord(hash: number, word: number): number {
  // FNV-style multiply keeps it cheap; Math.imul stays in 32-bit integer arithmetic.
  return Math.imul(hash ^ word, 0x01000193);
}

function endpointHash(address: Uint32Array, port: number): number {
  let hash = 0x811c9dc5;
  hash = mixWord(hash, address[0]!);
  hash = mixWord(hash, address[1]!);
  hash = mixWord(hash, address[2]!);
  hash = mixWord(hash, address[3]!);
  hash = mixWord(hash, port);
  return hash;
}

/** Same value for A→B and B→A. */
export function connectionHash(packet: DecodedPacket, vlanAware: boolean): number {
  const a = endpointHash(packet.sourceAddress, packet.sourcePort);
  const b = endpointHash(packet.destinationAddress, packet.destinationPort);
  let hash = (a + b) ^ Math.imul(a ^ b, 0x5bd1e995);
  if (vlanAware) hash = mixWord(mixWord(hash, packet.vlanOuter), packet.vlanInner);
  return hash | 0;
}

/** The numbers that identify one side of a connection, copied out of a packet once per connection. */
export interface EndpointAddress {
  readonly ipVersion: 4 | 6;
  readonly address: Uint32Array;
  readonly port: number;
}

export function sameAddress(a: Uint32Array, b: Uint32Array): boolean {
  return a[0] === b[0] && a[1] === b[1] && a[2] === b[2] && a[3] === b[3];
}
