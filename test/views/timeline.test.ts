import { describe, expect, it } from 'vitest';
import type { ConnectionReport, Report } from '../../src/report/model.js';
import type { TimelineRow } from '../../src/view/record.js';
import { viewStyle } from '../../src/view/style.js';
import { renderTimeline } from '../../src/view/timeline.js';

function connection(id: number, extra: Partial<ConnectionReport> = {}): ConnectionReport {
  return {
    id, client: `10.0.0.1:${40000 + id}`, server: '10.0.0.2:80', roleSource: 'syn', handshake: 'complete',
    synRetransmits: 0, firstFin: null, firstRst: null, closedBy: 'server', closedWith: 'fin', simultaneousClose: false,
    packets: { client: 1, server: 1 }, payloadBytes: { client: 0, server: 0 }, start: '', end: '', durationMs: 0,
    state: 'SF', history: '', firstPacket: { capture: 0, packet: 1 }, ...extra,
  };
}

function report(connections: ConnectionReport[]): Report {
  return {
    schemaVersion: 1, captures: [], filter: { ports: [], hosts: [] },
    summary: { connections: connections.length, handshakes: 0, closedBy: { client: 0, server: 0 }, closedWith: { fin: 0, rst: 0 }, open: 0, packets: 0 },
    connections,
  };
}

function row(id: number, start: number, end: number, extra: Partial<TimelineRow> = {}): TimelineRow {
  return {
    id, start, end, syn: start, synAck: start, clientFin: null, serverFin: end, clientRst: null, serverRst: null,
    bursts: [], burstsMerged: 0, ...extra,
  };
}

/** The bar of row n (0-based), between label and verdict. */
function bars(text: string): string[] {
  return text.split('\n').filter((line) => line.startsWith('#')).map((line) => line.split(' ').slice(2, -2).join(' '));
}

const plain = viewStyle({ width: 60 });

describe('renderTimeline', () => {
  it('keeps handshake, first request and close visible and in order in a one-cell connection', () => {
    const rows = [
      row(1, 0, 1_000_000_000),
      row(2, 500_000_000, 500_000_100, { bursts: [{ start: 500_000_050, end: 500_000_060 }] }),
      row(3, 999_999_000, 1_000_000_000, { bursts: [{ start: 999_999_500, end: 999_999_600 }] }),
    ];
    const text = renderTimeline(report([connection(1), connection(2), connection(3)]), rows, plain);
    const [, second, third] = bars(text);
    expect(second!.trim()).toBe('▶●S');
    // At the right edge the marks move left rather than fall off.
    expect(third!.trimStart()).toBe('▶●S');
  });

  it('draws a RST close lowercase, a client close as C, and a row with no SYN as began-before-capture', () => {
    const rows = [
      row(1, 0, 100, { serverFin: null, clientRst: 100 }),
      row(2, 0, 100, { syn: null, synAck: null, serverFin: null, clientFin: 100 }),
    ];
    const connections = [connection(1, { closedBy: 'client', closedWith: 'rst' }), connection(2, { closedBy: 'client', closedWith: 'fin', handshake: 'none' })];
    const text = renderTimeline(report(connections), rows, plain);
    const [first, second] = bars(text);
    expect(first!.startsWith('▶')).toBe(true);
    expect(first!.trimEnd().endsWith('c')).toBe(true);
    expect(second!.startsWith('┄')).toBe(true);
    expect(second!.trimEnd().endsWith('C')).toBe(true);
    expect(text).toContain('client RST');
  });

  it('counts connections it has no row for', () => {
    const text = renderTimeline(report([connection(1), connection(2), connection(3)]), [row(1, 0, 10)], plain);
    expect(text).toContain('… 2 more connections not drawn');
  });

  it('says so when there is nothing to draw', () => {
    expect(renderTimeline(report([]), [], plain)).toBe('timeline: no connections\n');
  });

  it('draws ASCII only with --ascii', () => {
    const text = renderTimeline(report([connection(1)]), [row(1, 0, 10, { bursts: [{ start: 5, end: 8 }] })], viewStyle({ width: 60, ascii: true }));
    expect(text).toMatch(/^[\x20-\x7e\n]*$/);
  });
});
