/**
 * Every bad input a user can hit, through the CLI: one line on stderr that names the file (and the
 * byte offset and packet when it is about damage), no stack trace, and the documented exit code:
 * 3 when the input is not a readable capture, 0 when it is a damaged one (every whole record is
 * analysed, the damage is a warning). Cases that need a real process (standard input, another
 * user) spawn the built binary, dist/synfin.cjs.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Report } from '../../src/report/model.js';
import { buildPcap, buildPcapng, patternBytes, pcapRecordOffsets } from '../helpers/capture-builder.js';
import { conversation } from '../helpers/conversation.js';
import { ethernet, ipv4 } from '../helpers/packet-builder.js';
import { runCli, type CliResult } from '../helpers/run-cli.js';
import { repoRoot } from '../helpers/shared-captures.js';

const dir = mkdtempSync(join(tmpdir(), 'synfin-bad-input-'));
// Readable by another user (the permission test runs as nobody), so only the file's own mode matters.
chmodSync(dir, 0o755);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const bin = join(repoRoot, 'dist', 'synfin.cjs');
beforeAll(() => {
  if (!existsSync(bin)) throw new Error(`${bin} is missing: run \`npm run build\` (npm test does) before these tests`);
});

function file(name: string, bytes: Uint8Array | string): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

/** stderr is exactly these lines, each a single `synfin: ` line. */
function expectLines(result: CliResult, lines: (string | RegExp)[]): void {
  const got = result.stderr.split('\n');
  expect(got.pop(), 'stderr ends with a newline').toBe('');
  expect(got).toHaveLength(lines.length);
  got.forEach((line, i) => {
    expect(line.startsWith('synfin: '), line).toBe(true);
    expect(line).not.toMatch(/\s+at .*\(.*:\d+:\d+\)/);
    const want = lines[i]!;
    if (typeof want === 'string') expect(line).toBe(want);
    else expect(line).toMatch(want);
  });
}

function json(result: CliResult): Report {
  return JSON.parse(result.stdout) as Report;
}

const talk = conversation({ client: '10.0.0.1:40000', server: '10.0.0.2:80' })
  .handshake()
  .data('client', 'GET / HTTP/1.1\r\n\r\n')
  .data('server', 'HTTP/1.1 200 OK\r\n\r\n')
  .fin('server')
  .fin('client')
  .ack('server');
const capture = talk.pcap();
const records = talk.frames.map((f) => ({ seconds: f.seconds, fraction: f.fraction, data: f.data }));
const offsets = pcapRecordOffsets({ records });

/** Run the built binary with `stdin` written in pieces, then closed. */
function spawnCli(args: string[], stdin: Uint8Array[] = [], prefix: string[] = []): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const command = prefix.length > 0 ? prefix[0]! : process.execPath;
    const commandArgs = prefix.length > 0 ? [...prefix.slice(1), process.execPath, bin, ...args] : [bin, ...args];
    const child = spawn(command, commandArgs, { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.on('error', () => undefined); // the CLI may exit before reading it all
    void (async () => {
      for (const piece of stdin) {
        // One write per piece, each after the previous one is flushed: the reader sees a pipe that
        // delivers part of a record, then closes.
        await new Promise<void>((done) => child.stdin.write(piece, () => done()));
      }
      child.stdin.end();
    })();
  });
}

