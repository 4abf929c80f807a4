/**
 * The numbers of every tracked connection, in two typed arrays with a fixed record per connection
 * (index = connection id - 1), in fixed chunks: no object per connection, per endpoint or per event on the hot
 * path, nothing for the garbage collector to trace, and a known cost per connection
 * (F_STRIDE * 8 + I_STRIDE * 4 bytes, plus its history string, 32 bytes per FIN or RST in the
 * event table, and 32 bytes of addresses for an IPv6 connection). TrackedConnection and
 * EndpointState are views over a record.
 *
 * Float64 holds what can pass 2^32 (byte counts, packet numbers, ordinals, seconds);
 * Int32 holds the rest, 32-bit sequence numbers included (stored `| 0`, read `>>> 0`).
 * An event moment is present when its ordinal is non-zero (ordinals start at 1).
 */

// ─── Float64 record ──────────────────────────────────────────────────────────────────────────
/** A moment in the float record: ordinal, packet number, seconds. */
export const MF_ORDINAL = 0;
export const MF_PACKET = 1;
export const MF_SECONDS = 2;
export const MF_SIZE = 3;
/** A moment in the int record: capture index, nanoseconds. */
export const MI_CAPTURE = 0;
export const MI_NANOS = 1;
export const MI_SIZE = 2;

export const F_FIRST = 0;
/** The last packet's seconds (its nanoseconds: I_LAST_NANOS); only its time is ever reported. */
export const F_LAST_SECONDS = F_FIRST + MF_SIZE;
/** Start of endpoint 0's float fields; endpoint 1's follow at + F_ENDPOINT. */
export const F_ENDPOINTS = F_LAST_SECONDS + 1;
export const FE_PACKETS = 0;
export const FE_PAYLOAD_BYTES = 1;
export const F_ENDPOINT = 2;
export const F_STRIDE = F_ENDPOINTS + 2 * F_ENDPOINT;

// ─── Int32 record ────────────────────────────────────────────────────────────────────────────
/** ConnectionBit flags and the small fields of ConnectionMeta, in one word. */
export const I_BITS = 0;
/** Outer and inner VLAN ids, 16 bits each (see packVlans). */
export const I_VLANS = 1;
export const I_FIRST = 2;
export const I_LAST_NANOS = I_FIRST + MI_SIZE;
export const I_ENDPOINTS = I_LAST_NANOS + 1;
/**
 * An IPv4 address; on an IPv6 connection, the connection's slot in the store's IPv6 table (both
 * endpoints hold it): 16 bytes per endpoint in the record would be 12 unused on most captures.
 */
export const IE_ADDRESS = 0;
export const IE_PORT = 1;
export const IE_BITS = 2;
export const IE_SYN_COUNT = 3;
export const IE_SYN_SEQUENCE = 4;
export const IE_SYN_ACK_COUNT = 5;
export const IE_SYN_ACK_SEQUENCE = 6;
export const IE_FIN_SEQUENCE = 7;
export const IE_FIN_COUNT = 8;
export const IE_NEXT_SEQUENCE = 9;
export const IE_RETRANSMISSIONS = 10;
export const IE_ZERO_WINDOWS = 11;
export const IE_GAPS = 12;
export const IE_LAST_SYN_SEQUENCE = 13;
export const IE_LAST_FIN_SEQUENCE = 14;
export const IE_LAST_RST_SEQUENCE = 15;
export const IE_DATA_BURSTS = 16;
/** First FIN and first RST: event number plus one in the store's event table (0: none yet). */
export const IE_FIN = 17;
export const IE_RST = 18;
export const I_ENDPOINT = 19;
export const I_STRIDE = I_ENDPOINTS + 2 * I_ENDPOINT;

/** Connection bits (I_BITS). */
export const ConnectionBit = { Flipped: 1, HandshakeAcknowledged: 2, SimultaneousClose: 4 } as const;
/**
 * The small fields that share I_BITS with the connection bits: which endpoint is the client, the
 * RoleSource index, the endpoint that sent the latest new payload plus one (0: none yet), IPv6,
 * and the most sub-second digits among the connection's packets (at most 9).
 */
export const ConnectionMeta = {
  ClientSide: 1 << 3,
  RoleShift: 4,
  DataSideShift: 6,
  Ipv6: 1 << 8,
  PrecisionShift: 9,
  TwoBits: 3,
  PrecisionBits: 15,
} as const;
/** Endpoint bits (IE_BITS). */
export const EndpointBit = { FinAcknowledged: 1, HasSequence: 2, HasLastSyn: 4, HasLastFin: 8, HasLastRst: 16 } as const;
/** History letters an endpoint already recorded (a, d, i, q: once per direction), also in IE_BITS. */
export const HistorySeen = { a: 1 << 5, d: 1 << 6, i: 1 << 7, q: 1 << 8 } as const;

/** Both VLAN ids (-1: none, else 0-4095) in one word; compared whole when VLANs are in the key. */
export function packVlans(outer: number, inner: number): number {
  return ((outer & 0xffff) << 16) | (inner & 0xffff);
}

/** Bytes of typed-array record per tracked connection (history strings come on top). */
export const RECORD_BYTES = F_STRIDE * 8 + I_STRIDE * 4;

/** Events (a FIN's or RST's moment) per chunk of the event table. */
export const EVENT_CHUNK_SHIFT = 12;
export const EVENT_CHUNK_SIZE = 1 << EVENT_CHUNK_SHIFT;
export const EVENT_CHUNK_MASK = EVENT_CHUNK_SIZE - 1;

