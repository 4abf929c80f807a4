import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AnalyzeProgress } from '../../src/analyze.js';
import type { ProgramIo } from '../../src/cli/io.js';
import { createProgress } from '../../src/cli/progress.js';
import { joinBytes, pcapFileHeader, pcapRecord } from '../helpers/capture-builder.js';
import { tcpFrame } from '../helpers/packet-builder.js';
import { runCli } from '../helpers/run-cli.js';

const MB = 1_000_000;

function fakeIo(stderrIsTty: boolean): { io: ProgramIo; err: string[] } {
  const err: string[] = [];
  return {
    err,
    io: { stdout: () => undefined, stderr: (text) => err.push(text), stderrIsTty, stdoutIsTty: false, env: {} },
  };
}

/** A clock the test moves by hand. */
function clock(start = 1_000): { now: () => number; advance: (ms: number) => void } {
  let time = start;
  return { now: () => time, advance: (ms) => { time += ms; } };
}

function step(bytesRead: number, totalBytes: number | undefined, packets = 1000, connections = 10): AnalyzeProgress {
  return { bytesRead, totalBytes, packets, connections };
}

describe('createProgress', () => {
  it('draws nothing and returns nothing when stderr is not a terminal', () => {
    const { io, err } = fakeIo(false);
    expect(createProgress(io)).toBeUndefined();
    expect(err).toEqual([]);
  });

  it('draws a bar with bytes, percent, packets, connections and rate, then erases it', () => {
    const { io, err } = fakeIo(true);
    const time = clock();
    const progress = createProgress(io, time.now)!;
    time.advance(2000);
    progress.update(step(50 * MB, 100 * MB, 123_456, 789));
    expect(err).toHaveLength(1);
    const line = err[0]!;
    expect(line.startsWith('\r[')).toBe(true);
    expect(line).toContain('[############------------]  50% ');
    expect(line).toContain('50 MB/100 MB');
    expect(line).toContain('123456 packets');
    expect(line).toContain('789 connections');
    expect(line).toContain('25 MB/s');
    expect(line.endsWith('\x1b[K')).toBe(true);
    progress.done();
    expect(err.at(-1)).toBe('\r\x1b[K');
  });

  it('stays silent for small files', () => {
    const { io, err } = fakeIo(true);
    const time = clock();
    const progress = createProgress(io, time.now)!;
    time.advance(1000);
    progress.update(step(1 * MB, 2 * MB));
    progress.done();
    expect(err).toEqual([]);
  });

  it('redraws at most every 100 ms', () => {
    const { io, err } = fakeIo(true);
    const time = clock();
    const progress = createProgress(io, time.now)!;
    time.advance(500);
    progress.update(step(10 * MB, 100 * MB));
    time.advance(50);
    progress.update(step(11 * MB, 100 * MB));
    expect(err).toHaveLength(1);
    time.advance(60);
    progress.update(step(12 * MB, 100 * MB));
    expect(err).toHaveLength(2);
  });

  it('shows bytes without a bar when the size is unknown (stdin)', () => {
    const { io, err } = fakeIo(true);
    const time = clock();
    const progress = createProgress(io, time.now)!;
    time.advance(1000);
    progress.update(step(20 * MB, undefined));
    expect(err[0]).toMatch(/^\r20 MB · 1000 packets · 10 connections · 20 MB\/s/);
    expect(err[0]).not.toContain('%');
  });
});

describe('progress in the CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'synfin-progress-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  // Over the 8 MB threshold: 7,000 records of 1,500 bytes, all one connection.
  const frame = tcpFrame({ src: '10.0.0.1', dst: '10.0.0.2', sport: 40000, dport: 80, seq: 1, flags: 'ACK', payload: new Uint8Array(1446) });
  const records = Array.from({ length: 7000 }, (_, i) => pcapRecord({ seconds: 1 + i, fraction: 0, data: frame }));
  const path = join(dir, 'big.pcap');
  writeFileSync(path, joinBytes(pcapFileHeader({}), ...records));

  it('writes nothing to stderr when stderr is not a terminal', async () => {
    const result = await runCli([path, '--json'], { stderrIsTty: false });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
  });

  it('draws on a terminal stderr, keeps --json stdout clean, and is silenced by --quiet', async () => {
    const drawn = await runCli([path, '--json'], { stderrIsTty: true });
    expect(drawn.code).toBe(0);
    // The reader reports at least once at the end; the first draw needs no earlier draw.
    expect(drawn.stderr).toContain('packets');
    expect(drawn.stderr.endsWith('\r\x1b[K')).toBe(true);
    expect(JSON.parse(drawn.stdout).summary.packets).toBe(7000);
    const quiet = await runCli([path, '--json', '--quiet'], { stderrIsTty: true });
    expect(quiet.stderr).toBe('');
    expect(quiet.stdout).toBe(drawn.stdout);
  });
});
