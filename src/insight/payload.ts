/**
 * Payload insight: a SegmentObserver that follows each connection's two byte streams in
 * sequence order and reads just enough of them to count HTTP/1.x messages and the TLS hellos.
 * State is per connection (by id) and per endpoint index; client and server are resolved at
 * the end, from the connection's final roles. Connections that turn out to be neither HTTP nor
 * TLS cost one lookup per segment after their first bytes.
 */
import { TcpFlag } from '../decode/constants.js';
import type { DecodedPacket } from '../decode/decoded.js';
import type { RequestsReport, TlsReport } from '../report/insight-model.js';
import type { Side } from '../track/classify.js';
import type { TrackedConnection } from '../track/connection.js';
import type { SegmentObserver } from '../track/observer.js';
import { HttpDirection, type HttpExchange } from './http.js';
import { DirectionStream, type StreamConsumer } from './reassembly.js';
import { TlsDirection, TlsExchange } from './tls.js';

const TLS_HANDSHAKE_RECORD = 0x16;

/** Decides from a direction's first byte which parser reads it, then passes everything on. */
class Sniffer implements StreamConsumer {
  parser: HttpDirection | TlsDirection | undefined;
  /** Bytes were missing before the first captured byte: the start of this stream is unknown. */
  lostStart = false;

  constructor(private readonly connection: ConnectionPayload) {}

  get idle(): boolean {
    return this.lostStart || (this.parser !== undefined && this.parser.idle);
  }

  data(bytes: Uint8Array): void {
    if (this.lostStart) return;
    if (this.parser === undefined) {
      this.parser = bytes[0] === TLS_HANDSHAKE_RECORD
        ? new TlsDirection(this.connection.tlsExchange())
        : new HttpDirection(this.connection.httpExchange());
    }
    this.parser.data(bytes);
  }

  gap(length: number): void {
    if (this.parser === undefined) this.lostStart = true;
    else this.parser.gap(length);
  }
}

class ConnectionPayload {
  readonly sniffers: readonly [Sniffer, Sniffer];
  readonly streams: readonly [DirectionStream, DirectionStream];
  http: HttpExchange | undefined;
  tls: TlsExchange | undefined;
  finished = false;

  constructor() {
    this.sniffers = [new Sniffer(this), new Sniffer(this)];
    this.streams = [new DirectionStream(this.sniffers[0]), new DirectionStream(this.sniffers[1])];
  }

  httpExchange(): HttpExchange {
    return (this.http ??= { methods: undefined, tunnel: false });
  }

  tlsExchange(): TlsExchange {
    return (this.tls ??= new TlsExchange());
  }

  /** Nothing more to learn: both directions are idle (a direction that sent nothing yet is not). */
  get idle(): boolean {
    return this.sniffers[0].idle && this.sniffers[1].idle;
  }

  finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.streams[0].finish();
    this.streams[1].finish();
  }
}

function http(sniffer: Sniffer): HttpDirection | undefined {
  return sniffer.parser instanceof HttpDirection ? sniffer.parser : undefined;
}

/** Follows every connection's payload; ask `requestsOf` / `tlsOf` once the capture is read. */
export class PayloadInsight implements SegmentObserver {
  private readonly connections = new Map<number, ConnectionPayload>();
  /** Results of connections that ended, by id: a few small objects instead of the parsers. */
  private readonly ended = new Map<number, { requests: RequestsReport | null; tls: TlsReport | null }>();
  private lastId = -1;
  private last: ConnectionPayload | undefined;