describe('inputs that are not a capture: one line, exit 3', () => {
  it('missing file', async () => {
    const path = join(dir, 'nope.pcap');
    const result = await runCli([path]);
    expect([result.code, result.stdout]).toEqual([3, '']);
    expectLines(result, [`synfin: ${path}: no such file`]);
  });

  it('a directory', async () => {
    const result = await runCli([dir]);
    expect(result.code).toBe(3);
    expectLines(result, [`synfin: ${dir}: is a directory, not a capture file`]);
  });

  const asRoot = process.getuid?.() === 0;
  const setpriv = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'];
  // As nobody, the CLI itself must be reachable (a clone under /root is not): probe with --help.
  const canDrop = asRoot && spawnSync(setpriv[0]!, [...setpriv.slice(1), process.execPath, bin, '--help']).status === 0;
  const reason = asRoot && !canDrop ? ' (skipped: running as root, and the built CLI cannot run as nobody here)' : '';
  it.skipIf(asRoot && !canDrop)(`a file the user may not read${reason}`, async () => {
    const path = file('locked.pcap', capture);
    if (asRoot) {
      // Root reads anything: run the built CLI as nobody, for whom a 0600 root file is closed.
      chmodSync(path, 0o600);
      const result = await spawnCli([path], [], setpriv);
      expect(result.code).toBe(3);
      expectLines(result, [`synfin: ${path}: permission denied`]);
    } else {
      chmodSync(path, 0o000);
      const result = await runCli([path]);
      expect(result.code).toBe(3);
      expectLines(result, [`synfin: ${path}: permission denied`]);
    }
  });

  it('an empty file', async () => {
    const path = file('empty.pcap', '');
    const result = await runCli([path]);
    expect(result.code).toBe(3);
    expectLines(result, [`synfin: ${path}: file is empty (0 bytes)`]);
  });

  it('a text file: its first bytes, and that they look like text', async () => {
    const path = file('notes.txt', 'GET / HTTP/1.1\r\nHost: example.com\r\n\r\n');
    const result = await runCli([path]);
    expect(result.code).toBe(3);
    expectLines(result, [`synfin: ${path}: is not a pcap or pcapng capture: it starts with 47 45 54 20 2f 20 48 54 54 50 2f 31 2e 31 0d 0a ... (looks like text: "GET / HTTP/1.1 Host: example.com")`]);
  });

  it('a file cut inside the pcap file header', async () => {
    const path = file('header-cut.pcap', capture.subarray(0, 10));
    const result = await runCli([path]);
    expect(result.code).toBe(3);
    expectLines(result, [`synfin: ${path}: file ends after 10 bytes, inside the 24-byte pcap file header`]);
  });

  it('a pcapng file whose section header is damaged', async () => {
    const bytes = buildPcapng({ sections: [{ interfaces: [{ linkType: 1 }] }] });
    bytes[8] = 0; // byte-order magic
    const path = file('bad-shb.pcapng', bytes);
    const result = await runCli([path]);
    expect(result.code).toBe(3);
    expectLines(result, [/^synfin: .*bad-shb\.pcapng: first block: bad byte-order magic 0x003c2b1a \(expected 1a2b3c4d in either byte order\)$/]);
  });

  it('compressed with a tool synfin does not decompress: which command to run', async () => {
    const path = file('a.pcap.xz', Uint8Array.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 0, 0]));
    const result = await runCli([path]);
    expect(result.code).toBe(3);
    expectLines(result, [`synfin: ${path}: is xz-compressed; decompress it first (xz -d)`]);
  });

  it('gzip-compressed twice', async () => {
    const path = file('twice.pcap.gz.gz', gzipSync(gzipSync(capture)));
    const result = await runCli([path]);
    expect(result.code).toBe(3);
    expectLines(result, [`synfin: ${path}: is gzip-compressed twice; gunzip it first`]);
  });

  it('standard input that is a terminal: says to pipe a capture in, instead of waiting', async () => {
    const terminal = Object.assign(Readable.from([]), { isTTY: true }) as unknown as typeof process.stdin;
    const stdin = vi.spyOn(process, 'stdin', 'get').mockReturnValue(terminal);
    try {
      const result = await runCli(['-']);
      expect(result.code).toBe(3);
      expectLines(result, ['synfin: stdin: is a terminal, not a capture; pipe one in (tcpdump -w - ... | synfin -)']);
    } finally {
      stdin.mockRestore();
    }
  });

  it('one bad file among several: that file is named, nothing is printed on stdout', async () => {
    const good = file('good.pcap', capture);
    const missing = join(dir, 'second-missing.pcap');
    const result = await runCli([good, missing, '--json']);
    expect([result.code, result.stdout]).toEqual([3, '']);
    expectLines(result, [`synfin: ${missing}: no such file`]);
  });

  it('empty standard input', async () => {
    const result = await spawnCli(['-'], []);
    expect(result.code).toBe(3);
    expectLines(result, ['synfin: stdin: file is empty (0 bytes)']);
  });
});

