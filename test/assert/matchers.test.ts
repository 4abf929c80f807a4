import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import '../../src/vitest.js';
import { analyze } from '../../src/analyze.js';
import type { Report } from '../../src/report/model.js';
import { conversation, pcapOf } from '../helpers/conversation.js';
import { repoRoot } from '../helpers/shared-captures.js';
import { withoutHttpInsight } from '../helpers/without-http.js';

const fixtures = join(repoRoot, 'fixtures');

/** The message a failing assertion throws. */
function failure(assertion: () => void): string {
  try {
    assertion();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('the assertion passed');
}

async function mixed(): Promise<Report> {
  const one = conversation({ client: '10.0.0.1:40001', server: '10.0.0.2:80' })
    .handshake().data('client', 'a').data('server', 'b').fin('server').fin('client').ack('server');
  const two = conversation({ client: '10.0.0.1:40002', server: '10.0.0.2:80', offsetMicros: 100_000 })
    .handshake().data('client', 'a').data('server', 'b').rst('client');
  return analyze(pcapOf(one, two));
}

describe('synfin/vitest matchers on real captures', () => {
  it('server-closes.pcap: 3 connections, 3 handshakes, all closed by the server with FIN, no reuse', async () => {
    const report = await analyze(join(fixtures, 'server-closes.pcap'), { ports: [8087] });
    expect(report).toHaveConnections(3);
    expect(report).toHaveHandshakes(3);
    expect(report).toBeClosedBy('server');
    expect(report).toBeClosedBy('server', { with: 'fin' });
    expect(report).toBeClosedBy('server', { with: 'fin', count: 3 });
    expect(report).not.toBeClosedBy('client');
    expect(report).toBeClosedBy('client', { count: 0 });
    expect(report).not.toReuseConnections();
  });

  it('keepalive-reuse.pcap: one connection carried three requests', async () => {
    const report = await analyze(join(fixtures, 'keepalive-reuse.pcap'));
    expect(report).toHaveHandshakes(1);
    expect(report).toReuseConnections();
    expect(report).toBeClosedBy('client', { with: 'fin' });
  });
});

describe('failure messages show the connections involved as a table', () => {
  it('toHaveHandshakes', async () => {
    const report = await mixed();
    const message = failure(() => expect(report).toHaveHandshakes(1));
    expect(message).toMatch(/^expected 1 complete handshake, got 2\n\nconnections handshakes:\n┌/);
    expect(message).toContain('│ 1 │ 10.0.0.1:40001 │ 10.0.0.2:80 │ complete');
    expect(message).toContain('│ 2 │ 10.0.0.1:40002 │ 10.0.0.2:80 │ complete');
    expect(message).toMatch(/2 connections · 2 handshakes · closed by server 1, client 1 · 0 open$/);
    expect(failure(() => expect(report).not.toHaveHandshakes(2))).toMatch(/^expected not 2 complete handshakes, got 2\n/);
  });

  it('toHaveConnections', async () => {
    const report = await mixed();
    expect(report).toHaveConnections(2);
    expect(failure(() => expect(report).toHaveConnections(3))).toMatch(/^expected 3 connections, got 2\n\nconnections seen:\n┌/);
  });

  it('toBeClosedBy: every connection, naming the ones that were not', async () => {
    const report = await mixed();
    const message = failure(() => expect(report).toBeClosedBy('server'));
    expect(message).toMatch(/^expected every connection to be closed by server, but 1 of 2 were not\n\nconnections not closed by server:\n┌/);
    expect(message).toContain('│ 2 │ 10.0.0.1:40002 │ 10.0.0.2:80 │ complete');
    expect(message).toContain('client RST');
    expect(message).not.toContain('10.0.0.1:40001');
  });

  it('toBeClosedBy with a count and a flag', async () => {
    const report = await mixed();
    expect(report).toBeClosedBy('client', { with: 'rst', count: 1 });
    expect(report).toBeClosedBy('server', { with: 'fin', count: 1 });
    expect(report).toBeClosedBy('server', { with: 'rst', count: 0 });
    const message = failure(() => expect(report).toBeClosedBy('client', { with: 'fin', count: 1 }));
    expect(message).toMatch(/^expected 1 connection closed by client with FIN, got 0\n\nconnections not closed by client with FIN:\n/);
    expect(message).toContain('10.0.0.1:40001');
    expect(message).toContain('10.0.0.1:40002');
    const tooMany = failure(() => expect(report).toBeClosedBy('server', { count: 0 }));
    expect(tooMany).toMatch(/^expected 0 connections closed by server, got 1\n\nconnections closed by server:\n/);
    expect(tooMany).not.toContain('10.0.0.1:40002');
  });

  it('toBeClosedBy on a report without connections fails', async () => {
    const report = await analyze(conversation({ client: '10.0.0.1:1', server: '10.0.0.2:2' }).syn().pcap(), { ports: [9] });
    expect(failure(() => expect(report).toBeClosedBy('server'))).toBe(
      'expected every connection to be closed by server, but the report has no connections',
    );
  });

  it('toReuseConnections lists requests per connection', async () => {
    const report = await mixed();
    const message = failure(() => expect(report).toReuseConnections());
    expect(message).toMatch(
      /^expected a connection to carry more than one request, but none did:\n {2}#1 10\.0\.0\.1:40001 → 10\.0\.0\.2:80: 1 request \(data bursts\)\n {2}#2 10\.0\.0\.1:40002 → 10\.0\.0\.2:80: 1 request \(data bursts\)\n\nconnections:\n┌/,
    );
    const reused = withoutHttpInsight(await analyze(join(fixtures, 'keepalive-reuse.pcap')));
    expect(failure(() => expect(reused).not.toReuseConnections())).toMatch(
      /^expected no connection to carry more than one request, but 1 did:\n {2}#1 127\.0\.0\.1:54728 → 127\.0\.0\.1:8087: 3 requests \(data bursts\)\n/,
    );
  });

  it('toReuseConnections prefers HTTP request counts when the report has them', async () => {
    const base = withoutHttpInsight(await analyze(join(fixtures, 'keepalive-reuse.pcap')));
    // Same capture, as HTTP insight would describe a connection with a single request on it.
    const report = { ...base, connections: base.connections.map((c) => ({ ...c, requests: { count: 1 } })) } as Report;
    expect(report).not.toReuseConnections();
    const many = { ...base, connections: base.connections.map((c) => ({ ...c, requests: { count: 2 } })) } as Report;
    expect(failure(() => expect(many).not.toReuseConnections())).toContain('2 requests (http)');
  });

  it('bad input is an error, also under .not', () => {
    expect(() => expect({}).toHaveHandshakes(1)).toThrow('expected a synfin Report (from analyze() or captureDuring()), got object');
    expect(() => expect(null).not.toHaveHandshakes(1)).toThrow('got null');
    expect(() => expect({ connections: [], summary: {} }).toHaveHandshakes(-1)).toThrow('toHaveHandshakes(count) must be a whole number >= 0, got -1');
    expect(() => expect({ connections: [], summary: {} }).toBeClosedBy('peer' as 'client')).toThrow("side must be 'client' or 'server'");
  });
});

describe('the package entry', () => {
  it("'synfin/vitest' resolves to the compiled matchers", async () => {
    const entry = await import('synfin/vitest');
    expect(Object.keys(entry.synfinMatchers).sort()).toEqual(['toBeClosedBy', 'toHaveConnections', 'toHaveHandshakes', 'toReuseConnections']);
  });
});
