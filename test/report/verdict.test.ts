import { describe, expect, it } from 'vitest';
import { verdictsOf, type VerdictEvidence } from '../../src/report/verdict.js';

function http(count: number, closedBy: 'client' | 'server' = 'client'): VerdictEvidence {
  return {
    server: '10.0.0.1:80',
    closedBy,
    closedWith: 'fin',
    requests: {
      count,
      known: true,
      lines: [],
      responses: count,
      statuses: [],
      closeRequestedBy: null,
      closeSignals: { client: null, server: null },
      httpVersion: 'HTTP/1.1',
    },
    tls: null,
  };
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
});
