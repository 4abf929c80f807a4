import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import { createDecodedPacket } from '../../src/decode/decoded.js';
import { connectionHash } from '../../src/track/key.js';
import { conversation, pcapOf } from '../helpers/conversation.js';

/**
 * Connections whose 32-bit hashes collide share a chain and are told apart only by the full
 * comparison of addresses, ports and IP version. Colliding clients of one server are found by a
 * birthday search, then their conversations are interleaved in one capture: the server's
 * packets to either client match both connections up to the destination address.
 */

const SERVER_V4 = '10.9.9.9';
const SERVER_V6 = '2001:db8::80';
const CLIENT_PORT = 40000;

function v4Client(n: number): string {
  return `10.${(n >> 16) & 0xff}.${(n >> 8) & 0xff}.${n & 0xff}`;
}

/** Differs from its neighbours in words 1 and 3 only (word 0 is always 2001:0db8). */
function v6Client(n: number): string {
  return `2001:db8:1:${((n >> 8) + 1).toString(16)}:1:1:1:${((n & 0xff) + 1).toString(16)}`;
}

function wordsOf(address: string): number[] {
  if (!address.includes(':')) return [address.split('.').reduce((word, part) => ((word << 8) | Number(part)) >>> 0, 0), 0, 0, 0];
  const [head, tail = ''] = address.split('::');
  const groups = head!.split(':').filter(Boolean).map((g) => parseInt(g, 16));
  const rest = tail.split(':').filter(Boolean).map((g) => parseInt(g, 16));
  const all = [...groups, ...Array<number>(8 - groups.length - rest.length).fill(0), ...rest];
  return [0, 1, 2, 3].map((i) => ((all[2 * i]! << 16) | all[2 * i + 1]!) >>> 0);
}

function hashOf(client: string, server: string): number {
  const packet = createDecodedPacket();
  packet.ipVersion = client.includes(':') ? 6 : 4;
  packet.sourceAddress.set(wordsOf(client));
  packet.destinationAddress.set(wordsOf(server));
  packet.sourcePort = CLIENT_PORT;
  packet.destinationPort = 80;
  return connectionHash(packet, false);
}

/** Two (client, server) pairs from `first` (or one from each) whose connections hash alike. */
function collide(first: (n: number) => [string, string], second?: (n: number) => [string, string]): [[string, string], [string, string]] {
  const seen = new Map<number, number>();
  for (let n = 0; n < 1 << 19; n++) {
    const pair = first(n);
    const hash = hashOf(...pair);
    if (second === undefined) {
      const match = seen.get(hash);
      if (match !== undefined) return [first(match), pair];
    }
    seen.set(hash, n);
    if (second !== undefined) {
      const other = second(n);
      const match = seen.get(hashOf(...other));
      if (match !== undefined) return [first(match), other];
    }
  }
  throw new Error('no collision found');
}

function talk([client, server]: [string, string], offset: number) {
  const wrap = (address: string) => (address.includes(':') ? `[${address}]` : address);
  return conversation({ client: `${wrap(client)}:${CLIENT_PORT}`, server: `${wrap(server)}:80`, offsetMicros: offset, stepMicros: 1000 })
    .handshake().data('client', 'GET / HTTP/1.1\r\n\r\n').data('server', 'HTTP/1.1 200 OK\r\n\r\n')
    .fin('client').fin('server').ack('client');
}

describe('connections whose hashes collide', () => {
  it.each([
    ['two IPv4 connections to one server', () => collide((n) => [v4Client(n), SERVER_V4])],
    ['two IPv6 connections to one server, clients differing past the first word', () => collide((n) => [v6Client(n), SERVER_V6])],
    ['an IPv4 and an IPv6 connection', () => collide((n) => [v4Client(n), SERVER_V4], (n) => [v6Client(n), SERVER_V6])],
  ])('%s stay two whole connections', async (_name, find) => {
    const [a, b] = find();
    expect(hashOf(...a)).toBe(hashOf(...b));
    expect(a).not.toEqual(b);
    const alone = (await analyze(talk(a, 0).pcap())).connections[0]!;
    // Interleaved: b's packets arrive while a's connection is open, and the other way round.
    const report = await analyze(pcapOf(talk(a, 0), talk(b, 500)));
    const text = (address: string, port: number) => `${address.includes(':') ? `[${address}]` : address}:${port}`;
    expect(report.connections.map((c) => [c.client, c.server])).toEqual([a, b].map(([client, server]) => [text(client, CLIENT_PORT), text(server, 80)]));
    for (const connection of report.connections) {
      expect([connection.packets, connection.handshake, connection.state, connection.history, connection.requests?.count])
        .toEqual([alone.packets, alone.handshake, alone.state, alone.history, alone.requests?.count]);
    }
  });
});