/** IPv6 address pairs per chunk of the IPv6 table; each takes 8 words (endpoint 0's, then 1's). */
export const IPV6_CHUNK_SHIFT = 10;
export const IPV6_CHUNK_MASK = (1 << IPV6_CHUNK_SHIFT) - 1;
export const IPV6_WORDS = 8;

/** Connections per chunk: records live in fixed chunks that are never moved or copied. */
export const CHUNK_SHIFT = 12;
export const CHUNK_SIZE = 1 << CHUNK_SHIFT;
export const CHUNK_MASK = CHUNK_SIZE - 1;

/**
 * Records in fixed-size chunks: growing never copies (copying or touching fresh memory is what
 * costs most once there are millions of connections), and a chunk never moves, so views keep
 * direct references to their chunk's arrays.
 */
export class ConnectionStore {
  readonly floatChunks: Float64Array[] = [];
  readonly intChunks: Int32Array[] = [];
  /**
   * Moments of FINs and RSTs, appended as they happen: a record keeps only their numbers, so a
   * connection pays for the events it has (most close with two FINs, many never reset).
   */
  readonly eventFloatChunks: Float64Array[] = [];
  readonly eventIntChunks: Int32Array[] = [];
  eventCount = 0;
  /** The two endpoints' addresses of each IPv6 connection (IE_ADDRESS holds its slot). */
  readonly ipv6Chunks: Int32Array[] = [];
  ipv6Count = 0;
  /** Zeek-style history letters per connection (strings stay JS values). */
  readonly history: string[] = [];
  count = 0;
  /** Records and events the chunks have room for. */
  private capacity = 0;
  private eventCapacity = 0;

  /**
   * Room for `records` more connections and `events` more FIN/RST events, so that add() and
   * addEvent() allocate nothing until then: the tracker asks between input chunks. A chunk
   * allocated inside add() is a branch V8 sees first at record 0, before it keeps type feedback
   * for the function, and next at record 4,096, when the tracker is optimized with that branch
   * left out: taking it threw the optimized code away (the tracker's `update` takes ~40-60 ms
   * to compile again), once for records, once for events.
   */
  reserve(records: number, events: number): void {
    while (this.capacity < this.count + records) this.addChunk();
    while (this.eventCapacity < this.eventCount + events) this.addEventChunk();
  }

  private addChunk(): void {
    this.floatChunks.push(new Float64Array(CHUNK_SIZE * F_STRIDE));
    this.intChunks.push(new Int32Array(CHUNK_SIZE * I_STRIDE));
    this.capacity += CHUNK_SIZE;
  }

  private addEventChunk(): void {
    this.eventFloatChunks.push(new Float64Array(EVENT_CHUNK_SIZE * MF_SIZE));
    this.eventIntChunks.push(new Int32Array(EVENT_CHUNK_SIZE * MI_SIZE));
    this.eventCapacity += EVENT_CHUNK_SIZE;
  }

  /** The float chunk holding connection `index`; its record starts at floatBase(index). */
  floats(index: number): Float64Array {
    return this.floatChunks[index >>> CHUNK_SHIFT]!;
  }

  ints(index: number): Int32Array {
    return this.intChunks[index >>> CHUNK_SHIFT]!;
  }

  eventFloats(event: number): Float64Array {
    return this.eventFloatChunks[event >>> EVENT_CHUNK_SHIFT]!;
  }

  eventInts(event: number): Int32Array {
    return this.eventIntChunks[event >>> EVENT_CHUNK_SHIFT]!;
  }

  /** The IPv6 chunk holding slot `slot`; the pair starts at ipv6Base(slot). */
  ipv6(slot: number): Int32Array {
    return this.ipv6Chunks[slot >>> IPV6_CHUNK_SHIFT]!;
  }

  /** A new zeroed IPv6 address pair; returns its slot. */
  addIpv6(): number {
    const slot = this.ipv6Count;
    if ((slot & IPV6_CHUNK_MASK) === 0) this.ipv6Chunks.push(new Int32Array((IPV6_CHUNK_MASK + 1) * IPV6_WORDS));
    this.ipv6Count = slot + 1;
    return slot;
  }

  /** A new zeroed event moment; returns its number. */
  addEvent(): number {
    const event = this.eventCount;
    if (event === this.eventCapacity) this.addEventChunk();
    this.eventCount = event + 1;
    return event;
  }

  /** A new zeroed record; returns its index. */
  add(): number {
    const index = this.count;
    if (index === this.capacity) this.addChunk();
    this.count = index + 1;
    this.history.push('');
    return index;
  }
}

export function floatBase(index: number): number {
  return (index & CHUNK_MASK) * F_STRIDE;
}

export function intBase(index: number): number {
  return (index & CHUNK_MASK) * I_STRIDE;
}

/** Where endpoint `side`'s four address words of IPv6 slot `slot` start in its chunk. */
export function ipv6Base(slot: number, side: 0 | 1): number {
  return (slot & IPV6_CHUNK_MASK) * IPV6_WORDS + side * 4;
}

export function eventFloatBase(event: number): number {
  return (event & EVENT_CHUNK_MASK) * MF_SIZE;
}

export function eventIntBase(event: number): number {
  return (event & EVENT_CHUNK_MASK) * MI_SIZE;
}