  segment(connection: TrackedConnection, side: 0 | 1, packet: DecodedPacket, frame: Uint8Array): void {
    const flags = packet.flags;
    const syn = (flags & TcpFlag.SYN) !== 0;
    let state: ConnectionPayload | undefined;
    if (connection.id === this.lastId) {
      state = this.last;
    } else {
      state = this.connections.get(connection.id);
      if (state === undefined) {
        // No state until the first payload: connections that carry none (scans, refusals,
        // bare handshakes) cost nothing here. The tracker kept each side's ISN from its SYN.
        // A connection already summed up (it ended) stays summed up: a late retransmission adds nothing.
        if (packet.payloadLength === 0 || (flags & TcpFlag.RST) !== 0 || this.ended.has(connection.id)) return;
        state = new ConnectionPayload();
        for (const index of [0, 1] as const) {
          const endpoint = connection.endpoints[index];
          if (endpoint.synCount > 0) state.streams[index].syn(endpoint.synSequence);
          else if (endpoint.synAckCount > 0) state.streams[index].syn(endpoint.synAckSequence);
        }
        this.connections.set(connection.id, state);
      }
      this.lastId = connection.id;
      this.last = state;
    }
    if (state === undefined) return;
    // Payload on a RST is a diagnostic, not stream data (RFC 9293 §3.5.3).
    if ((flags & TcpFlag.RST) === 0 && !state.idle && !state.sniffers[side].idle) {
      const stream = state.streams[side];
      if (syn) stream.syn(packet.sequence);
      if (packet.payloadLength > 0) {
        const start = packet.payloadOffset;
        const captured = packet.capturedPayloadLength > 0 ? frame.subarray(start, start + packet.capturedPayloadLength) : EMPTY;
        // Data on a SYN (TCP Fast Open) starts one past the ISN.
        stream.segment(syn ? (packet.sequence + 1) >>> 0 : packet.sequence, packet.payloadLength, captured);
      }
    }
    // Once both sides sent a FIN, or either a RST, no more payload belongs to the connection:
    // sum it up now and drop the parsers, so memory follows open connections, not all of them.
    const [first, second] = connection.endpoints;
    if ((first.hasFin && second.hasFin) || first.hasRst || second.hasRst) this.end(connection, state);
  }

  private end(connection: TrackedConnection, state: ConnectionPayload): void {
    this.ended.set(connection.id, { requests: this.summarizeRequests(connection, state), tls: this.summarizeTls(state) });
    this.connections.delete(connection.id);
    this.lastId = -1;
    this.last = undefined;
  }

  /** HTTP/1.x on this connection, or null when none was seen. */
  requestsOf(connection: TrackedConnection): RequestsReport | null {
    const ended = this.ended.get(connection.id);
    if (ended !== undefined) return ended.requests;
    const state = this.connections.get(connection.id);
    return state === undefined ? null : this.summarizeRequests(connection, state);
  }

  private summarizeRequests(connection: TrackedConnection, state: ConnectionPayload): RequestsReport | null {
    state.finish();
    if (state.http === undefined) return null;
    const parsers = [http(state.sniffers[0]), http(state.sniffers[1])] as const;
    const requestSide = parsers.findIndex((p) => p?.role === 'request');
    const responseSide = parsers.findIndex((p) => p?.role === 'response');
    if (requestSide < 0 && responseSide < 0) return null;
    const requests = requestSide >= 0 ? parsers[requestSide]! : undefined;
    const responses = responseSide >= 0 ? parsers[responseSide]! : undefined;
    const sideName = (index: number): Side => (index === connection.clientSide ? 'client' : 'server');

    let known = true;
    for (const index of [0, 1] as const) {
      const sniffer = state.sniffers[index];
      const stream = state.streams[index];
      const parser = parsers[index];
      if (sniffer.lostStart || stream.startedMidStream) known = false;
      if (parser !== undefined && !parser.known) known = false;
    }

    // Who first said the connection would close: request i precedes response i.
    let closeRequestedBy: Side | null = null;
    const requestClose = requests?.closeAt ?? -1;
    const responseClose = responses?.closeAt ?? -1;
    if (requestClose >= 0 && (responseClose < 0 || requestClose <= responseClose)) closeRequestedBy = sideName(requestSide);
    else if (responseClose >= 0) closeRequestedBy = sideName(responseSide);

    const closeSignals: RequestsReport['closeSignals'] = { client: null, server: null };
    if (requests?.closeSignal) closeSignals[sideName(requestSide)] = requests.closeSignal;
    if (responses?.closeSignal) closeSignals[sideName(responseSide)] = responses.closeSignal;

    return {
      count: requests?.messages ?? 0,
      known,
      lines: requests?.lines ? [...requests.lines] : [],
      responses: responses?.messages ?? 0,
      statuses: responses?.statuses ? [...responses.statuses] : [],
      closeRequestedBy,
      closeSignals,
      httpVersion: requests?.version ?? responses?.version ?? null,
    };
  }

  /** The TLS handshake on this connection, or null when none was seen. */
  tlsOf(connection: TrackedConnection): TlsReport | null {
    const ended = this.ended.get(connection.id);
    if (ended !== undefined) return ended.tls;
    const state = this.connections.get(connection.id);
    return state === undefined ? null : this.summarizeTls(state);
  }

  private summarizeTls(state: ConnectionPayload): TlsReport | null {
    state.finish();
    const tls = state.tls;
    if (tls === undefined || (tls.clientHellos === 0 && tls.serverHellos === 0)) return null;
    return { handshakes: tls.handshakes, sni: tls.sni, resumed: tls.resumed };
  }
}

const EMPTY = new Uint8Array(0);
