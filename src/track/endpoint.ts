import {
  EndpointBit,
  F_ENDPOINT,
  F_ENDPOINTS,
  FE_PACKETS,
  FE_PAYLOAD_BYTES,
  I_ENDPOINT,
  I_BITS,
  I_ENDPOINTS,
  ConnectionMeta,
  IE_ADDRESS,
  IE_BITS,
  IE_DATA_BURSTS,
  IE_FIN,
  IE_FIN_COUNT,
  IE_FIN_SEQUENCE,
  IE_GAPS,
  IE_LAST_FIN_SEQUENCE,
  IE_LAST_RST_SEQUENCE,
  IE_LAST_SYN_SEQUENCE,
  IE_NEXT_SEQUENCE,
  IE_PORT,
  IE_RETRANSMISSIONS,
  IE_RST,
  IE_SYN_ACK_COUNT,
  IE_SYN_ACK_SEQUENCE,
  IE_SYN_COUNT,
  IE_SYN_SEQUENCE,
  IE_ZERO_WINDOWS,
  MF_ORDINAL,
  MF_PACKET,
  MF_SECONDS,
  MI_CAPTURE,
  MI_NANOS,
  eventFloatBase,
  eventIntBase,
  floatBase,
  intBase,
  ipv6Base,
  type ConnectionStore,
} from './store.js';

/** Where and when something happened: enough to order events and to point at the packet. */
export interface PacketMoment {
  /** Run-wide packet ordinal: orders events across files merged by time. */
  ordinal: number;
  /** Index of the capture file in the run, and the 1-based record number in it. */
  capture: number;
  packet: number;
  seconds: number;
  nanos: number;
}

/** Read a moment stored at float offset `f` and int offset `i`; undefined when absent. */
export function readMoment(floats: Float64Array, f: number, ints: Int32Array, i: number): PacketMoment | undefined {
  const ordinal = floats[f + MF_ORDINAL]!;
  if (ordinal === 0) return undefined;
  return {
    ordinal,
    capture: ints[i + MI_CAPTURE]!,
    packet: floats[f + MF_PACKET]!,
    seconds: floats[f + MF_SECONDS]!,
    nanos: ints[i + MI_NANOS]!,
  };
}

/**
 * What one side of a connection has sent (Zeek keeps the same split: one state per endpoint,
 * and the connection's outcome is a pure function of the two). Numbers and a few rare
 * event records only: payload bytes are never kept.
 *
 * A read-only view over the connection's record in the ConnectionStore (the tracker writes the
 * store's arrays directly): reading an event (`fin`, `rst`) builds a fresh PacketMoment.
 */
export class EndpointState {
  /** This endpoint's chunk arrays and the offsets of its fields in them (set by `at`). */
  private fa: Float64Array;
  private ia: Int32Array;
  private f = 0;
  private i = 0;

  constructor(
    private readonly store: ConnectionStore,
    index: number,
    readonly side: 0 | 1,
  ) {
    this.fa = store.floats(index);
    this.ia = store.ints(index);
    this.at(index);
  }

  /** Point this view at another connection (the tracker reuses views on the hot path). */
  at(index: number): this {
    this.fa = this.store.floats(index);
    this.ia = this.store.ints(index);
    this.f = floatBase(index) + F_ENDPOINTS + this.side * F_ENDPOINT;
    this.i = intBase(index) + I_ENDPOINTS + this.side * I_ENDPOINT;
    return this;
  }

  /** As `at`, with the connection's chunk arrays and record offsets already looked up. */
  point(floats: Float64Array, ints: Int32Array, floatRecord: number, intRecord: number): void {
    this.fa = floats;
    this.ia = ints;
    this.f = floatRecord + F_ENDPOINTS + this.side * F_ENDPOINT;
    this.i = intRecord + I_ENDPOINTS + this.side * I_ENDPOINT;
  }

  get ipVersion(): 4 | 6 {
    return (this.ia[this.i - I_ENDPOINTS - this.side * I_ENDPOINT + I_BITS]! & ConnectionMeta.Ipv6) !== 0 ? 6 : 4;
  }

  /** The address words into `words` (for formatting without an object per endpoint). */
  copyAddress(words: Uint32Array): void {
    const address = this.ia[this.i + IE_ADDRESS]!;
    if (this.ipVersion === 4) {
      words[0] = address;
      words[1] = 0;
      words[2] = 0;
      words[3] = 0;
      return;
    }
    const pairs = this.store.ipv6(address);
    const at = ipv6Base(address, this.side);
    words[0] = pairs[at]!;
    words[1] = pairs[at + 1]!;
    words[2] = pairs[at + 2]!;
    words[3] = pairs[at + 3]!;
  }

