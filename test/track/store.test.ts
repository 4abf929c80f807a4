import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import { CHUNK_SIZE } from '../../src/track/store.js';
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
