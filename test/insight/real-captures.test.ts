/**
 * Requests, responses and TLS hellos on real captures against tshark: the loopback fixtures
 * made by fixtures/make-insight-fixtures.sh (tshark's answer committed next to them in
 * fixtures/insight-expected.json, with the command that produced it) and the public samples
 * with HTTP and TLS in ../shared/captures (tshark run here, when installed). Then the verdicts
 * those captures lead to.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import type { Report, TlsReport } from '../../src/report/model.js';
import { repoRoot, sharedFiles, haveSharedCaptures } from '../helpers/shared-captures.js';
import { haveCommand } from '../helpers/tools.js';

interface TsharkConnection {
  stream: number;
  requests: number;
  responses: number;
  lines: string[];
  statuses: number[];
  tls: TlsReport | null;
}

const fixtures = join(repoRoot, 'fixtures');
const expected = JSON.parse(readFileSync(join(fixtures, 'insight-expected.json'), 'utf8')) as {
  command: string;
  files: Record<string, { about: string; port: number; connections: TsharkConnection[] }>;
};

const tshark = haveCommand('tshark');

/** tshark's answer now, by the same script that wrote insight-expected.json. */
async function tsharkAnswer(path: string): Promise<TsharkConnection[]> {
  const script = (await import(pathToFileURL(join(fixtures, 'scripts', 'insight-expected.mjs')).href)) as {
    analyse(path: string): Promise<TsharkConnection[]>;
  };
  return script.analyse(path);
}

/**
 * Where synfin and tshark 4.0 count responses differently, and why synfin is right:
 * - pipelined.pcap: tshark reads the HEAD response (no Content-Length, keep-alive) as a body
 *   that runs to the close, and so sees 2 responses of 5; synfin frames it by the request
 *   method (RFC 9112 §6.3), and the capture holds 5 status lines.
 * - bro.org.pcap, connection 3: segments inside the first response's body were not captured;
 *   tshark cannot reassemble that response and drops it, synfin skips the hole inside the
 *   body by Content-Length (31052) and counts the status line it saw.
 */
const responsesDiffer: Record<string, { responses: number; statuses?: number[] }> = {
  'pipelined.pcap#1': { responses: 5, statuses: [200, 200, 200, 200, 200] },
  'bro.org.pcap#3': { responses: 6 },
};

function compare(file: string, report: Report, truth: TsharkConnection[]): void {
  expect(report.connections).toHaveLength(truth.length);
  truth.forEach((t, index) => {
    const connection = report.connections[index]!;
    const requests = connection.requests;
    const where = `${file} connection ${index + 1}`;
    expect(requests?.count ?? 0, where).toBe(t.requests);
    expect(requests?.lines ?? [], where).toEqual(t.lines);
    const differ = responsesDiffer[`${file}#${index + 1}`];
    expect(requests?.responses ?? 0, where).toBe(differ?.responses ?? t.responses);
    expect(requests?.statuses ?? [], where).toEqual(differ?.statuses ?? t.statuses);
    if (t.requests === 0 && t.responses === 0) expect(requests, where).toBeNull();
    expect(connection.tls, where).toEqual(t.tls);
  });
}

describe('loopback fixtures agree with tshark (fixtures/insight-expected.json)', () => {
  for (const [file, truth] of Object.entries(expected.files)) {
    it(file, async () => {
      const report = await analyze(join(fixtures, file));
      compare(file, report, truth.connections);
      for (const connection of report.connections) {
        if (connection.requests !== null) expect(connection.requests.known).toBe(true);
      }
    });
  }

});

describe.skipIf(!tshark)('the committed answers are still what tshark says', () => {
  const answers = new Map<string, Promise<TsharkConnection[]>>();
  beforeAll(() => {
    for (const file of Object.keys(expected.files)) answers.set(file, tsharkAnswer(join(fixtures, file)));
  });
  for (const [file, truth] of Object.entries(expected.files)) {
    it(file, async () => {
      expect(await answers.get(file)!).toEqual(truth.connections);
    });
  }
});

const sharedHttp = ['bro.org.pcap', 'pipelined-requests.pcap', 'http-packets2.pcap', 'four_ipv6_http_streams.pcap', 'many_interfaces-1.pcapng', 'openjdk-25.0.2-zeek.org.pcap'];

