import { describe, expect, it } from 'vitest';
import type { CloseSignal } from '../../src/report/model.js';
import { requestTotals, verdictsOf, type VerdictEvidence } from '../../src/report/verdict.js';

function http(
  count: number,
  closedBy: 'client' | 'server' | null = 'client',
  more: { closedWith?: 'fin' | 'rst'; server?: CloseSignal; client?: CloseSignal; known?: boolean; at?: string } = {},
): VerdictEvidence {
  return {
    server: more.at ?? '10.0.0.1:80',
    closedBy,
    closedWith: closedBy === null ? null : more.closedWith ?? 'fin',
    requests: {
      count,
      known: more.known ?? true,
      lines: [],
      responses: count,
      statuses: [],
      closeRequestedBy: null,
      closeSignals: { client: more.client ?? null, server: more.server ?? null },
      httpVersion: 'HTTP/1.1',
    },
    tls: null,
  };
}

function tls(closedBy: 'client' | 'server' | null, resumed: boolean, at = '10.0.0.2:443'): VerdictEvidence {
  return { server: at, closedBy, closedWith: closedBy === null ? null : 'fin', requests: null, tls: { handshakes: 1, sni: null, resumed } };
}

describe('verdictsOf', () => {
  it('judges 300,000 connections to one server (more than a spread call can take)', () => {
    const connections = Array.from({ length: 300_000 }, (_, i) => http(i === 7 ? 3 : 1));
    const [verdict] = verdictsOf(connections);
    expect(verdict).toMatchObject({ server: '10.0.0.1:80', connections: 300_000, requests: 300_002, reused: true });
    expect(verdict!.text).toContain('up to 3');
  });

  it('says no reuse, and who closed, when every connection carried one request', () => {
    const [verdict] = verdictsOf([http(1, 'server'), http(1, 'server'), http(1, 'client')]);
    expect(verdict).toMatchObject({ reused: false, reason: 'server-closed', requests: 3 });
    expect(verdict!.text).toContain('2 of 3 connections');
  });

  it('names the other connections by how most of them ended, FIN and RST in the order seen', () => {
    const [verdict] = verdictsOf([http(3), http(1, 'server', { closedWith: 'rst' }), http(1, 'server'), http(1, 'client')]);
    expect(verdict!.text).toBe(
      '10.0.0.1:80  6 requests / 4 connections — reused: 1 of 4 connections carried several requests (up to 3); the server closed the other connections with RST or FIN after its response, without announcing it',
    );
  });

  it('quotes the first close signal of each side, and says when the server did not close them all', () => {
    const [verdict] = verdictsOf([
      http(1, 'client', { server: 'http/1.0' }),
      http(1, 'server', { server: 'connection-close', client: 'connection-close' }),
    ]);
    expect(verdict).toMatchObject({ reason: 'server-announced-close', reused: false });
    expect(verdict!.text).toBe(
      '10.0.0.1:80  2 requests / 2 connections — no reuse: the server announced the close of each connection in its response (HTTP/1.0 response without keep-alive, to a request with Connection: close)',
    );
  });

  it('gives no verdict on reuse while a request count is unknown', () => {
    const [verdict] = verdictsOf([http(1), http(1, null, { known: false })]);
    expect(verdict).toMatchObject({ reason: 'unknown', reused: false });
    expect(verdict!.text).toContain('1 of 2 connections were not seen whole');
  });

  it('judges TLS-only servers apart, in order of first connection', () => {
    const verdicts = verdictsOf([tls('server', false), http(1, 'client', { at: '10.0.0.3:80' }), tls('client', true), tls(null, false)]);
    expect(verdicts.map((v) => v.server)).toEqual(['10.0.0.2:443', '10.0.0.3:80']);
    expect(verdicts[0]!.text).toBe(
      '10.0.0.2:443  3 connections, 3 TLS handshakes — requests encrypted, reuse not visible; 1 of 3 resumed a session; the server closed 1 of 3, the client closed 1 of 3',
    );
    expect(verdicts[1]!.reason).toBe('single-request');
  });

  it('totals requests over the connections that carried any', () => {
    expect(requestTotals([http(3), http(0), tls('server', false), http(2)])).toEqual({ requests: 5, reuseRatio: 2.5 });
    expect(requestTotals([tls('server', false)])).toEqual({ requests: 0, reuseRatio: null });
  });
});
