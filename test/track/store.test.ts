import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import { CHUNK_SIZE, IPV6_CHUNK_MASK } from '../../src/track/store.js';
import { conversation, pcapOf } from '../helpers/conversation.js';
// The benchmark's deterministic generator: HTTP-like connections of 9 packets (7 when reset).
import { generateCapture } from '../../bench/generate.mjs';

const dir = mkdtempSync(join(tmpdir(), 'synfin-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('keeps every connection whole across store chunks (more connections than one chunk holds)', async () => {
  const count = CHUNK_SIZE * 2 + 100;
  const path = join(dir, 'many.pcap');
  const written = generateCapture({ path, connections: count, concurrent: 300, seed: 11 });
  const report = await analyze(path);
  expect(report.summary.connections).toBe(count);
  expect(report.summary.handshakes).toBe(count);
  expect(report.summary.packets).toBe(written.packets);
  expect(report.summary.open).toBe(0);
  expect(new Set(report.connections.map((c) => c.client)).size).toBe(count);
  for (const connection of report.connections) {
    const packets = connection.packets.client + connection.packets.server;
    if (connection.closedWith === 'rst') {
      expect([packets, connection.closedBy, connection.state]).toEqual([7, 'server', 'RSTR']);
    } else {
      expect([packets, connection.state, connection.handshake]).toEqual([9, 'SF', 'complete']);
    }
  }
  // Ids follow first packets; the last chunk's connections are as whole as the first's.
  expect(report.connections.map((c) => c.id)).toEqual(Array.from({ length: count }, (_, i) => i + 1));
});

it('gives the same report whether records grow ahead between input chunks or as connections come', async () => {
  // From a file, the pass reserves room before each chunk; from memory, the input is one chunk
  // and the store and event table grow inside add() past their first chunks.
  const count = CHUNK_SIZE * 2 + 100;
  const path = join(dir, 'grow.pcap');
  generateCapture({ path, connections: count, concurrent: 300, seed: 12 });
  const fromFile = await analyze(path);
  const inSmallReads = await analyze(path, { chunkSize: 4096 });
  const fromMemory = await analyze(readFileSync(path));
  expect(fromFile.summary.connections).toBe(count);
  expect(fromFile.summary.closedWith.fin + fromFile.summary.closedWith.rst).toBe(count);
  expect(inSmallReads.connections).toEqual(fromFile.connections);
  expect(fromMemory.connections).toEqual(fromFile.connections);
  expect(fromMemory.summary).toEqual(fromFile.summary);
});

it('keeps IPv4 and IPv6 connections apart and whole past the first chunk of the IPv6 table', async () => {
  // Interleaved connections that share ports and differ only in one address word or in the
  // IP version: the 4-tuple match must read the right addresses (IPv6 ones from the side table).
  const count = 2 * (IPV6_CHUNK_MASK + 1) + 50;
  const ends = Array.from({ length: count }, (_, i) =>
    i % 3 === 0
      ? { client: `10.0.${i >> 8}.${i & 0xff}:40000`, server: '10.9.9.9:80' }
      : { client: `[2001:db8:1:${((i >> 8) + 1).toString(16)}:1:1:1:${((i & 0xff) + 1).toString(16)}]:40000`, server: '[2001:db8::80]:80' },
  );
  const talk = (end: { client: string; server: string }, i: number) =>
    conversation({ ...end, offsetMicros: i * 10, stepMicros: 1000 })
      .handshake().data('client', 'GET / HTTP/1.1\r\n\r\n').data('server', 'HTTP/1.1 200 OK\r\n\r\n')
      .fin('client').fin('server').ack('client');
  const alone = (await analyze(talk(ends[1]!, 0).pcap())).connections[0]!;
  const report = await analyze(pcapOf(...ends.map(talk)));
  expect(report.summary.connections).toBe(count);
  report.connections.forEach((connection, i) => {
    expect([connection.client, connection.server]).toEqual([ends[i]!.client, ends[i]!.server]);
    expect({ ...connection, id: 0, client: '', server: '', start: '', end: '', firstPacket: null, firstFin: null })
      .toEqual({ ...alone, id: 0, client: '', server: '', start: '', end: '', firstPacket: null, firstFin: null });
  });
});
