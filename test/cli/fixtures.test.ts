/**
 * The real loopback captures in fixtures/ (made by fixtures/make-fixtures.sh) against the
 * answers tshark gives for them (fixtures/expected.json), through the CLI's --json output.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/model.js';
import { runCli } from '../helpers/run-cli.js';
import { repoRoot } from '../helpers/shared-captures.js';

interface ExpectedConnection {
  client: string;
  server: string;
  handshake: string;
  firstFin: 'client' | 'server' | null;
  firstRst: 'client' | 'server' | null;
  closedBy: 'client' | 'server' | null;
  closedWith: 'fin' | 'rst' | null;
  packets: { client: number; server: number };
  payloadBytes: { client: number; server: number };
}

const fixtures = join(repoRoot, 'fixtures');
const expected = JSON.parse(readFileSync(join(fixtures, 'expected.json'), 'utf8')) as Record<
  string,
  { port: number; format: string; linkType: number; timestampPrecision: string; connections: ExpectedConnection[] }
>;

describe('fixtures agree with tshark (fixtures/expected.json)', () => {
  for (const [file, truth] of Object.entries(expected)) {
    it(file, async () => {
      const result = await runCli([join(fixtures, file), '--port', String(truth.port), '--json']);
      expect(result.code).toBe(0);
      expect(result.stderr).toBe('');
      const report = JSON.parse(result.stdout) as Report;
      expect(report.captures[0]).toMatchObject({ format: truth.format, linkTypes: [truth.linkType], truncated: false });
      expect(
        report.connections.map((c) => ({
          client: c.client,
          server: c.server,
          handshake: c.handshake,
          firstFin: c.firstFin?.side ?? null,
          firstRst: c.firstRst?.side ?? null,
          closedBy: c.closedBy,
          closedWith: c.closedWith,
          packets: c.packets,
          payloadBytes: c.payloadBytes,
        })),
      ).toEqual(truth.connections);
      const digits = truth.timestampPrecision === 'nano' ? 9 : 6;
      expect(report.connections[0]!.start).toMatch(new RegExp(`\\.\\d{${digits}}Z$`));
    });
  }

  it('the seed question: three connections, each closed by the server', async () => {
    const result = await runCli([join(fixtures, 'server-closes.pcap'), '--port', '8087']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('3 connections · 3 handshakes · closed by server 3, client 0 · 0 open');
    expect(result.stdout.match(/server FIN/g)).toHaveLength(3);
  });

  it('keep-alive reuse: one handshake for three requests', async () => {
    const result = await runCli([join(fixtures, 'keepalive-reuse.pcap'), '--port', '8087']);
    expect(result.stdout).toContain('1 connection · 1 handshake · closed by client 1, server 0 · 0 open');
  });

  it('port reuse: two connections on one 4-tuple', async () => {
    const result = await runCli([join(fixtures, 'port-reuse.pcap'), '--json']);
    const report = JSON.parse(result.stdout) as Report;
    expect(report.connections).toHaveLength(2);
    expect(report.connections[0]!.client).toBe(report.connections[1]!.client);
    expect(report.connections.map((c) => c.state)).toEqual(['SF', 'SF']);
  });
});