  get port(): number { return this.ia[this.i + IE_PORT]!; }

  get packets(): number { return this.fa[this.f + FE_PACKETS]!; }
  /** Payload bytes the headers declare (tshark's tcp.len summed). */
  get payloadBytes(): number { return this.fa[this.f + FE_PAYLOAD_BYTES]!; }
  /** Runs of new payload from this side, each ended by payload from the peer. */
  get dataBursts(): number { return this.ia[this.i + IE_DATA_BURSTS]!; }

  /** SYN without ACK: first one's ISN, how many were sent (retransmissions included). */
  get synCount(): number { return this.ia[this.i + IE_SYN_COUNT]!; }
  get synSequence(): number { return this.ia[this.i + IE_SYN_SEQUENCE]! >>> 0; }
  /** SYN with ACK. */
  get synAckCount(): number { return this.ia[this.i + IE_SYN_ACK_COUNT]!; }
  get synAckSequence(): number { return this.ia[this.i + IE_SYN_ACK_SEQUENCE]! >>> 0; }

  /** First FIN and first RST (the first SYN and SYN-ACK keep only their sequence numbers and counts). */
  get fin(): PacketMoment | undefined { return this.event(IE_FIN); }
  get rst(): PacketMoment | undefined { return this.event(IE_RST); }
  /** Presence tests that allocate nothing. */
  get hasFin(): boolean { return this.ia[this.i + IE_FIN] !== 0; }
  get hasRst(): boolean { return this.ia[this.i + IE_RST] !== 0; }
  /** Run-wide ordinals of the first FIN and RST, 0 when none: for ordering without a PacketMoment. */
  get finOrdinal(): number { return this.eventOrdinal(IE_FIN); }
  get rstOrdinal(): number { return this.eventOrdinal(IE_RST); }

  /** Sequence number the FIN occupies (RFC 9293 §3.4: a FIN consumes one sequence number). */
  get finSequence(): number { return this.ia[this.i + IE_FIN_SEQUENCE]! >>> 0; }
  /** Distinct FIN sequence numbers seen (a retransmitted FIN counts once). */
  get finCount(): number { return this.ia[this.i + IE_FIN_COUNT]!; }
  /** Set once the peer acknowledged this side's FIN. */
  get finAcknowledged(): boolean { return this.bit(EndpointBit.FinAcknowledged); }

  /** Highest sequence number sent plus payload: to tell retransmissions and gaps. */
  get hasSequence(): boolean { return this.bit(EndpointBit.HasSequence); }
  get nextSequence(): number { return this.ia[this.i + IE_NEXT_SEQUENCE]! >>> 0; }
  get retransmissions(): number { return this.ia[this.i + IE_RETRANSMISSIONS]!; }
  get zeroWindows(): number { return this.ia[this.i + IE_ZERO_WINDOWS]!; }
  get gaps(): number { return this.ia[this.i + IE_GAPS]!; }

  /** The last sequence number per flag kind that added a history letter (-1: none). */
  get lastSynSequence(): number { return this.sequenceOrNone(EndpointBit.HasLastSyn, IE_LAST_SYN_SEQUENCE); }
  get lastFinSequence(): number { return this.sequenceOrNone(EndpointBit.HasLastFin, IE_LAST_FIN_SEQUENCE); }
  get lastRstSequence(): number { return this.sequenceOrNone(EndpointBit.HasLastRst, IE_LAST_RST_SEQUENCE); }

  get sentAnything(): boolean {
    return this.packets > 0;
  }

  /** Where the event moment numbered in `field` lives in the store's event table. */
  private event(field: number): PacketMoment | undefined {
    const number = this.ia[this.i + field]!;
    if (number === 0) return undefined;
    const event = number - 1;
    const store = this.store;
    return readMoment(store.eventFloats(event), eventFloatBase(event), store.eventInts(event), eventIntBase(event));
  }

  private eventOrdinal(field: number): number {
    const number = this.ia[this.i + field]!;
    if (number === 0) return 0;
    const event = number - 1;
    return this.store.eventFloats(event)[eventFloatBase(event) + MF_ORDINAL]!;
  }

  private bit(bit: number): boolean {
    return (this.ia[this.i + IE_BITS]! & bit) !== 0;
  }

  private sequenceOrNone(bit: number, field: number): number {
    return this.bit(bit) ? this.ia[this.i + field]! >>> 0 : -1;
  }
}