describe.skipIf(!haveSharedCaptures || !tshark)('shared captures with HTTP and TLS agree with tshark', () => {
  const answers = new Map<string, Promise<TsharkConnection[]>>();
  beforeAll(() => {
    for (const file of sharedHttp) answers.set(file, tsharkAnswer(join(sharedFiles, file)));
  });
  for (const file of sharedHttp) {
    it(file, async () => {
      compare(file, await analyze(join(sharedFiles, file)), await answers.get(file)!);
    });
  }
});

describe('verdicts on real captures', () => {
  async function verdicts(path: string) {
    return (await analyze(path)).verdicts;
  }

  it('python http.server, HTTP/1.0: the server closed each connection', async () => {
    const [verdict, ...others] = await verdicts(join(fixtures, 'server-closes.pcap'));
    expect(others).toEqual([]);
    expect(verdict).toEqual({
      server: '127.0.0.1:8087',
      connections: 3,
      requests: 3,
      reused: false,
      reason: 'server-announced-close',
      text: '127.0.0.1:8087  3 requests / 3 connections — no reuse: the server closed each connection after its response (HTTP/1.0 response without keep-alive, to an HTTP/1.0 request without keep-alive)',
    });
  });

  it('node keep-alive agent and curl with several URLs: one connection, reused', async () => {
    expect(await verdicts(join(fixtures, 'keepalive-reuse.pcap'))).toMatchObject([{ reused: true, reason: 'reused', connections: 1, requests: 3, text: '127.0.0.1:8087  1 connection carried 3 requests — reused' }]);
    expect(await verdicts(join(fixtures, 'keepalive-reuse.pcapng'))).toMatchObject([{ reused: true, requests: 3, server: '[::1]:8087' }]);
    expect(await verdicts(join(fixtures, 'curl-reuse.pcap'))).toMatchObject([{ reused: true, connections: 1, requests: 3 }]);
  });

  it('one curl per URL: the client closed each connection before its next request', async () => {
    expect(await verdicts(join(fixtures, 'curl-separate.pcap'))).toEqual([
      expect.objectContaining({
        connections: 3,
        requests: 3,
        reused: false,
        reason: 'client-closed',
        text: '127.0.0.1:8087  3 requests / 3 connections — no reuse: the client closed each connection with FIN before its next request',
      }),
    ]);
  });

  it('pipelining: five requests on one connection, the last asked to close', async () => {
    const report = await analyze(join(fixtures, 'pipelined.pcap'));
    expect(report.connections[0]!.requests).toMatchObject({ count: 5, closeRequestedBy: 'client', known: true });
    expect(report.verdicts).toMatchObject([{ reused: true, requests: 5, text: '127.0.0.1:8087  1 connection carried 5 requests — reused' }]);
  });

  it('TLS: full handshakes each time, or sessions resumed', async () => {
    expect((await verdicts(join(fixtures, 'tls-fresh.pcap')))[0]!.text).toBe(
      '127.0.0.1:8087  3 connections, 3 TLS handshakes — requests encrypted, reuse not visible; every handshake was a full one; the server closed each connection',
    );
    for (const file of ['tls-resumed.pcap', 'tls12-resumed.pcap']) {
      const [verdict] = await verdicts(join(fixtures, file));
      expect(verdict, file).toMatchObject({ reason: 'encrypted', reused: false, connections: 3 });
      expect(verdict!.text, file).toContain('2 of 3 resumed a session');
    }
  });

  it.skipIf(!haveSharedCaptures)('bro.org.pcap: a browser reusing keep-alive connections', async () => {
    const report = await analyze(join(sharedFiles, 'bro.org.pcap'));
    expect(report.summary).toMatchObject({ requests: 31, reuseRatio: 3.875 });
    expect(report.verdicts).toEqual([
      expect.objectContaining({
        server: '192.150.187.43:80',
        connections: 8,
        requests: 31,
        reused: true,
        text: '192.150.187.43:80  31 requests / 8 connections — reused: 7 of 8 connections carried several requests (up to 7); the other connection was still open when the capture ended',
      }),
    ]);
  });
});
