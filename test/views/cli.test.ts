/** The picture options through the CLI (in-process): colour rules, width, errors. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { conversation, pcapOf } from '../helpers/conversation.js';
import { runCli } from '../helpers/run-cli.js';
import { repoRoot } from '../helpers/shared-captures.js';

const capture = join(repoRoot, 'fixtures', 'server-closes.pcap');
const ESC = /\u001b\[/;

describe('--ladder / --timeline colour', () => {
  it('colours only when stdout is a terminal', async () => {
    const tty = await runCli([capture, '--ladder', '1', '--timeline'], { stdoutIsTty: true });
    expect(tty.stdout).toMatch(ESC);
    const piped = await runCli([capture, '--ladder', '1', '--timeline'], { stdoutIsTty: false, stderrIsTty: true });
    expect(piped.stdout).not.toMatch(ESC);
  });

  it('honours NO_COLOR (when not empty) and --no-color on a terminal', async () => {
    const noColor = await runCli([capture, '--ladder', '1'], { stdoutIsTty: true, env: { NO_COLOR: '1' } });
    expect(noColor.stdout).not.toMatch(ESC);
    const emptyNoColor = await runCli([capture, '--ladder', '1'], { stdoutIsTty: true, env: { NO_COLOR: '' } });
    expect(emptyNoColor.stdout).toMatch(ESC);
    const flag = await runCli([capture, '--ladder', '1', '--no-color'], { stdoutIsTty: true });
    expect(flag.stdout).not.toMatch(ESC);
  });

  it('coloured output is the plain output plus escape codes', async () => {
    const plain = await runCli([capture, '--ladder', 'all', '--timeline', '--width', '90']);
    const tty = await runCli([capture, '--ladder', 'all', '--timeline', '--width', '90'], { stdoutIsTty: true });
    expect(tty.stdout.replace(/\u001b\[[0-9;]*m/g, '')).toBe(plain.stdout);
  });
});

describe('--width and the terminal width', () => {
  function widest(text: string): number {
    return Math.max(...text.split('\n').map((line) => [...line].length));
  }

  it.each([40, 60, 80, 100, 120, 200])('no line is wider than %i columns', async (columns) => {
    const fromTerminal = await runCli([capture, '--ladder', 'all', '--timeline'], { columns });
    expect(widest(fromTerminal.stdout)).toBeLessThanOrEqual(columns);
    const fromFlag = await runCli([capture, '--ladder', 'all', '--timeline', '--width', String(columns)], { columns: 300 });
    expect(fromFlag.stdout).toBe(fromTerminal.stdout);
  });

  it('defaults to 80 columns when the width is unknown', async () => {
    const unknown = await runCli([capture, '--timeline']);
    const eighty = await runCli([capture, '--timeline', '--width', '80']);
    expect(unknown.stdout).toBe(eighty.stdout);
  });
});

describe('--ascii', () => {
  it.each(['server-closes.pcap', 'refused.pcap', 'rst-abort.pcap', 'keepalive-reuse.pcapng'])('%s: only printable ASCII', async (file) => {
    const result = await runCli([join(repoRoot, 'fixtures', file), '--ascii', '--ladder', 'all', '--timeline'], { columns: 50 });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^[\x20-\x7e\n]*$/);
  });
});

describe('picture options: usage errors', () => {
  it.each([
    [['--ladder', 'x']],
    [['--ladder', '0']],
    [['--ladder', '1,a']],
    [['--width', '10']],
    [['--width', 'wide']],
    [['--ladder', '1', '--json']],
    [['--timeline', '--json']],
  ])('%j exits 2', async (args) => {
    const result = await runCli([capture, ...args]);
    expect(result.code).toBe(2);
    expect(result.stderr).not.toBe('');
  });

  it('a connection number that does not exist: a note, exit 2, the others still drawn', async () => {
    const result = await runCli([capture, '--ladder', '2,9']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no connection #9 to draw (there are 3)');
    expect(result.stdout).toContain('#2  127.0.0.1:54710');
    expect(result.stdout).not.toContain('#1  ');
  });

  it('--ladder all: every connection, in order, and the summary line', async () => {
    const result = await runCli([capture, '--ladder', 'all']);
    expect(result.code).toBe(0);
    expect(result.stdout.match(/^#\d/gm)).toEqual(['#1', '#2', '#3']);
    expect(result.stdout.match(/closed by server \(FIN\)$/gm)).toHaveLength(3);
    expect(result.stdout.trimEnd().split('\n').slice(-2)).toEqual([
      '3 connections · 3 handshakes · closed by server 3, client 0 · 0 open',
      '3 requests over 3 connections (reuse 1.0)',
    ]);
  });

  it('--ladder all stops at 50 ladders and says so', async () => {
    const talks = Array.from({ length: 53 }, (_, i) =>
      conversation({ client: `10.9.0.1:${42000 + i}`, server: '10.9.0.2:80', offsetMicros: i * 10 }).handshake().fin('client'));
    const path = join(mkdtempSync(join(tmpdir(), 'synfin-many-')), 'many.pcap');
    writeFileSync(path, pcapOf(...talks));
    const result = await runCli([path, '--ladder', 'all']);
    expect(result.code).toBe(0);
    expect(result.stdout.match(/^#\d+ /gm)).toHaveLength(50);
    expect(result.stderr).toBe('synfin: ladders drawn for the first 50 of 53 connections (--ladder N for another)\n');
    const beyond = await runCli([path, '--ladder', '53']);
    expect(beyond.stdout).toContain('#53  10.9.0.1:42052');
  });

  it('--expect is judged after the pictures too', async () => {
    const holds = await runCli([capture, '--timeline', '--expect', 'handshakes=3']);
    expect(holds.code).toBe(0);
    expect(holds.stdout).toContain('timeline · 3 connections');
    const fails = await runCli([capture, '--ladder', '1', '--expect', 'handshakes=2']);
    expect(fails.code).toBe(1);
    expect(fails.stdout).toContain('closed by server (FIN)');
  });

  it('without picture options the table is unchanged', async () => {
    const result = await runCli([capture]);
    expect(result.stdout).toContain('┌───┬');
    expect(result.stdout).not.toContain('timeline');
  });
});
