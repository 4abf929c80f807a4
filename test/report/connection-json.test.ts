import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import { connectionJson } from '../../src/report/connection-json.js';
import type { ConnectionReport, EventReport, RequestsReport, TlsReport } from '../../src/report/model.js';
import { repoRoot } from '../helpers/shared-captures.js';

/** What renderJson writes for one connection inside `connections`: JSON.stringify, four spaces deeper. */
function stringified(connection: ConnectionReport): string {
  return `    ${JSON.stringify(connection, null, 2).replaceAll('\n', '\n    ')}`;
}

const fixtures = readdirSync(join(repoRoot, 'fixtures')).filter((name) => /\.pcap(ng)?$/.test(name));

describe('connectionJson', () => {
  it.each(fixtures)('writes what JSON.stringify writes for every connection of fixtures/%s', async (name) => {
    const report = await analyze(join(repoRoot, 'fixtures', name));
    expect(report.connections.length).toBeGreaterThan(0);
    for (const connection of report.connections) expect(connectionJson(connection)).toBe(stringified(connection));
  });

  const side = fc.constantFrom('client' as const, 'server' as const);
  const count = fc.oneof(fc.nat(), fc.constantFrom(0, 2 ** 53 - 1, 1e21));
  const event: fc.Arbitrary<EventReport | null> = fc.option(
    fc.record({ side, time: fc.constantFrom('2024-01-02T03:04:05.123456Z', '+275760-09-13T00:00:00Z'), capture: fc.nat(9), packet: count }),
  );
  const sidePair = fc.record({ client: count, server: count });
  // Wire text: any code units, quotes, backslashes, control characters, lone surrogates.
  const wireText = fc.string({ unit: fc.oneof(fc.constantFrom('"', '\\', '\n', '\u0000', '\u007f', 'é', '\ud800', '€'), fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code))) });
  const signal = fc.option(fc.constantFrom('connection-close' as const, 'http/1.0' as const));
  const requests: fc.Arbitrary<RequestsReport | null> = fc.option(
    fc.record({
      count: fc.nat(),
      known: fc.boolean(),
      lines: fc.array(wireText, { maxLength: 5 }),
      responses: fc.nat(),
      statuses: fc.array(fc.integer({ min: 100, max: 999 }), { maxLength: 5 }),
      closeRequestedBy: fc.option(side),
      closeSignals: fc.record({ client: signal, server: signal }),
      httpVersion: fc.option(fc.oneof(fc.constant('HTTP/1.1'), wireText)),
    }),
  );
  const tls: fc.Arbitrary<TlsReport | null> = fc.option(fc.record({ handshakes: fc.nat(), sni: fc.option(wireText), resumed: fc.boolean() }));
  const connection: fc.Arbitrary<ConnectionReport> = fc.record({
    id: fc.integer({ min: 1 }),
    client: fc.constantFrom('10.0.0.1:40000', '[2001:db8::1]:443', '[::ffff:1.2.3.4]:1'),
    server: fc.constantFrom('127.0.0.1:8087', '[::1]:80'),
    roleSource: fc.constantFrom('syn' as const, 'syn-ack' as const, 'filter-port' as const, 'lower-port' as const),
    handshake: fc.constantFrom('complete' as const, 'syn' as const, 'syn-ack' as const, 'rejected' as const, 'none' as const),
    synRetransmits: fc.nat(),
    firstFin: event,
    firstRst: event,
    closedBy: fc.option(side),
    closedWith: fc.option(fc.constantFrom('fin' as const, 'rst' as const)),
    simultaneousClose: fc.boolean(),
    packets: sidePair,
    payloadBytes: sidePair,
    dataBursts: sidePair,
    start: fc.constant('2024-01-02T03:04:05.123456789Z'),
    end: fc.constant('2024-01-02T03:04:06Z'),
    durationMs: fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(-0, Number.NaN, Infinity, 1e-7)),
    state: fc.constantFrom('SF' as const, 'RSTOS0' as const, 'OTH' as const),
    history: fc.constantFrom('ShADadFf', '^hADadFfR', ''),
    firstPacket: fc.record({ capture: fc.nat(3), packet: count }),
    requests,
    tls,
  });

  test.prop([connection], { numRuns: 300 })('writes what JSON.stringify writes for any report', (report) => {
    expect(connectionJson(report)).toBe(stringified(report));
  });

  it('quotes each request line right when lines repeat, past the lines it keeps quoted', async () => {
    const [base] = (await analyze(join(repoRoot, 'fixtures', 'server-closes.pcap'))).connections;
    // More distinct lines than are kept, twice over, each written by two connections in turn.
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 1_500; i++) {
        const line = i % 3 === 0 ? `GET /item?id=${i}&name="q\\${i}" HTTP/1.1` : `GET /${'p'.repeat(i % 700)} HTTP/1.1`;
        const report: ConnectionReport = { ...base!, id: i + 1, requests: { ...base!.requests!, lines: [line, line] } };
        expect(connectionJson(report)).toBe(stringified(report));
      }
    }
  });
});
