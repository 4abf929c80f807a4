/**
 * Payload insight: a SegmentObserver that follows each connection's two byte streams in
 * sequence order and reads just enough of them to count HTTP/1.x messages and the TLS hellos.
 * State is per connection (by id) and per endpoint index; client and server are resolved at
 * the end, from the connection's final roles. A connection has no state until its first
 * payload, a direction none until it sends some, and a direction whose first bytes are neither
 * HTTP nor TLS (or whose remaining bytes say nothing more) costs a few comparisons per segment.
 */
import { TcpFlag } from '../decode/constants.js';
import type { DecodedPacket } from '../decode/decoded.js';
import type { RequestsEvidence, RequestsReport, TlsReport } from '../report/insight-model.js';
import type { Side } from '../track/classify.js';
import type { TrackedConnection } from '../track/connection.js';
import type { SegmentObserver } from '../track/observer.js';
import { EndedConnections, type RequestsSummary } from './ended.js';
import type { Method } from './http-start-line.js';
import { HttpDirection, type HttpExchange } from './http.js';
import { OpenTable } from './open-table.js';
import { OrderedStream } from './reassembly.js';
import { TlsDirection, TlsExchange } from './tls.js';

const TLS_HANDSHAKE_RECORD = 0x16;

/** One direction's stream, handed to the parser its first byte picks. */
class PayloadDirection extends OrderedStream {
  parser: HttpDirection | TlsDirection | undefined;
  /** Bytes were missing before the first captured byte: the start of this stream is unknown. */
  lostStart = false;

  constructor(private readonly connection: ConnectionPayload) {
    super();
  }

  get idle(): boolean {
    return this.lostStart || (this.parser !== undefined && this.parser.idle);
  }

  data(bytes: Uint8Array, start: number, end: number): void {
    if (this.lostStart) return;
    if (this.parser === undefined) {
      this.parser = bytes[start] === TLS_HANDSHAKE_RECORD
        ? new TlsDirection(this.connection.tlsExchange())
        : new HttpDirection(this.connection.httpExchange());
    }
    this.parser.data(bytes, start, end);
  }

  gap(length: number): void {
    if (this.parser === undefined) this.lostStart = true;
    else this.parser.gap(length);
  }
}

/** A connection's payload state; it is also the HTTP state its two directions share. */
class ConnectionPayload implements HttpExchange {
  /** Each side's stream, made on its first payload. */
  private first: PayloadDirection | undefined;
  private second: PayloadDirection | undefined;
  /** Each side's ISN, from its SYN, kept until that side sends payload (bit i: side i has one). */
  private firstIsn = 0;
  private secondIsn = 0;
  private isnSeen = 0;
  http = false;
  methods: Method[] | undefined;
  tunnel = false;
  tls: TlsExchange | undefined;
  finished = false;

  syn(side: 0 | 1, sequence: number): void {
    const direction = side === 0 ? this.first : this.second;
    if (direction !== undefined) {
      direction.syn(sequence);
    } else if ((this.isnSeen & (1 << side)) === 0) {
      this.isnSeen |= 1 << side;
      if (side === 0) this.firstIsn = sequence;
      else this.secondIsn = sequence;
    }
  }

  direction(side: 0 | 1): PayloadDirection | undefined {
    return side === 0 ? this.first : this.second;
  }

  /** The side's stream, made on its first payload. */
  stream(side: 0 | 1): PayloadDirection {
    const existing = side === 0 ? this.first : this.second;
    if (existing !== undefined) return existing;
    const direction = new PayloadDirection(this);
    if ((this.isnSeen & (1 << side)) !== 0) direction.syn(side === 0 ? this.firstIsn : this.secondIsn);
    if (side === 0) this.first = direction;
    else this.second = direction;
    return direction;
  }

  httpExchange(): HttpExchange {
    this.http = true;
    return this;
  }

  tlsExchange(): TlsExchange {
    return (this.tls ??= new TlsExchange());
  }

  /** Nothing more to learn: both directions are idle (a direction that sent nothing yet is not). */
  get idle(): boolean {
    return this.first !== undefined && this.second !== undefined && this.first.idle && this.second.idle;
  }

  finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.first?.finish();
    this.second?.finish();
  }
}

