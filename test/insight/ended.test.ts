/** Ended connections keep their results compactly and give back the same reports, fresh each time. */
import { describe, expect, it } from 'vitest';
import { EndedConnections, type RequestsSummary } from '../../src/insight/ended.js';

const summary: RequestsSummary = {
  count: 7,
  known: false,
  lines: ['GET /1 HTTP/1.0', 'GET /2 HTTP/1.0'],
  responses: 6,
  statuses: [100, 200, 0, 999, 304],
  closeRequestedBy: 'server',
  clientSignal: 'http/1.0',
  serverSignal: 'connection-close',
  httpVersion: 'HTTP/1.0',
};

describe('EndedConnections', () => {
  it('gives back what it was given, for ids past its first size', () => {
    const ended = new EndedConnections();
    ended.add(5000, summary, { handshakes: 2, sni: 'example.org', resumed: true });
    ended.add(3, { ...summary, lines: ['GET / HTTP/1.1'], statuses: undefined, closeRequestedBy: null, clientSignal: null, serverSignal: null, httpVersion: null, known: true }, null);
    ended.add(4, null, null);
    expect(ended.requests(5000)).toEqual({
      count: 7,
      known: false,
      lines: ['GET /1 HTTP/1.0', 'GET /2 HTTP/1.0'],
      responses: 6,
      statuses: [100, 200, 0, 999, 304],
      closeRequestedBy: 'server',
      closeSignals: { client: 'http/1.0', server: 'connection-close' },
      httpVersion: 'HTTP/1.0',
    });
    expect(ended.tlsOf(5000)).toEqual({ handshakes: 2, sni: 'example.org', resumed: true });
    expect(ended.requests(3)).toMatchObject({ known: true, lines: ['GET / HTTP/1.1'], statuses: [], closeRequestedBy: null, httpVersion: null });
    expect(ended.has(4) && ended.requests(4) === null && ended.tlsOf(4) === null).toBe(true);
    expect(ended.has(6) || ended.has(1_000_000)).toBe(false);
    expect(ended.requests(1_000_000)).toBeNull();
  });

  it('keeps what it was given across chunks made ahead by reserve() and chunks made by add()', () => {
    const ended = new EndedConnections();
    ended.reserve(20_000); // nothing ended yet: nothing made, nothing known
    expect(ended.has(0) || ended.has(19_999)).toBe(false);
    ended.add(2, null, null);
    ended.reserve(20_000);
    for (const id of [4095, 4096, 19_999, 20_000, 50_000]) ended.add(id, { ...summary, count: id }, null);
    for (const id of [2, 4095, 4096, 19_999, 20_000, 50_000]) expect(ended.has(id)).toBe(true);
    for (const id of [4095, 4096, 19_999, 20_000, 50_000]) expect(ended.requests(id)?.count).toBe(id);
    for (const id of [3, 4097, 19_998, 20_001, 49_999, 50_001, 1 << 20]) expect(ended.has(id)).toBe(false);
  });

  it('hands out a new report each time', () => {
    const ended = new EndedConnections();
    ended.add(1, summary, null);
    const first = ended.requests(1)!;
    first.lines.push('changed');
    first.statuses.length = 0;
    first.closeSignals.client = null;
    expect(ended.requests(1)).toMatchObject({ lines: summary.lines, statuses: summary.statuses, closeSignals: { client: 'http/1.0' } });
  });

  it('gives the evidence the verdicts read, the same as in the report', () => {
    const ended = new EndedConnections();
    ended.add(5000, summary, null);
    ended.add(3, { ...summary, count: 1, known: true, clientSignal: null, serverSignal: null }, null);
    ended.add(4, null, null);
    for (const id of [5000, 3]) {
      const { count, known, closeSignals } = ended.requests(id)!;
      expect(ended.requestsEvidence(id)).toEqual({ count, known, closeSignals });
    }
    expect(ended.requestsEvidence(5000)).toEqual({ count: 7, known: false, closeSignals: { client: 'http/1.0', server: 'connection-close' } });
    expect(ended.requestsEvidence(4)).toBeNull();
    expect(ended.requestsEvidence(6)).toBeNull();
    expect(ended.requestsEvidence(1_000_000)).toBeNull();
  });
});
