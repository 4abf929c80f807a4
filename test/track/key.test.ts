import { describe, expect, it } from 'vitest';
import { createDecodedPacket, type DecodedPacket } from '../../src/decode/decoded.js';
import { connectionHash } from '../../src/track/key.js';

function segment(ipVersion: 4 | 6, source: number[], sourcePort: number, destination: number[], destinationPort: number): DecodedPacket {
  const packet = createDecodedPacket();
  packet.ipVersion = ipVersion;
  packet.sourceAddress.set(source);
  packet.destinationAddress.set(destination);
  packet.sourcePort = sourcePort;
  packet.destinationPort = destinationPort;
  return packet;
}

const CLIENT_V4 = [0x0a000001, 0, 0, 0];
const SERVER_V4 = [0x0a000002, 0, 0, 0];
const CLIENT_V6 = [0x20010db8, 0, 0, 1];
const SERVER_V6 = [0x20010db8, 0, 0, 2];

describe('connectionHash', () => {
  it('is the same in both directions, for IPv4 and IPv6', () => {
    for (const [version, client, server] of [[4, CLIENT_V4, SERVER_V4], [6, CLIENT_V6, SERVER_V6]] as const) {
      const there = connectionHash(segment(version, [...client], 40000, [...server], 80), false);
      const back = connectionHash(segment(version, [...server], 80, [...client], 40000), false);
      expect(back).toBe(there);
    }
  });

  it('spreads client ports of one host pair over many values', () => {
    const hashes = new Set<number>();
    for (let port = 40000; port < 41000; port++) hashes.add(connectionHash(segment(4, CLIENT_V4, port, SERVER_V4, 80), false));
    expect(hashes.size).toBe(1000);
  });

  it('tells IPv6 addresses apart by any of their words', () => {
    const base = connectionHash(segment(6, CLIENT_V6, 40000, SERVER_V6, 443), false);
    for (let word = 0; word < 4; word++) {
      const other = [...CLIENT_V6];
      other[word] = (other[word]! ^ 0x10) >>> 0;
      expect(connectionHash(segment(6, other, 40000, SERVER_V6, 443), false)).not.toBe(base);
    }
  });

  it('puts VLAN ids in the hash only when asked', () => {
    const plain = segment(4, CLIENT_V4, 40000, SERVER_V4, 80);
    const tagged = segment(4, CLIENT_V4, 40000, SERVER_V4, 80);
    tagged.vlanOuter = 100;
    expect(connectionHash(tagged, false)).toBe(connectionHash(plain, false));
    expect(connectionHash(tagged, true)).not.toBe(connectionHash(plain, true));
  });
});
