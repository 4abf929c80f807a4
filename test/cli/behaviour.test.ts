import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/model.js';
import { conversation, pcapOf } from '../helpers/conversation.js';
import { runCli } from '../helpers/run-cli.js';
import { repoRoot, sharedFiles, haveSharedCaptures } from '../helpers/shared-captures.js';

const fixture = (name: string) => join(repoRoot, 'fixtures', name);
const binary = join(repoRoot, 'dist', 'synfin.cjs');

describe('CLI output', () => {
  it('prints the table as in the golden file', async () => {
    const result = await runCli([fixture('server-closes.pcap'), '--port', '8087']);
    await expect(result.stdout).toMatchFileSnapshot('__golden__/server-closes.table.txt');
  });

  it('prints the JSON report as in the golden file', async () => {
    // A path relative to the repository (vitest's working directory), so the golden file holds no machine path.
    const result = await runCli(['fixtures/refused.pcap', '--json']);
    await expect(result.stdout).toMatchFileSnapshot('__golden__/refused.json');
  });

  it('merges several files by time into one capture', async () => {
    const result = await runCli([fixture('keepalive-reuse.pcapng'), fixture('refused.pcap'), '--json']);
    const report = JSON.parse(result.stdout) as Report;
    expect(report.captures.map((c) => c.format)).toEqual(['pcapng', 'pcap']);
    const starts = report.connections.map((c) => c.start);
    expect([...starts].sort()).toEqual(starts);
    expect(report.connections.map((c) => c.firstPacket.capture).sort()).toEqual([0, 1, 1]);
  });

  it('--host keeps only connections with that address', async () => {
    const v6 = await runCli([fixture('keepalive-reuse.pcapng'), fixture('refused.pcap'), '--host', '::1', '--json']);
    expect((JSON.parse(v6.stdout) as Report).connections.map((c) => c.server)).toEqual(['[::1]:8087']);
  });

  it('says which ports the capture has when the port filter matches nothing', async () => {
    const result = await runCli([fixture('server-closes.pcap'), '--port', '9999']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('0 connections');
    expect(result.stderr).toMatch(/no TCP segment matched port 9999; the capture has 36 TCP packets, on ports 8087 \(36\)/);
  });

  it('warns about a capture cut short and still reports every whole record', async () => {
    if (!haveSharedCaptures) return;
    const result = await runCli([join(sharedFiles, 'DERIVED_resp_1_benchmark_cut.pcap'), '--json']);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/^synfin: warning: .*DERIVED_resp_1_benchmark_cut\.pcap: .*offset 6929.*the 77 whole records before it were analysed\n$/);
    const report = JSON.parse(result.stdout) as Report;
    expect(report.captures[0]).toMatchObject({ packets: 77, truncated: true, truncation: { offset: 6929 } });
  });

  it('--quiet silences warnings', async () => {
    if (!haveSharedCaptures) return;
    const result = await runCli([join(sharedFiles, 'DERIVED_resp_1_benchmark_cut.pcap'), '--quiet']);
    expect(result.stderr).toBe('');
  });
});

describe('CLI exit codes and errors', () => {
  it.each([
    [['--port', 'http', 'x.pcap'], /'http' is not a TCP port/],
    [['--port', '70000', 'x.pcap'], /'70000' is not a TCP port/],
    [['--host', 'example.com', 'x.pcap'], /'example.com' is not an IPv4 or IPv6 address/],
    [['--no-such-option', 'x.pcap'], /unknown option '--no-such-option'/],
    [[], /missing required argument 'captures'/],
    [['-', '-'], /'-' \(stdin\) can be given only once/],
  ])('usage error %j → exit 2', async (args, message) => {
    const result = await runCli(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe('');
  });

  it('a missing file → exit 3 naming the file', async () => {
    const result = await runCli(['/nonexistent/p1.pcap']);
    expect(result.code).toBe(3);
    expect(result.stderr).toBe('synfin: /nonexistent/p1.pcap: no such file\n');
  });

  it('a file that is not a capture → exit 3 showing what was found', async () => {
    const result = await runCli([join(repoRoot, 'package.json')]);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/package\.json: is not a pcap or pcapng capture: it starts with 7b 0a/);
  });

  it('--help shows examples and exit codes, exit 0', async () => {
    const result = await runCli(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('synfin p1.pcap --port 8087');
    expect(result.stdout).toContain('Exit codes:');
  });
});

describe('the built binary', () => {
  it('reads a capture from stdin', () => {
    const run = spawnSync(process.execPath, [binary, '-', '--port', '8087'], { input: readFileSync(fixture('server-closes.pcap')) });
    expect(run.status).toBe(0);
    expect(run.stdout.toString()).toContain('3 connections · 3 handshakes · closed by server 3, client 0 · 0 open');
  });

  it('exits 3 without a stack trace on a bad file', () => {
    const run = spawnSync(process.execPath, [binary, join(repoRoot, 'README.md')]);
    expect(run.status).toBe(3);
    expect(run.stderr.toString()).not.toMatch(/\n\s+at /);
  });

  it('waits for a slow reader of its --json pipe and still writes every byte', async () => {
    // ~5 MB of JSON: far more than a pipe holds, so writes queue and synfin must wait for them.
    const talks = Array.from({ length: 4000 }, (_, i) =>
      conversation({ client: `10.1.${i >> 8}.${i & 255}:${30000 + (i % 30000)}`, server: '10.2.0.1:80', offsetMicros: i * 50 })
        .handshake().data('client', 'GET / HTTP/1.1\r\n\r\n').data('server', 'HTTP/1.1 200 OK\r\n\r\n').fin('client').fin('server').ack('client'));
    const dir = mkdtempSync(join(tmpdir(), 'synfin-pipe-'));
    const capture = join(dir, 'many.pcap');
    writeFileSync(capture, pcapOf(...talks));
    const child = spawn(process.execPath, [binary, capture, '--json']);
    const parts: Buffer[] = [];
    child.stdout.pause();
    await new Promise((resolve) => setTimeout(resolve, 300));
    child.stdout.on('data', (part: Buffer) => parts.push(part));
    child.stdout.resume();
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    rmSync(dir, { recursive: true, force: true });
    expect(code).toBe(0);
    const text = Buffer.concat(parts).toString('utf8');
    expect(text.length).toBeGreaterThan(4_000_000);
    expect((JSON.parse(text) as Report).connections).toHaveLength(4000);
  });

  it('exits 0 quietly when its output pipe closes early', () => {
    const run = spawnSync('bash', ['-c', `node ${binary} ${fixture('server-closes.pcap')} --json | head -c 10 >/dev/null; echo "\${PIPESTATUS[0]}"`]);
    expect(run.stdout.toString().trim()).toBe('0');
    expect(run.stderr.toString()).toBe('');
  });
});
