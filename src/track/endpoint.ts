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

/** Write a moment (or clear it with undefined). */
export function writeMoment(floats: Float64Array, f: number, ints: Int32Array, i: number, moment: PacketMoment | undefined): void {
  floats[f + MF_ORDINAL] = moment?.ordinal ?? 0;
  floats[f + MF_PACKET] = moment?.packet ?? 0;
  floats[f + MF_SECONDS] = moment?.seconds ?? 0;
  ints[i + MI_CAPTURE] = moment?.capture ?? 0;
  ints[i + MI_NANOS] = moment?.nanos ?? 0;
}

/**
 * What one side of a connection has sent (Zeek keeps the same split: one state per endpoint,
 * and the connection's outcome is a pure function of the two). Numbers and a few rare
 * event records only: payload bytes are never kept.
 *
 * A view over the connection's record in the ConnectionStore: reading an event (`fin`, `rst`)
 * builds a fresh PacketMoment; the tracker's hot path uses the `has...` tests instead.
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
  set packets(value: number) { this.fa[this.f + FE_PACKETS] = value; }
  /** Payload bytes the headers declare (tshark's tcp.len summed). */
  get payloadBytes(): number { return this.fa[this.f + FE_PAYLOAD_BYTES]!; }
  set payloadBytes(value: number) { this.fa[this.f + FE_PAYLOAD_BYTES] = value; }
  /** Runs of new payload from this side, each ended by payload from the peer. */
  get dataBursts(): number { return this.ia[this.i + IE_DATA_BURSTS]!; }
  set dataBursts(value: number) { this.ia[this.i + IE_DATA_BURSTS] = value; }

  /** SYN without ACK: first one's ISN, how many were sent (retransmissions included). */
  get synCount(): number { return this.ia[this.i + IE_SYN_COUNT]!; }
  set synCount(value: number) { this.ia[this.i + IE_SYN_COUNT] = value; }
  get synSequence(): number { return this.ia[this.i + IE_SYN_SEQUENCE]! >>> 0; }
  set synSequence(value: number) { this.ia[this.i + IE_SYN_SEQUENCE] = value; }
  /** SYN with ACK. */
  get synAckCount(): number { return this.ia[this.i + IE_SYN_ACK_COUNT]!; }
  set synAckCount(value: number) { this.ia[this.i + IE_SYN_ACK_COUNT] = value; }
  get synAckSequence(): number { return this.ia[this.i + IE_SYN_ACK_SEQUENCE]! >>> 0; }
  set synAckSequence(value: number) { this.ia[this.i + IE_SYN_ACK_SEQUENCE] = value; }

  /** First FIN and first RST (the first SYN and SYN-ACK keep only their sequence numbers and counts). */
  get fin(): PacketMoment | undefined { return this.event(IE_FIN); }
  set fin(moment: PacketMoment | undefined) { this.setEvent(IE_FIN, moment); }
  get rst(): PacketMoment | undefined { return this.event(IE_RST); }
  set rst(moment: PacketMoment | undefined) { this.setEvent(IE_RST, moment); }
  /** Presence tests that allocate nothing. */
  get hasFin(): boolean { return this.ia[this.i + IE_FIN] !== 0; }
  get hasRst(): boolean { return this.ia[this.i + IE_RST] !== 0; }
  /** Run-wide ordinals of the first FIN and RST, 0 when none: for ordering without a PacketMoment. */
  get finOrdinal(): number { return this.eventOrdinal(IE_FIN); }
  get rstOrdinal(): number { return this.eventOrdinal(IE_RST); }

  /** Sequence number the FIN occupies (RFC 9293 §3.4: a FIN consumes one sequence number). */
  get finSequence(): number { return this.ia[this.i + IE_FIN_SEQUENCE]! >>> 0; }
  set finSequence(value: number) { this.ia[this.i + IE_FIN_SEQUENCE] = value; }
  /** Distinct FIN sequence numbers seen (a retransmitted FIN counts once). */
  get finCount(): number { return this.ia[this.i + IE_FIN_COUNT]!; }
  set finCount(value: number) { this.ia[this.i + IE_FIN_COUNT] = value; }
  /** Set once the peer acknowledged this side's FIN. */
  get finAcknowledged(): boolean { return this.bit(EndpointBit.FinAcknowledged); }
  set finAcknowledged(value: boolean) { this.setBit(EndpointBit.FinAcknowledged, value); }

  /** Highest sequence number sent plus payload: to tell retransmissions and gaps. */
  get hasSequence(): boolean { return this.bit(EndpointBit.HasSequence); }
  set hasSequence(value: boolean) { this.setBit(EndpointBit.HasSequence, value); }
  get nextSequence(): number { return this.ia[this.i + IE_NEXT_SEQUENCE]! >>> 0; }
  set nextSequence(value: number) { this.ia[this.i + IE_NEXT_SEQUENCE] = value; }
  get retransmissions(): number { return this.ia[this.i + IE_RETRANSMISSIONS]!; }
  set retransmissions(value: number) { this.ia[this.i + IE_RETRANSMISSIONS] = value; }
  get zeroWindows(): number { return this.ia[this.i + IE_ZERO_WINDOWS]!; }
  set zeroWindows(value: number) { this.ia[this.i + IE_ZERO_WINDOWS] = value; }
  get gaps(): number { return this.ia[this.i + IE_GAPS]!; }
  set gaps(value: number) { this.ia[this.i + IE_GAPS] = value; }

  /** The last sequence number per flag kind that added a history letter (-1: none). */
  get lastSynSequence(): number { return this.sequenceOrNone(EndpointBit.HasLastSyn, IE_LAST_SYN_SEQUENCE); }
  set lastSynSequence(value: number) { this.setSequenceOrNone(EndpointBit.HasLastSyn, IE_LAST_SYN_SEQUENCE, value); }
  get lastFinSequence(): number { return this.sequenceOrNone(EndpointBit.HasLastFin, IE_LAST_FIN_SEQUENCE); }
  set lastFinSequence(value: number) { this.setSequenceOrNone(EndpointBit.HasLastFin, IE_LAST_FIN_SEQUENCE, value); }
  get lastRstSequence(): number { return this.sequenceOrNone(EndpointBit.HasLastRst, IE_LAST_RST_SEQUENCE); }
  set lastRstSequence(value: number) { this.setSequenceOrNone(EndpointBit.HasLastRst, IE_LAST_RST_SEQUENCE, value); }

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

  private setEvent(field: number, moment: PacketMoment | undefined): void {
    if (moment === undefined) {
      this.ia[this.i + field] = 0;
      return;
    }
    const store = this.store;
    let number = this.ia[this.i + field]!;
    if (number === 0) this.ia[this.i + field] = number = store.addEvent() + 1;
    const event = number - 1;
    writeMoment(store.eventFloats(event), eventFloatBase(event), store.eventInts(event), eventIntBase(event), moment);
  }

  private bit(bit: number): boolean {
    return (this.ia[this.i + IE_BITS]! & bit) !== 0;
  }

  private setBit(bit: number, value: boolean): void {
    const ints = this.ia;
    const at = this.i + IE_BITS;
    ints[at] = value ? ints[at]! | bit : ints[at]! & ~bit;
  }

  private sequenceOrNone(bit: number, field: number): number {
    return this.bit(bit) ? this.ia[this.i + field]! >>> 0 : -1;
  }

  private setSequenceOrNone(bit: number, field: number, value: number): void {
    this.setBit(bit, value >= 0);
    this.ia[this.i + field] = value;
  }
}
