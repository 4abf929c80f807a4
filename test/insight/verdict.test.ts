/**
 * Verdicts per server endpoint: reused or not, and what prevented reuse, from the evidence in
 * the connections (request counts, close signals in headers, who closed). Then how the table
 * shows requests, the summary clause and the verdict lines.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import { renderTable } from '../../src/report/table.js';
import { conversation, pcapOf, type Conversation } from '../helpers/conversation.js';
import { withoutHttpInsight } from '../helpers/without-http.js';
import { certificate, changeCipherSpec, clientHello, handshakeRecord, serverHello, sessionId } from '../helpers/tls-builder.js';

const server = '10.0.0.2:80';
const get = (path: string, extra = ''): string => `GET ${path} HTTP/1.1\r\nHost: x\r\n${extra}\r\n`;
const ok = (extra = ''): string => `HTTP/1.1 200 OK\r\nContent-Length: 2\r\n${extra}\r\nok`;

/** `count` connections from successive client ports, each scripted by `script`, 10 ms apart. */
function connections(count: number, script: (t: Conversation, i: number) => unknown, to = server): Uint8Array {
  const talks = Array.from({ length: count }, (_, i) => {
    const t = conversation({ client: `10.0.0.1:${40000 + i}`, server: to, offsetMicros: i * 10_000, stepMicros: 100 });
    script(t.handshake(), i);
    return t;
  });
  return pcapOf(...talks);
}

async function verdictOf(pcap: Uint8Array) {
  const report = await analyze(pcap);
  expect(report.verdicts).toHaveLength(1);
  return report.verdicts[0]!;
}

describe('verdicts', () => {
  it('server announced close: Connection: close in each response, then the server FIN', async () => {
    const verdict = await verdictOf(connections(3, (t, i) => t.data('client', get(`/${i}`)).data('server', ok('Connection: close\r\n')).fin('server').fin('client')));
    expect(verdict).toEqual({
      server,
      connections: 3,
      requests: 3,
      reused: false,
      reason: 'server-announced-close',
      text: `${server}  3 requests / 3 connections — no reuse: the server closed each connection after its response (Connection: close in the response)`,
    });
  });

  it('the client closed each connection before its next request', async () => {
    const verdict = await verdictOf(connections(2, (t) => t.data('client', get('/')).data('server', ok()).fin('client').fin('server')));
    expect(verdict.reason).toBe('client-closed');
    expect(verdict.reused).toBe(false);
    expect(verdict.text).toBe(`${server}  2 requests / 2 connections — no reuse: the client closed each connection with FIN before its next request`);
  });

  it('the server closed without announcing it (a RST)', async () => {
    const verdict = await verdictOf(connections(2, (t) => t.data('client', get('/')).data('server', ok()).rst('server', true)));
    expect(verdict.reason).toBe('server-closed');
    expect(verdict.text).toContain('the server closed each connection with RST after its response, without announcing it');
  });

  it('the client asked for the close', async () => {
    const verdict = await verdictOf(connections(2, (t) => t.data('client', get('/', 'Connection: close\r\n')).data('server', ok()).fin('server').fin('client')));
    expect(verdict.reason).toBe('client-requested-close');
    expect(verdict.text).toContain('the client asked to close each connection (Connection: close in the request)');
  });

  it('mixed endings: the most common one, with how many', async () => {
    const verdict = await verdictOf(
      connections(3, (t, i) => (i < 2 ? t.data('client', get('/')).data('server', ok()).fin('client') : t.data('client', get('/')).data('server', ok()).fin('server'))),
    );
    expect(verdict.reason).toBe('client-closed');
    expect(verdict.text).toContain('no reuse: the client closed 2 of 3 connections with FIN before its next request');
  });

  it('reuse: one connection carried several requests', async () => {
    const verdict = await verdictOf(connections(1, (t) => t.data('client', get('/1')).data('server', ok()).data('client', get('/2')).data('server', ok()).fin('client')));
    expect(verdict).toMatchObject({ connections: 1, requests: 2, reused: true, reason: 'reused', text: `${server}  1 connection carried 2 requests — reused` });
  });

  it('partial reuse names what ended the other connections', async () => {
    const verdict = await verdictOf(
      connections(2, (t, i) => {
        t.data('client', get('/a')).data('server', ok());
        if (i === 0) t.data('client', get('/b')).data('server', ok());
        t.fin('client');
      }),
    );
    expect(verdict.reused).toBe(true);
    expect(verdict.text).toBe(`${server}  3 requests / 2 connections — reused: 1 of 2 connections carried several requests (up to 2); the client closed the other connection with FIN before its next request`);
  });

  it('a single request: nothing to reuse', async () => {
    const verdict = await verdictOf(connections(1, (t) => t.data('client', get('/')).data('server', ok())));
    expect(verdict.reason).toBe('single-request');
    expect(verdict.text).toContain('the connection was still open when the capture ended');
  });

  it('unknown when a connection was not seen whole', async () => {
    const t = conversation({ client: '10.0.0.1:40000', server }).data('client', get('/')).data('server', ok());
    const u = conversation({ client: '10.0.0.1:40001', server, offsetMicros: 50_000 }).handshake().data('client', get('/')).data('server', ok()).fin('server');
    const verdict = await verdictOf(pcapOf(t, u));
    expect(verdict).toMatchObject({ reason: 'unknown', reused: false, requests: 2 });
  });

  it('TLS: requests are encrypted; handshakes and resumption are what is known', async () => {
    const pcap = connections(
      2,
      (t, i) => {
        t.data('client', handshakeRecord(clientHello({ sni: 'tls.test', sessionId: sessionId(i + 1) })));
        if (i === 0) t.data('server', handshakeRecord(serverHello({ sessionId: sessionId(9) }), certificate()));
        else t.data('server', handshakeRecord(serverHello({ sessionId: sessionId(i + 1) }))).data('server', changeCipherSpec());
      },
      '10.0.0.2:443',
    );
    const report = await analyze(pcap);
    expect(report.verdicts).toEqual([
      {
        server: '10.0.0.2:443',
        connections: 2,
        requests: 0,
        reused: false,
        reason: 'encrypted',
        text: '10.0.0.2:443  2 connections, 2 TLS handshakes — requests encrypted, reuse not visible; 1 of 2 resumed a session',
      },
    ]);
    expect(report.summary).toMatchObject({ requests: 0, reuseRatio: null });

    const closed = await analyze(
      connections(3, (t, i) => {
        t.data('client', handshakeRecord(clientHello({ sni: 'tls.test' })));
        t.data('server', handshakeRecord(serverHello(), certificate()));
        t.fin(i === 2 ? 'client' : 'server');
      }, '10.0.0.2:443'),
    );
    expect(closed.verdicts[0]!.text).toBe(
      '10.0.0.2:443  3 connections, 3 TLS handshakes — requests encrypted, reuse not visible; every handshake was a full one; the server closed 2 of 3, the client closed 1 of 3',
    );
  });

  it('one connection that carried no request', async () => {
    const verdict = await verdictOf(connections(1, (t) => t.data('server', 'HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Length: 0\r\n\r\n').fin('server')));
    expect(verdict).toMatchObject({ requests: 0, reused: false, reason: 'single-request' });
    expect(verdict.text).toBe(`${server}  0 requests / 1 connection — no request was seen; the server closed the connection after its response (Connection: close in the response)`);
  });

  it('one verdict per server endpoint, in order of first connection', async () => {
    const a = conversation({ client: '10.0.0.1:40000', server: '10.0.0.3:8080' }).handshake().data('client', get('/')).data('server', ok()).fin('server');
    const b = conversation({ client: '10.0.0.1:40001', server, offsetMicros: 20_000 }).handshake().data('client', get('/')).data('server', ok()).fin('server');
    const c = conversation({ client: '10.0.0.1:40002', server: '10.0.0.4:22', offsetMicros: 40_000 }).handshake().data('server', 'SSH-2.0-x\r\n');
    const report = await analyze(pcapOf(a, b, c));
    expect(report.verdicts.map((v) => v.server)).toEqual(['10.0.0.3:8080', server]);
  });
});