/** A side's stream starts after the ISN of its SYN or SYN-ACK, when the tracker saw one. */
function startFromHandshake(state: ConnectionPayload, connection: TrackedConnection, side: 0 | 1): void {
  const endpoint = connection.endpoints[side];
  if (endpoint.synCount > 0) state.syn(side, endpoint.synSequence);
  else if (endpoint.synAckCount > 0) state.syn(side, endpoint.synAckSequence);
}

/** Every HTTP message this direction sent was read (a direction that sent nothing is whole). */
function wholeFromStart(direction: PayloadDirection | undefined): boolean {
  if (direction === undefined) return true;
  if (direction.lostStart || direction.startedMidStream) return false;
  return !(direction.parser instanceof HttpDirection) || direction.parser.known;
}

function http(direction: PayloadDirection | undefined): HttpDirection | undefined {
  return direction?.parser instanceof HttpDirection ? direction.parser : undefined;
}

/** Follows every connection's payload; ask `requestsOf` / `tlsOf` once the capture is read. */
export class PayloadInsight implements SegmentObserver {
  private readonly connections = new OpenTable<ConnectionPayload>();
  /** Results of connections that ended, by id: a few numbers instead of the parsers. */
  private readonly ended = new EndedConnections();
  private lastId = -1;
  private last: ConnectionPayload | undefined;
  /** Filled for each connection summed up, read at once (the ended store copies what it keeps). */
  private readonly summary: RequestsSummary = {
    count: 0,
    known: true,
    lines: undefined,
    responses: 0,
    statuses: undefined,
    closeRequestedBy: null,
    clientSignal: null,
    serverSignal: null,
    httpVersion: null,
  };

  reserve(connections: number): void {
    this.ended.reserve(connections);
  }

  segment(connection: TrackedConnection, side: 0 | 1, packet: DecodedPacket, frame: Uint8Array): void {
    const flags = packet.flags;
    // A bare ACK neither carries bytes nor starts or ends a stream: most segments, nothing to do.
    if (packet.payloadLength === 0 && (flags & (TcpFlag.SYN | TcpFlag.FIN | TcpFlag.RST)) === 0) return;
    const id = connection.id;
    let state: ConnectionPayload | undefined;
    let created = false;
    if (id === this.lastId) {
      state = this.last;
    } else {
      state = this.connections.get(id);
      if (state === undefined) {
        // No state until the first payload: connections that carry none (scans, refusals,
        // bare handshakes) cost nothing here. The tracker kept each side's ISN from its SYN.
        // A connection already summed up (it ended) stays summed up: a late retransmission adds nothing.
        if (packet.payloadLength === 0 || (flags & TcpFlag.RST) !== 0 || this.ended.has(id)) return;
        state = new ConnectionPayload();
        startFromHandshake(state, connection, 0);
        startFromHandshake(state, connection, 1);
        this.connections.add(id, state);
        created = true;
      }
      this.lastId = id;
      this.last = state;
    }
    if (state === undefined) return;
    // Payload on a RST is a diagnostic, not stream data (RFC 9293 §3.5.3).
    if ((flags & TcpFlag.RST) === 0 && !state.idle && state.direction(side)?.idle !== true) {
      const syn = (flags & TcpFlag.SYN) !== 0;
      if (syn) state.syn(side, packet.sequence);
      if (packet.payloadLength > 0) {
        const captured = packet.capturedPayloadLength;
        const start = captured > 0 ? packet.payloadOffset : 0;
        const end = captured > 0 ? start + captured : 0;
        // Data on a SYN (TCP Fast Open) starts one past the ISN.
        state.stream(side).segment(syn ? (packet.sequence + 1) >>> 0 : packet.sequence, packet.payloadLength, frame, start, end);
      }
    }
    // Once both sides sent a FIN, or either a RST, no more payload belongs to the connection:
    // sum it up now and drop the parsers, so memory follows open connections, not all of them.
    // Only a FIN or RST changes that, or the first payload arriving after them.
    if (!created && (flags & (TcpFlag.FIN | TcpFlag.RST)) === 0) return;
    const endpoints = connection.endpoints;
    if ((endpoints[0].hasFin && endpoints[1].hasFin) || endpoints[0].hasRst || endpoints[1].hasRst) this.end(connection, state);
  }