describe('captures that are damaged or hold nothing to report: a note, exit 0', () => {
  it('a gzip-compressed capture is read directly, with the same report as the plain file', async () => {
    const plain = await runCli([file('plain.pcap', capture), '--json']);
    const gz = await runCli([file('plain.pcap.gz', gzipSync(capture)), '--json']);
    expect([gz.code, gz.stderr]).toEqual([0, '']);
    const report = json(gz);
    expect(report.captures[0]!.path).toMatch(/plain\.pcap\.gz$/);
    expect({ ...report, captures: [] }).toEqual({ ...json(plain), captures: [] });
    expect(report.summary).toMatchObject({ connections: 1, handshakes: 1, closedBy: { server: 1, client: 0 } });
  });

  it('a capture with no TCP: says how many packets there were', async () => {
    const udp = ethernet({ payload: ipv4({ src: '10.0.0.1', dst: '10.0.0.2', protocol: 17, payload: patternBytes(12) }) });
    const path = file('udp.pcap', buildPcap({ records: [{ seconds: 1, data: udp }, { seconds: 2, data: udp }] }));
    const result = await runCli([path, '--json']);
    expect(result.code).toBe(0);
    expectLines(result, [`synfin: note: ${path}: no TCP in 2 packets`]);
    expect(json(result).captures[0]!.skipped.nonTcp).toBe(2);
  });

  it('a port filter that matches nothing: how many TCP packets there were, and on which ports', async () => {
    const path = join(repoRoot, 'fixtures/server-closes.pcap');
    const result = await runCli([path, '--port', '9999']);
    expect(result.code).toBe(0);
    expectLines(result, [`synfin: note: ${path}: no TCP segment matched port 9999; the capture has 36 TCP packets, on ports 8087 (36)`]);
    expect(result.stdout).toContain('0 connections');
  });

  it('an unknown link type: counted and named, not fatal', async () => {
    const path = file('user0.pcap', buildPcap({ linkType: 147, records: records.slice(0, 3) }));
    const result = await runCli([path, '--json']);
    expect(result.code).toBe(0);
    expectLines(result, [
      `synfin: note: ${path}: 3 packets of an unsupported link type (147) skipped`,
      `synfin: note: ${path}: no TCP in 3 packets`,
    ]);
    expect(json(result).captures[0]).toMatchObject({ linkTypes: [147], packets: 3, skipped: { unknownLinkType: 3 } });
  });

  it('an unknown link type beside a known one (pcapng): only the unknown one is named', async () => {
    const bytes = buildPcapng({
      sections: [
        {
          interfaces: [{ linkType: 1 }, { linkType: 147 }],
          blocks: records.slice(0, 4).map((r, i) => ({ type: 'epb' as const, interfaceId: i % 2, timestamp: i, data: r.data })),
        },
      ],
    });
    const path = file('mixed.pcapng', bytes);
    const result = await runCli([path, '--json']);
    expect(result.code).toBe(0);
    expectLines(result, [`synfin: note: ${path}: 2 packets of an unsupported link type (147) skipped`]);
    expect(json(result).captures[0]).toMatchObject({ linkTypes: [1, 147], packets: 4, tcpPackets: 2, skipped: { unknownLinkType: 2 } });
  });

  it('a file cut mid-record: every whole record analysed, the cut named with record number and offset', async () => {
    const cut = offsets[5]! + 30;
    const path = file('cut.pcap', capture.subarray(0, cut));
    const result = await runCli([path, '--json']);
    expect(result.code).toBe(0);
    expectLines(result, [
      `synfin: warning: ${path}: file ends inside record 6 at offset ${offsets[5]}: header says ${records[5]!.data.length} bytes, 14 present; the 5 whole records before it were analysed`,
    ]);
    expect(json(result).captures[0]).toMatchObject({ packets: 5, truncated: true, truncation: { kind: 'truncated', offset: offsets[5] } });
  });

  it('an absurd record length: reading stops there at once, the records before it are analysed', async () => {
    const bytes = capture.slice();
    new DataView(bytes.buffer).setUint32(offsets[2]! + 8, 0xfffffff0, true);
    const path = file('absurd.pcap', bytes);
    const result = await runCli([path, '--json']);
    expect(result.code).toBe(0);
    expectLines(result, [
      `synfin: warning: ${path}: absurd record length 4294967280 at offset ${offsets[2]} (record 3); reading stopped; the 2 whole records before it were analysed`,
    ]);
    expect(json(result).captures[0]).toMatchObject({ packets: 2, truncation: { kind: 'malformed', offset: offsets[2] } });
  });

  it('a pcapng block whose two lengths disagree: reading stops there, named', async () => {
    const bytes = buildPcapng({
      sections: [
        {
          interfaces: [{ linkType: 1 }],
          blocks: [
            { type: 'epb', timestamp: 1, data: records[0]!.data },
            { type: 'epb', timestamp: 2, data: records[1]!.data, trailingLength: 4 },
            { type: 'epb', timestamp: 3, data: records[2]!.data },
          ],
        },
      ],
    });
    const path = file('lengths.pcapng', bytes);
    const result = await runCli([path]);
    expect(result.code).toBe(0);
    expectLines(result, [/^synfin: warning: .*lengths\.pcapng: enhanced packet block \(packet 2\) at offset \d+: block lengths disagree \(\d+ at the start, 4 at the end\); reading stopped; the 1 whole record before it were analysed$/]);
  });

  it('a damaged timestamp that puts a connection\'s end before its start: said, not just a negative duration', async () => {
    const bytes = capture.slice();
    new DataView(bytes.buffer).setUint32(offsets.at(-1)!, 0, true); // the last record's seconds
    const path = file('clock.pcap', bytes);
    const result = await runCli([path, '--json']);
    expect(result.code).toBe(0);
    const connection = json(result).connections[0]!;
    expect(connection.durationMs).toBeLessThan(0);
    expectLines(result, [
      `synfin: note: connection #1 ends (${connection.end}) before it starts (${connection.start}): timestamps go back in time (clock step or damaged record), so its duration is negative`,
    ]);
  });

  it('packets cut by the snaplen inside the TCP header: a per-packet note with packet number and offset', async () => {
    const cutFrames = records.map((r) => ({ ...r, data: r.data.subarray(0, 40), originalLength: r.data.length }));
    const path = file('snaplen40.pcap', buildPcap({ snaplen: 40, records: cutFrames }));
    const result = await runCli([path, '--json']);
    expect(result.code).toBe(0);
    expectLines(result, [
      `synfin: note: ${path}: 8 packets truncated at tcp (tcp-header-cut), first is packet 1 at byte offset 24 (needed 20 bytes, 6 present)`,
      `synfin: note: ${path}: no TCP in 8 packets (8 damaged, see above)`,
    ]);
    expect(json(result).captures[0]).toMatchObject({ truncated: false, packets: 8, issues: [{ kind: 'truncated', layer: 'tcp', count: 8 }] });
  });

  it('packets cut by the snaplen in the payload: analysed as usual, payload sizes from the headers', async () => {
    const cutFrames = records.map((r) => ({ ...r, data: r.data.subarray(0, 56), originalLength: r.data.length }));
    const path = file('snaplen56.pcap', buildPcap({ snaplen: 56, records: cutFrames }));
    const cut = await runCli([path, '--json']);
    const whole = await runCli([file('whole.pcap', capture), '--json']);
    expect([cut.code, cut.stderr]).toEqual([0, '']);
    // The TCP view is whole; only what reads payload (HTTP insight) has less to go on.
    const tcpView = (report: Report) =>
      report.connections.map(({ client, server, handshake, packets, payloadBytes, closedBy, closedWith, state, history }) => ({
        client, server, handshake, packets, payloadBytes, closedBy, closedWith, state, history,
      }));
    expect(tcpView(json(cut))).toEqual(tcpView(json(whole)));
    expect(json(cut).connections[0]!.payloadBytes).toEqual({ client: 18, server: 19 });
  });

  it('standard input closed mid-record: the whole records before it, a warning, exit 0', async () => {
    const cut = offsets[3]! + 20;
    const result = await spawnCli(['-', '--json'], [capture.subarray(0, offsets[2]! + 7), capture.subarray(offsets[2]! + 7, cut)]);
    expect(result.code).toBe(0);
    expectLines(result, [
      `synfin: warning: stdin: file ends inside record 4 at offset ${offsets[3]}: header says ${records[3]!.data.length} bytes, 4 present; the 3 whole records before it were analysed`,
    ]);
    expect(json(result).captures[0]).toMatchObject({ path: 'stdin', packets: 3, truncated: true });
    expect(json(result).summary.handshakes).toBe(1);
  });

  const noMkfifo = spawnSync('mkfifo', ['--version']).status !== 0;
  it.skipIf(noMkfifo)(`a named pipe (as from <(zcat ...)) that closes mid-record: the same as a cut file${noMkfifo ? ' (skipped: no mkfifo)' : ''}`, async () => {
    const fifo = join(dir, 'pipe.pcap');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const cut = offsets[4]! + 3;
    const writer = createWriteStream(fifo);
    writer.on('open', () => writer.end(Buffer.from(capture.subarray(0, cut))));
    const result = await runCli([fifo, '--json']);
    expect(result.code).toBe(0);
    expectLines(result, [`synfin: warning: ${fifo}: file ends inside the header of record 5 at offset ${offsets[4]}: 3 of 16 bytes present; the 4 whole records before it were analysed`]);
    expect(json(result).captures[0]).toMatchObject({ packets: 4, truncated: true });
  });

  it('standard input that is gzip-compressed and cut: what was decompressed is analysed', async () => {
    const gz = gzipSync(capture);
    const result = await spawnCli(['-', '--json'], [gz.subarray(0, gz.length - 10)]);
    expect(result.code).toBe(0);
    expectLines(result, [
      /^synfin: warning: stdin: file ends inside record \d+ at offset \d+: .*; the \d+ whole records before it were analysed$/,
      /^synfin: warning: stdin: offset \d+: input ended early: gzip data: unexpected end of file$/,
    ]);
    expect(json(result).captures[0]!.packets).toBeGreaterThan(0);
  });
});

describe('a directory holding captures is not a capture', () => {
  it('names the directory even when it holds pcap files', async () => {
    const folder = join(dir, 'captures.pcap');
    mkdirSync(folder);
    file('captures.pcap/a.pcap', capture);
    const result = await runCli([folder]);
    expect(result.code).toBe(3);
    expectLines(result, [`synfin: ${folder}: is a directory, not a capture file`]);
  });
});
