import { formatEndpoint } from '../decode/format.js';
import {
  closingOf,
  firstFinOf,
  firstRstOf,
  handshakeOf,
  synRetransmitsOf,
  zeekStateOf,
  type SideMoment,
} from '../track/classify.js';
import type { TrackedConnection } from '../track/connection.js';
import type { EndpointState } from '../track/endpoint.js';
import type { RequestsEvidence, RequestsReport, TlsReport } from './insight-model.js';
import type { CaptureReport, ConnectionReport, EventReport, Report, Summary } from './model.js';
import { durationMs, isoTime } from './time.js';
import { requestTotals, verdictsOf } from './verdict.js';

/** What payload insight learned about each connection (see src/insight/payload.ts). */
export interface ConnectionInsight {
  requestsOf(connection: TrackedConnection): RequestsReport | null;
  tlsOf(connection: TrackedConnection): TlsReport | null;
  /** requestsOf() without lines and statuses, perhaps in a reused object: for tallies that read no more. */
  requestsEvidenceOf?(connection: TrackedConnection): RequestsEvidence | null;
}

/** Scratch words for endpointText: formatting runs for every connection. */
const addressWords = new Uint32Array(4);

function endpointText(endpoint: EndpointState): string {
  endpoint.copyAddress(addressWords);
  return formatEndpoint(endpoint.ipVersion, addressWords, endpoint.port);
}

/**
 * IPv4 server endpoints already formatted, by address and port: most connections go to a few
 * servers, and load-balanced ones take turns, which defeats remembering only the last one.
 * Bounded, so a capture of many servers costs no more than formatting each time.
 */
const ipv4Servers = new Map<number, string>();
const IPV4_SERVERS_KEPT = 4096;

/** The IPv6 server endpoint formatted last. */
const lastIpv6Server = { words: new Uint32Array(4), port: -1, text: '' };

/** endpointText for a connection's server, formatted once per server where it can. */
export function serverText(endpoint: EndpointState): string {
  endpoint.copyAddress(addressWords);
  if (endpoint.ipVersion === 4) {
    // 32 bits of address and 16 of port: a whole number well within a double's 53.
    const key = addressWords[0]! * 0x10000 + endpoint.port;
    let text = ipv4Servers.get(key);
    if (text === undefined) {
      if (ipv4Servers.size >= IPV4_SERVERS_KEPT) ipv4Servers.clear();
      text = formatEndpoint(4, addressWords, endpoint.port);
      ipv4Servers.set(key, text);
    }
    return text;
  }
  const last = lastIpv6Server;
  const words = last.words;
  if (
    endpoint.port !== last.port ||
    addressWords[0] !== words[0] || addressWords[1] !== words[1] || addressWords[2] !== words[2] || addressWords[3] !== words[3]
  ) {
    words.set(addressWords);
    last.port = endpoint.port;
    last.text = formatEndpoint(6, words, last.port);
  }
  return last.text;
}

function eventReport(found: SideMoment | undefined, precision: number): EventReport | null {
  if (found === undefined) return null;
  const { moment } = found;
  return {
    side: found.side,
    time: isoTime(moment.seconds, moment.nanos, precision),
    capture: moment.capture,
    packet: moment.packet,
  };
}

export function connectionReport(connection: TrackedConnection, insight?: ConnectionInsight): ConnectionReport {
  const { client, server, first, last, precision } = connection;
  const closing = closingOf(connection);
  const duration = durationMs(first.seconds, first.nanos, last.seconds, last.nanos);
  return {
    id: connection.id,
    client: endpointText(client),
    server: serverText(server),
    roleSource: connection.roleSource,
    handshake: handshakeOf(connection),
    synRetransmits: synRetransmitsOf(connection),
    firstFin: eventReport(firstFinOf(connection), precision),
    firstRst: eventReport(firstRstOf(connection), precision),
    closedBy: closing.closedBy,
    closedWith: closing.closedWith,
    simultaneousClose: connection.simultaneousClose,
    packets: { client: client.packets, server: server.packets },
    payloadBytes: { client: client.payloadBytes, server: server.payloadBytes },
    dataBursts: { client: client.dataBursts, server: server.dataBursts },
    start: isoTime(first.seconds, first.nanos, precision),
    end: isoTime(last.seconds, last.nanos, precision),
    durationMs: Math.round(duration * 1e6) / 1e6,
    state: zeekStateOf(connection),
    history: (connection.flipped ? '^' : '') + connection.history,
    firstPacket: { capture: first.capture, packet: first.packet },
    requests: insight?.requestsOf(connection) ?? null,
    tls: insight?.tlsOf(connection) ?? null,
  };
}

export function summarize(connections: readonly ConnectionReport[]): Summary {
  const summary: Summary = {
    connections: connections.length,
    handshakes: 0,
    closedBy: { client: 0, server: 0 },
    closedWith: { fin: 0, rst: 0 },
    open: 0,
    packets: 0,
    ...requestTotals(connections),
  };
  for (const connection of connections) {
    if (connection.handshake === 'complete') summary.handshakes++;
    if (connection.closedBy === null) summary.open++;
    else summary.closedBy[connection.closedBy]++;
    if (connection.closedWith !== null) summary.closedWith[connection.closedWith]++;
    summary.packets += connection.packets.client + connection.packets.server;
  }
  return summary;
}

export function buildReport(
  captures: CaptureReport[],
  tracked: readonly TrackedConnection[],
  filter: { ports: readonly number[]; hosts: readonly string[] },
  insight?: ConnectionInsight,
): Report {
  const connections = tracked.map((connection) => connectionReport(connection, insight));
  return {
    schemaVersion: 1,
    captures,
    filter: { ports: [...filter.ports], hosts: [...filter.hosts] },
    summary: summarize(connections),
    connections,
    verdicts: verdictsOf(connections),
  };
}