  private end(connection: TrackedConnection, state: ConnectionPayload): void {
    this.ended.add(connection.id, this.summarizeRequests(connection, state), this.summarizeTls(state));
    this.connections.delete(connection.id);
    this.lastId = -1;
    this.last = undefined;
  }

  /** HTTP/1.x on this connection, or null when none was seen. */
  requestsOf(connection: TrackedConnection): RequestsReport | null {
    const id = connection.id;
    if (this.ended.has(id)) return this.ended.requests(id);
    const state = this.connections.get(id);
    const summary = state === undefined ? null : this.summarizeRequests(connection, state);
    if (summary === null) return null;
    return {
      count: summary.count,
      known: summary.known,
      lines: summary.lines === undefined ? [] : [...summary.lines],
      responses: summary.responses,
      statuses: summary.statuses === undefined ? [] : [...summary.statuses],
      closeRequestedBy: summary.closeRequestedBy,
      closeSignals: { client: summary.clientSignal, server: summary.serverSignal },
      httpVersion: summary.httpVersion,
    };
  }

  /** requestsOf() as far as the verdicts read it; the object is reused by the next call. */
  requestsEvidenceOf(connection: TrackedConnection): RequestsEvidence | null {
    const id = connection.id;
    if (this.ended.has(id)) return this.ended.requestsEvidence(id);
    return this.requestsOf(connection);
  }

  /** Fills and returns the one reused summary, or returns null when the connection had no HTTP. */
  private summarizeRequests(connection: TrackedConnection, state: ConnectionPayload): RequestsSummary | null {
    state.finish();
    if (!state.http) return null;
    const first = http(state.direction(0));
    const second = http(state.direction(1));
    const requestSide = first?.role === 'request' ? 0 : second?.role === 'request' ? 1 : -1;
    const responseSide = first?.role === 'response' ? 0 : second?.role === 'response' ? 1 : -1;
    if (requestSide < 0 && responseSide < 0) return null;
    const requests = requestSide === 0 ? first : requestSide === 1 ? second : undefined;
    const responses = responseSide === 0 ? first : responseSide === 1 ? second : undefined;
    const clientSide = connection.clientSide;
    const requestSideName: Side = requestSide === clientSide ? 'client' : 'server';
    const responseSideName: Side = responseSide === clientSide ? 'client' : 'server';

    const known = wholeFromStart(state.direction(0)) && wholeFromStart(state.direction(1));

    // Who first said the connection would close: request i precedes response i.
    let closeRequestedBy: Side | null = null;
    const requestClose = requests?.closeAt ?? -1;
    const responseClose = responses?.closeAt ?? -1;
    if (requestClose >= 0 && (responseClose < 0 || requestClose <= responseClose)) closeRequestedBy = requestSideName;
    else if (responseClose >= 0) closeRequestedBy = responseSideName;

    const summary = this.summary;
    summary.clientSignal = null;
    summary.serverSignal = null;
    if (requests?.closeSignal) {
      if (requestSideName === 'client') summary.clientSignal = requests.closeSignal;
      else summary.serverSignal = requests.closeSignal;
    }
    if (responses?.closeSignal) {
      if (responseSideName === 'client') summary.clientSignal = responses.closeSignal;
      else summary.serverSignal = responses.closeSignal;
    }
    summary.count = requests?.messages ?? 0;
    summary.known = known;
    summary.lines = requests?.lines;
    summary.responses = responses?.messages ?? 0;
    summary.statuses = responses?.statuses;
    summary.closeRequestedBy = closeRequestedBy;
    summary.httpVersion = requests?.version ?? responses?.version ?? null;
    return summary;
  }

  /** The TLS handshake on this connection, or null when none was seen. */
  tlsOf(connection: TrackedConnection): TlsReport | null {
    const id = connection.id;
    if (this.ended.has(id)) return this.ended.tlsOf(id);
    const state = this.connections.get(id);
    return state === undefined ? null : this.summarizeTls(state);
  }

  private summarizeTls(state: ConnectionPayload): TlsReport | null {
    state.finish();
    const tls = state.tls;
    if (tls === undefined || (tls.clientHellos === 0 && tls.serverHellos === 0)) return null;
    return { handshakes: tls.handshakes, sni: tls.sni, resumed: tls.resumed };
  }
}