describe('table and summary', () => {
  it('a requests column, the requests clause, then the verdicts', async () => {
    const pcap = connections(2, (t, i) => {
      t.data('client', get('/a')).data('server', ok());
      if (i === 1) t.data('client', get('/b')).data('server', ok()).data('client', get('/c')).data('server', ok());
      t.fin('client');
    });
    const report = await analyze(pcap);
    expect(report.summary).toMatchObject({ requests: 4, reuseRatio: 2 });
    const text = renderTable(report);
    const lines = text.trimEnd().split('\n');
    expect(lines[1]).toMatch(/│ requests │$/);
    expect(lines[2]).toMatch(/│ 1 +│$/);
    expect(lines[3]).toMatch(/│ 3 +│$/);
    expect(text).toContain('2 connections · 2 handshakes · closed by client 2, server 0 · 0 open · 4 requests over 2 connections (reuse 2.0)\n');
    expect(lines.at(-1)).toBe(`${server}  4 requests / 2 connections — reused: 1 of 2 connections carried several requests (up to 3); the client closed the other connection with FIN before its next request`);
  });

  it('a report saved without the insight fields still renders', async () => {
    const report = withoutHttpInsight(await analyze(connections(1, (t) => t.data('client', get('/')).data('server', ok()))));
    delete (report as { verdicts?: unknown }).verdicts;
    const text = renderTable(report);
    expect(text.split('\n')[2]).toMatch(/│ - +│$/);
    expect(text).not.toContain('requests over');
  });

  it('no requests: no clause, a dash in the column', async () => {
    const report = await analyze(connections(1, (t) => t.fin('client').fin('server')));
    expect(report.summary).toMatchObject({ requests: 0, reuseRatio: null });
    const text = renderTable(report);
    expect(text).toContain('closed by client 1, server 0 · 0 open\n');
    expect(text).not.toContain('requests over');
    expect(text.split('\n')[2]).toMatch(/│ - +│$/);
  });
});
