/**
 * Several capture files (tcpdump -C/-G rotation, editcap -c splits) are one time-ordered capture:
 * the merged analysis must equal the analysis of the unsplit file, whatever the order of the
 * files on the command line, and a connection spanning two files stays one connection.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import type { ConnectionReport, Report } from '../../src/report/model.js';
// The benchmark's deterministic generator: a capture of many interleaved HTTP-like connections.
import { generateCapture } from '../../bench/generate.mjs';
import { buildPcap } from '../helpers/capture-builder.js';
import { conversation } from '../helpers/conversation.js';
import { repoRoot } from '../helpers/shared-captures.js';
import { haveCommand } from '../helpers/tools.js';

const dir = mkdtempSync(join(tmpdir(), 'synfin-rotation-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A connection without the places that name a file and a record number in it. */
function withoutPlaces(connection: ConnectionReport): unknown {
  const { firstPacket: _first, firstFin, firstRst, ...rest } = connection;
  return {
    ...rest,
    firstFin: firstFin && { side: firstFin.side, time: firstFin.time },
    firstRst: firstRst && { side: firstRst.side, time: firstRst.time },
  };
}

function sameAnalysis(merged: Report, whole: Report): void {
  expect(merged.summary).toEqual(whole.summary);
  expect(merged.connections.map(withoutPlaces)).toEqual(whole.connections.map(withoutPlaces));
}

function files(folder: string, prefix: string): string[] {
  return readdirSync(folder)
    .filter((name) => name.startsWith(prefix))
    .sort()
    .map((name) => join(folder, name));
}

describe('several files are one capture', () => {
  it.runIf(haveCommand('editcap'))('an editcap -c split of a fixture gives the unsplit answer, in any order', async () => {
    const fixture = join(repoRoot, 'fixtures', 'server-closes.pcap');
    const out = join(dir, 'editcap');
    execFileSync('mkdir', ['-p', out]);
    execFileSync('editcap', ['-c', '5', fixture, join(out, 'part.pcap')]);
    const parts = files(out, 'part');
    expect(parts.length).toBeGreaterThan(3);

    const whole = await analyze(fixture);
    const merged = await analyze(parts);
    sameAnalysis(merged, whole);
    // Connections span parts: every one of them started in one file and ended in another.
    expect(merged.connections.some((c) => c.firstPacket.capture !== c.firstFin?.capture)).toBe(true);
    expect(merged.captures.map((c) => c.packets).reduce((a, b) => a + b)).toBe(whole.captures[0]!.packets);

    const shuffled = [...parts].reverse();
    [shuffled[0], shuffled[2]] = [shuffled[2]!, shuffled[0]!];
    sameAnalysis(await analyze(shuffled), whole);
  });

  it.runIf(haveCommand('tcpdump'))('a tcpdump -C rotation of a 3 MB capture gives the unsplit answer', async () => {
    const source = join(dir, 'http.pcap');
    generateCapture({ path: source, connections: 3_000, concurrent: 50, seed: 7 });
    const out = join(dir, 'tcpdump');
    execFileSync('mkdir', ['-p', out]);
    // -C 1: a new file every 1,000,000 bytes, named rot.pcap, rot.pcap1, rot.pcap2, ...
    // As root, tcpdump drops to its own user before writing; -Z root keeps it able to write here.
    const user = process.getuid?.() === 0 ? ['-Z', 'root'] : [];
    execFileSync('tcpdump', ['-r', source, '-w', join(out, 'rot.pcap'), '-C', '1', ...user], { stdio: 'ignore' });
    const parts = files(out, 'rot.pcap');
    expect(parts.length).toBeGreaterThanOrEqual(3);

    const whole = await analyze(source);
    expect(whole.summary.connections).toBe(3_000);
    sameAnalysis(await analyze(parts), whole);
    sameAnalysis(await analyze([...parts].reverse()), whole);
  });

  it('interleaved files (packets alternating between two files) merge by timestamp, in either order', async () => {
    const talks = [
      conversation({ client: '10.0.0.1:40000', server: '10.0.0.2:80', stepMicros: 10 }),
      conversation({ client: '10.0.0.3:40001', server: '10.0.0.2:80', stepMicros: 10, offsetMicros: 5 }),
    ];
    talks[0]!.handshake().data('client', 'GET / HTTP/1.1\r\n\r\n').fin('server').fin('client').ack('server');
    talks[1]!.handshake().data('client', 'x').send('server', 'RST,ACK');
    const frames = talks
      .flatMap((t) => t.frames)
      .sort((a, b) => a.seconds - b.seconds || a.fraction - b.fraction);
    // Two packets to one file, two to the other: each connection has packets in both files.
    const even = frames.filter((_, i) => (i >> 1) % 2 === 0);
    const odd = frames.filter((_, i) => (i >> 1) % 2 === 1);
    const write = (name: string, records: typeof frames): string => {
      const path = join(dir, name);
      writeFileSync(path, buildPcap({ records }));
      return path;
    };
    const whole = await analyze(write('whole.pcap', frames));
    const a = write('even.pcap', even);
    const b = write('odd.pcap', odd);
    expect(whole.summary.connections).toBe(2);
    sameAnalysis(await analyze([a, b]), whole);
    sameAnalysis(await analyze([b, a]), whole);
    // Read one after the other instead, the same packets give another answer: order matters.
    const serial = await analyze(write('serial.pcap', [...even, ...odd]));
    expect(serial.connections.map(withoutPlaces)).not.toEqual(whole.connections.map(withoutPlaces));
  });
});
