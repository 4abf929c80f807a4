/**
 * The report: plain, JSON-safe data. This is the `--json` contract and the library's return
 * value; renderers read only this, never the decoders or the tracker.
 */
import type { IssueKind, IssueLayer } from '../errors.js';
import type { Handshake, Side, ZeekState } from '../track/classify.js';
import type { RoleSource } from '../track/connection.js';
import type { CloseSignal, RequestsReport, TlsReport, Verdict, VerdictReason } from './insight-model.js';

export type { Handshake, Side, ZeekState, RoleSource };
export type { CloseSignal, RequestsReport, TlsReport, Verdict, VerdictReason };

/** One kind of per-packet problem, counted, with where it was first seen. */
export interface IssueSummary {
  kind: IssueKind;
  layer: IssueLayer;
  reason: string;
  count: number;
  /** First packet (1-based record number) with this issue and its record's byte offset. */
  firstPacket: number;
  firstOffset: number;
  needed?: number;
  available?: number;
}

/** Frames that carried no TCP segment for us, by reason. None of these are errors. */
export interface SkippedCounts {
  unknownLinkType: number;
  nonIp: number;
  nonTcp: number;
  fragments: number;
  /** TCP segments left out by --port/--host. */
  filteredOut: number;
}

export interface TruncationReport {
  offset: number;
  needed: number;
  available: number;
  message: string;
  /**
   * `truncated`: the input ends inside this record. `malformed`: its length field is impossible
   * (absurd size, block lengths that disagree), so nothing after it can be framed.
   */
  kind: 'truncated' | 'malformed';
}

export interface CaptureReport {
  path: string;
  format: 'pcap' | 'pcapng';
  linkTypes: number[];
  /** Whole records read. */
  packets: number;
  /** Of those, TCP segments decoded (before the filter). */
  tcpPackets: number;
  /** Reading stopped early (see `truncation`): every whole record before it was analysed. */
  truncated: boolean;
  truncation: TruncationReport | null;
  issues: IssueSummary[];
  skipped: SkippedCounts;
  /** The busiest (lower) ports among segments the filter left out, most packets first (top 10). */
  filteredOutPorts: { port: number; packets: number }[];
  warnings: string[];
}

export interface SidePair {
  client: number;
  server: number;
}

export interface EventReport {
  side: Side;
  /** ISO 8601, with the capture's full sub-second precision. */
  time: string;
  /** Index in `captures` and 1-based record number there. */
  capture: number;
  packet: number;
}

export interface ConnectionReport {
  /** 1-based, in order of first packet. */
  id: number;
  /** `ip:port`, IPv6 in brackets. */
  client: string;
  server: string;
  roleSource: RoleSource;
  handshake: Handshake;
  synRetransmits: number;
  firstFin: EventReport | null;
  firstRst: EventReport | null;
  closedBy: Side | null;
  closedWith: 'fin' | 'rst' | null;
  simultaneousClose: boolean;
  packets: SidePair;
  payloadBytes: SidePair;
  /**
   * Runs of payload-carrying segments from each side, each ended by payload from the other
   * side (retransmissions excluded): on a turn-taking protocol, requests and responses.
   */
  dataBursts: SidePair;
  start: string;
  end: string;
  durationMs: number;
  /** Zeek conn_state and history letters (uppercase = client). */
  state: ZeekState;
  history: string;
  firstPacket: { capture: number; packet: number };
  /** HTTP/1.x requests and responses; null when no HTTP was seen. */
  requests: RequestsReport | null;
  /** The TLS handshake; null when no TLS was seen. */
  tls: TlsReport | null;
}

export interface Summary {
  connections: number;
  handshakes: number;
  closedBy: SidePair;
  closedWith: { fin: number; rst: number };
  open: number;
  /** TCP segments that went into connections (after the filter). */
  packets: number;
  /** HTTP requests over all connections, and per connection that carried any (null if none did). */
  requests: number;
  reuseRatio: number | null;
}

export interface Report {
  /** Bumped only when a field changes meaning or disappears. */
  schemaVersion: 1;
  captures: CaptureReport[];
  filter: { ports: number[]; hosts: string[] };
  summary: Summary;
  connections: ConnectionReport[];
  /** Per server endpoint: reused or not, and why. */
  verdicts: Verdict[];
}
