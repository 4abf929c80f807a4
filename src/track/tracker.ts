import { TcpFlag } from '../decode/constants.js';
import type { DecodedPacket } from '../decode/decoded.js';
import { ConnectionHashTable } from './hash-table.js';
import { ROLE_SOURCES, TrackedConnection } from './connection.js';
import { HistoryStrings, historyLetters } from './history.js';
import { connectionHash } from './key.js';
import type { SegmentObserver } from './observer.js';
import { sequenceAdd, sequenceAfter, sequenceAtOrAfter } from './seq.js';
import {
  CHUNK_SIZE,
  ConnectionBit,
  ConnectionMeta,
  EVENT_CHUNK_SIZE,
  ConnectionStore,
  EndpointBit,
  F_ENDPOINT,
  F_ENDPOINTS,
  FE_PACKETS,
  FE_PAYLOAD_BYTES,
  I_BITS,
  IE_BITS,
  IE_DATA_BURSTS,
  IE_FIN_COUNT,
  IE_FIN_SEQUENCE,
  IE_GAPS,
  IE_NEXT_SEQUENCE,
  IE_RETRANSMISSIONS,
  IE_SYN_ACK_COUNT,
  IE_SYN_ACK_SEQUENCE,
  IE_SYN_COUNT,
  IE_SYN_SEQUENCE,
  IE_ZERO_WINDOWS,
  F_FIRST,
  F_LAST_SECONDS,
  I_ENDPOINT,
  I_ENDPOINTS,
  I_FIRST,
  I_LAST_NANOS,
  I_VLANS,
  IE_ADDRESS,
  IE_FIN,
  IE_PORT,
  IE_RST,
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
  packVlans,
} from './store.js';

export interface TrackerOptions {
  /** Put VLAN ids in the connection key. Off by default, as in tshark and Zeek. */
  vlanAware?: boolean;
  /** Ports the user asked about: on a connection with no handshake, that side is the server. */
  serverPorts?: readonly number[];
  /** Stages that see every tracked segment (payload insight, ladders). */
  observers?: readonly SegmentObserver[];
}

/** When and where the current packet is; filled by the caller, copied only for rare events. */
export interface PacketPlace {
  capture: number;
  packet: number;
  seconds: number;
  nanos: number;
  precision: number;
}

const ROLE_SYN = ROLE_SOURCES.indexOf('syn');
const ROLE_SYN_ACK = ROLE_SOURCES.indexOf('syn-ack');

function swapCase(text: string): string {
  let out = '';
  for (const c of text) {
    const lower = c.toLowerCase();
    out += c === lower ? c.toUpperCase() : lower;
  }
  return out;
}

/**
 * Groups TCP segments into connections. A numeric hash picks a chain of connection indexes,
 * newest first (no string key per packet); the first that matches the 4-tuple is its live
 * connection. Connection numbers live in a ConnectionStore (typed arrays); the hot path works
 * through two reused views and allocates nothing per packet.
 */
export class ConnectionTracker {
  private readonly store = new ConnectionStore();
  private readonly table = new ConnectionHashTable();
  private readonly vlanAware: boolean;
  private readonly serverPorts: ReadonlySet<number>;
  private readonly observers: readonly SegmentObserver[];
  /** Stable views returned by finish(), created on first use. */
  private readonly views: TrackedConnection[] = [];
  /** Reused view for the connection of the current packet. */
  private readonly current: TrackedConnection;
  /** The connection `current` points at (-1: none yet); a store's chunks never move, so it stays valid. */
  private currentIndex = -1;
  /** Reused view for connectionAt(). */
  private reading: TrackedConnection | undefined;
  private ordinal = 0;
  private readonly histories = new HistoryStrings();
  /** The latest timestamp tracked so far, and whether a packet came with an earlier one. */
  private latestSeconds = -Infinity;
  private latestNanos = 0;
  private steppedBack = false;

  constructor(options: TrackerOptions = {}) {
    this.vlanAware = options.vlanAware ?? false;
    this.serverPorts = new Set(options.serverPorts ?? []);
    this.observers = options.observers ?? [];
    this.current = new TrackedConnection(this.store, 0);
  }

  get connectionCount(): number {
    return this.store.count;
  }

  /**
   * Every tracked packet was timestamped at or after the one tracked before it. Then no
   * connection's last packet can come before its first, and nothing need look for one.
   */
  get inTimeOrder(): boolean {
    return !this.steppedBack;
  }

  /**
   * Tracks one decoded TCP segment; `bytes` is the array it was decoded from (the frame's bytes or
   * the chunk holding them), for observers that read payload at `packet.payloadOffset`.
   */
  observe(packet: DecodedPacket, place: PacketPlace, bytes?: Uint8Array): void {
    this.ordinal++;
    const seconds = place.seconds;
    if (seconds > this.latestSeconds || (seconds === this.latestSeconds && place.nanos >= this.latestNanos)) {
      this.latestSeconds = seconds;
      this.latestNanos = place.nanos;
    } else {
      this.steppedBack = true;
    }
    const hash = connectionHash(packet, this.vlanAware);
    let index = -1;
    let side: 0 | 1 = 0;
    // One call site for the first slot and the next (see ConnectionHashTable.find).
    for (let cursor = -1; (cursor = this.table.find(hash, cursor)) !== -1; ) {
      const candidate = this.table.indexAt(cursor);
      const from = this.matches(candidate, packet);
      if (from !== -1) {
        index = candidate;
        side = from;
        break;
      }
    }
    if (index === -1) {
      index = this.open(packet, place, hash);
    } else if (this.isPortReuse(index, side, packet)) {
      const previous = index;
      index = this.open(packet, place, hash);
      this.table.remove(previous, hash);
      side = 0;
    }
    this.update(index, side, packet, place);
    const observers = this.observers;
    if (observers.length > 0 && bytes !== undefined) {
      const connection = this.pointAt(index);
      for (let i = 0; i < observers.length; i++) observers[i]!.segment(connection, side, packet, bytes, place);
    }
  }

  /**
   * Room for the connections and events the next input chunk may bring, made outside the
   * per-packet path (see ConnectionStore.reserve); the pass asks before each chunk. Without it
   * the tracker grows as it goes, as before.
   */
  reserve(): void {
    this.store.reserve(CHUNK_SIZE, EVENT_CHUNK_SIZE);
    this.table.reserve(CHUNK_SIZE);
    const observers = this.observers;
    for (let i = 0; i < observers.length; i++) observers[i]!.reserve?.(this.store.count + CHUNK_SIZE);
  }

  /** Connections in order of their first packet. */
  finish(): readonly TrackedConnection[] {
    const count = this.store.count;
    for (let index = 0; index < count; index++) this.view(index);
    return this.views;
  }

  /**
   * Connection `index` (0-based, in order of first packet) through one reused view: valid until
   * the next call. For walking millions of connections without an object per connection.
   */
  connectionAt(index: number): TrackedConnection {
    if (index < 0 || index >= this.store.count) throw new RangeError(`no connection ${index}`);
    return (this.reading ??= new TrackedConnection(this.store, index)).at(index);
  }

  /** The reused view, pointed at connection `index` (consecutive segments often share one). */
  private pointAt(index: number): TrackedConnection {
    if (index !== this.currentIndex) {
      this.current.at(index);
      this.currentIndex = index;
    }
    return this.current;
  }

  private view(index: number): TrackedConnection {
    return (this.views[index] ??= new TrackedConnection(this.store, index));
  }

  /** Which endpoint of connection `index` sent the packet: 0, 1, or -1 when it is another 4-tuple. */
  private matches(index: number, packet: DecodedPacket): 0 | 1 | -1 {
    const ints = this.store.ints(index);
    const base = intBase(index);
    if (this.vlanAware && packVlans(packet.vlanOuter, packet.vlanInner) !== ints[base + I_VLANS]) return -1;
    const ipv6 = packet.ipVersion === 6;
    if (ipv6 !== ((ints[base + I_BITS]! & ConnectionMeta.Ipv6) !== 0)) return -1;
    const first = base + I_ENDPOINTS;
    const second = first + I_ENDPOINT;
    const sourcePort = packet.sourcePort;
    const destinationPort = packet.destinationPort;
    if (sourcePort === ints[first + IE_PORT] && destinationPort === ints[second + IE_PORT]) {
      if (ipv6 ? this.sameIpv6(ints[first + IE_ADDRESS]!, packet, 0) : this.sameIpv4(ints, first, second, packet)) return 0;
    }
    if (sourcePort === ints[second + IE_PORT] && destinationPort === ints[first + IE_PORT]) {
      if (ipv6 ? this.sameIpv6(ints[first + IE_ADDRESS]!, packet, 1) : this.sameIpv4(ints, second, first, packet)) return 1;
    }
    return -1;
  }

  /** The packet went from the endpoint at `from` to the one at `to` (IPv4: one word each). */
  private sameIpv4(ints: Int32Array, from: number, to: number, packet: DecodedPacket): boolean {
    return (packet.sourceAddress[0]! | 0) === ints[from + IE_ADDRESS] && (packet.destinationAddress[0]! | 0) === ints[to + IE_ADDRESS];
  }

  /** The packet went from endpoint `from` of IPv6 pair `slot` to the other endpoint. */
  private sameIpv6(slot: number, packet: DecodedPacket, from: 0 | 1): boolean {
    const words = this.store.ipv6(slot);
    return sameWords(packet.sourceAddress, words, ipv6Base(slot, from)) &&
      sameWords(packet.destinationAddress, words, ipv6Base(slot, from === 0 ? 1 : 0));
  }

  /**
   * A SYN (without ACK) carrying a new ISN on a 4-tuple whose connection already ended
   * (FIN or RST seen) starts a new connection, as tshark's tcp.stream does. A SYN with the
   * ISN already seen is a retransmission and stays in the same connection.
   */
  private isPortReuse(index: number, side: 0 | 1, packet: DecodedPacket): boolean {
    if ((packet.flags & (TcpFlag.SYN | TcpFlag.ACK)) !== TcpFlag.SYN) return false;
    const ints = this.store.ints(index);
    const first = intBase(index) + I_ENDPOINTS;
    const second = first + I_ENDPOINT;
    const ended = ints[first + IE_RST] !== 0 || ints[second + IE_RST] !== 0 ||
      ints[first + IE_FIN] !== 0 || ints[second + IE_FIN] !== 0;
    if (!ended) return false;
    const sender = side === 0 ? first : second;
    return ints[sender + IE_SYN_COUNT] === 0 || ints[sender + IE_SYN_SEQUENCE]! >>> 0 !== packet.sequence;
  }

  private open(packet: DecodedPacket, place: PacketPlace, hash: number): number {
    const store = this.store;
    const index = store.add();
    const ints = store.ints(index);
    const base = intBase(index);
    ints[base + I_BITS] = packet.ipVersion === 6 ? ConnectionMeta.Ipv6 : 0;
    ints[base + I_VLANS] = packVlans(packet.vlanOuter, packet.vlanInner);
    const first = base + I_ENDPOINTS;
    const second = first + I_ENDPOINT;
    if (packet.ipVersion === 6) {
      const slot = store.addIpv6();
      const words = store.ipv6(slot);
      copyWords(packet.sourceAddress, words, ipv6Base(slot, 0));
      copyWords(packet.destinationAddress, words, ipv6Base(slot, 1));
      ints[first + IE_ADDRESS] = slot;
      ints[second + IE_ADDRESS] = slot;
    } else {
      ints[first + IE_ADDRESS] = packet.sourceAddress[0]! | 0;
      ints[second + IE_ADDRESS] = packet.destinationAddress[0]! | 0;
    }
    ints[first + IE_PORT] = packet.sourcePort;
    ints[second + IE_PORT] = packet.destinationPort;
    // The last packet's time and the precision are written by update(), which follows.
    this.stamp(index, floatBase(index) + F_FIRST, base + I_FIRST, place);
    const connection = this.pointAt(index);
    this.assignRoles(connection, packet);
    this.table.add(index, hash);
    return index;
  }

  /** Client = first SYN's sender; else SYN-ACK's receiver; else a port rule (reported). */
  private assignRoles(connection: TrackedConnection, packet: DecodedPacket): void {
    const syn = (packet.flags & TcpFlag.SYN) !== 0;
    const ack = (packet.flags & TcpFlag.ACK) !== 0;
    if (syn && !ack) {
      this.setClient(connection, 0, 'syn');
    } else if (syn && ack) {
      this.setClient(connection, 1, 'syn-ack');
    } else {
      const sourceIsServer = this.serverPorts.has(packet.sourcePort);
      const destinationIsServer = this.serverPorts.has(packet.destinationPort);
      if (sourceIsServer !== destinationIsServer) {
        this.setClient(connection, sourceIsServer ? 1 : 0, 'filter-port');
      } else {
        this.setClient(
          connection,
          packet.sourcePort < packet.destinationPort ? 1 : 0,
          'lower-port',
        );
      }
    }
  }

  private setClient(connection: TrackedConnection, side: 0 | 1, source: TrackedConnection['roleSource']): void {
    if (connection.clientSide !== side && connection.history !== '') {
      connection.history = swapCase(connection.history);
    }
    connection.clientSide = side;
    connection.roleSource = source;
    connection.flipped = side === 1;
  }

  /** Write the current packet's moment at float offset `f` and int offset `i` of connection `index`'s chunk. */
  private stamp(index: number, f: number, i: number, place: PacketPlace): void {
    this.stampAt(this.store.floats(index), f, this.store.ints(index), i, place);
  }

  private stampAt(floats: Float64Array, f: number, ints: Int32Array, i: number, place: PacketPlace): void {
    floats[f + MF_ORDINAL] = this.ordinal;
    floats[f + MF_PACKET] = place.packet;
    floats[f + MF_SECONDS] = place.seconds;
    ints[i + MI_CAPTURE] = place.capture;
    ints[i + MI_NANOS] = place.nanos;
  }

  /** Record the current packet as an endpoint's first FIN or RST (`field`: IE_FIN or IE_RST). */
  private stampEvent(index: number, side: 0 | 1, field: number, place: PacketPlace): void {
    const store = this.store;
    const event = store.addEvent();
    this.stampAt(store.eventFloats(event), eventFloatBase(event), store.eventInts(event), eventIntBase(event), place);
    store.ints(index)[intBase(index) + I_ENDPOINTS + side * I_ENDPOINT + field] = event + 1;
  }

  /**
   * The per-packet state change, read and written straight in the store's arrays (`e`/`pe`: the
   * sender's and the peer's int fields, `fe`: the sender's float fields); the views stay for the
   * rare paths (role changes) and for everything outside the tracker.
   */
  private update(index: number, side: 0 | 1, packet: DecodedPacket, place: PacketPlace): void {
    const store = this.store;
    const ints = store.ints(index);
    const floats = store.floats(index);
    const base = intBase(index);
    const e = base + I_ENDPOINTS + side * I_ENDPOINT;
    const peerSide = side === 0 ? 1 : 0;
    const pe = base + I_ENDPOINTS + peerSide * I_ENDPOINT;
    const fe = floatBase(index) + F_ENDPOINTS + side * F_ENDPOINT;
    const flags = packet.flags;
    const syn = (flags & TcpFlag.SYN) !== 0;
    const ack = (flags & TcpFlag.ACK) !== 0;
    const fin = (flags & TcpFlag.FIN) !== 0;
    const rst = (flags & TcpFlag.RST) !== 0;
    const sequence = packet.sequence;
    const payload = packet.payloadLength;

    floats[floatBase(index) + F_LAST_SECONDS] = place.seconds;
    ints[base + I_LAST_NANOS] = place.nanos;
    const meta = ints[base + I_BITS]!;
    if (place.precision > ((meta >>> ConnectionMeta.PrecisionShift) & ConnectionMeta.PrecisionBits)) {
      const precision = Math.min(place.precision, ConnectionMeta.PrecisionBits);
      ints[base + I_BITS] = (meta & ~(ConnectionMeta.PrecisionBits << ConnectionMeta.PrecisionShift)) | (precision << ConnectionMeta.PrecisionShift);
    }

    floats[fe + FE_PACKETS] = floats[fe + FE_PACKETS]! + 1;
    floats[fe + FE_PAYLOAD_BYTES] = floats[fe + FE_PAYLOAD_BYTES]! + payload;

    // A late handshake packet outranks a port guess: it says who really opened the connection.
    if (syn) {
      const roleSource = (ints[base + I_BITS]! >>> ConnectionMeta.RoleShift) & ConnectionMeta.TwoBits;
      if (roleSource !== ROLE_SYN) {
        if (!ack) this.setClient(this.pointAt(index), side, 'syn');
        else if (roleSource !== ROLE_SYN_ACK) this.setClient(this.pointAt(index), peerSide, 'syn-ack');
      }
    }
    const isClient = side === ((ints[base + I_BITS]! & ConnectionMeta.ClientSide) !== 0 ? 1 : 0);

    // The ACK field first: a FIN+ACK that acknowledges the peer's FIN is an ordinary close.
    if (ack && ints[pe + IE_FIN] !== 0 && (ints[pe + IE_BITS]! & EndpointBit.FinAcknowledged) === 0 &&
        sequenceAtOrAfter(packet.acknowledgement, sequenceAdd(ints[pe + IE_FIN_SEQUENCE]! >>> 0, 1))) {
      ints[pe + IE_BITS] = ints[pe + IE_BITS]! | EndpointBit.FinAcknowledged;
    }

    if (syn) {
      if (!ack) {
        if (ints[e + IE_SYN_COUNT] === 0) ints[e + IE_SYN_SEQUENCE] = sequence;
        ints[e + IE_SYN_COUNT] = ints[e + IE_SYN_COUNT]! + 1;
      } else {
        if (ints[e + IE_SYN_ACK_COUNT] === 0) {
          ints[e + IE_SYN_ACK_SEQUENCE] = sequence;
        }
        ints[e + IE_SYN_ACK_COUNT] = ints[e + IE_SYN_ACK_COUNT]! + 1;
      }
    } else if (ack && isClient && (ints[base + I_BITS]! & ConnectionBit.HandshakeAcknowledged) === 0) {
      // The client's ACK of the server's SYN-ACK completes the handshake (peer = server).
      if (ints[pe + IE_SYN_ACK_COUNT]! > 0 && ints[e + IE_SYN_COUNT]! > 0 &&
          packet.acknowledgement === sequenceAdd(ints[pe + IE_SYN_ACK_SEQUENCE]! >>> 0, 1)) {
        ints[base + I_BITS] = ints[base + I_BITS]! | ConnectionBit.HandshakeAcknowledged;
      }
    }

    if (fin) {
      // The FIN occupies the sequence number after the payload (and after a SYN, if both are set).
      const finSequence = sequenceAdd(sequence, payload + (syn ? 1 : 0));
      if (ints[e + IE_FIN] === 0) {
        this.stampEvent(index, side, IE_FIN, place);
        ints[e + IE_FIN_SEQUENCE] = finSequence;
        ints[e + IE_FIN_COUNT] = 1;
        if (ints[pe + IE_FIN] !== 0 && (ints[pe + IE_BITS]! & EndpointBit.FinAcknowledged) === 0) {
          ints[base + I_BITS] = ints[base + I_BITS]! | ConnectionBit.SimultaneousClose;
        }
      } else if (finSequence !== ints[e + IE_FIN_SEQUENCE]! >>> 0) {
        ints[e + IE_FIN_COUNT] = ints[e + IE_FIN_COUNT]! + 1;
      }
    }
    if (rst && ints[e + IE_RST] === 0) this.stampEvent(index, side, IE_RST, place);

    // Retransmissions and gaps, from the highest sequence number sent so far.
    const consumed = payload + (syn ? 1 : 0) + (fin ? 1 : 0);
    const end = sequenceAdd(sequence, consumed);
    let retransmitted = false;
    let gap = false;
    if (!rst) {
      const bits = ints[e + IE_BITS]!;
      if ((bits & EndpointBit.HasSequence) === 0 || syn) {
        ints[e + IE_BITS] = bits | EndpointBit.HasSequence;
        ints[e + IE_NEXT_SEQUENCE] = end;
      } else {
        const next = ints[e + IE_NEXT_SEQUENCE]! >>> 0;
        if (payload > 0 && !sequenceAfter(end, next)) {
          retransmitted = true;
          ints[e + IE_RETRANSMISSIONS] = ints[e + IE_RETRANSMISSIONS]! + 1;
        } else if (sequenceAfter(sequence, next)) {
          gap = true;
          ints[e + IE_GAPS] = ints[e + IE_GAPS]! + 1;
        }
        if (sequenceAfter(end, next)) ints[e + IE_NEXT_SEQUENCE] = end;
      }
    }
    // A burst is a run of new payload from one side that the other side's payload ends: one
    // request or one response on a connection that takes turns (HTTP/1.x, most RPC).
    const dataSide = (ints[base + I_BITS]! >>> ConnectionMeta.DataSideShift) & ConnectionMeta.TwoBits;
    if (payload > 0 && !retransmitted && dataSide !== side + 1) {
      const others = ints[base + I_BITS]! & ~(ConnectionMeta.TwoBits << ConnectionMeta.DataSideShift);
      ints[base + I_BITS] = others | ((side + 1) << ConnectionMeta.DataSideShift);
      ints[e + IE_DATA_BURSTS] = ints[e + IE_DATA_BURSTS]! + 1;
    }
    const zeroWindow = packet.window === 0 && !syn && !rst;
    if (zeroWindow) ints[e + IE_ZERO_WINDOWS] = ints[e + IE_ZERO_WINDOWS]! + 1;

    const letters = historyLetters(ints, e, isClient, flags, sequence | 0, payload, retransmitted, gap, zeroWindow);
    if (letters !== 0) {
      const history = store.history;
      history[index] = this.histories.append(history[index]!, letters);
    }
  }
}

function sameWords(words: Uint32Array, ints: Int32Array, at: number): boolean {
  return (
    (words[0]! | 0) === ints[at] &&
    (words[1]! | 0) === ints[at + 1] &&
    (words[2]! | 0) === ints[at + 2] &&
    (words[3]! | 0) === ints[at + 3]
  );
}

function copyWords(words: Uint32Array, ints: Int32Array, at: number): void {
  ints[at] = words[0]! | 0;
  ints[at + 1] = words[1]! | 0;
  ints[at + 2] = words[2]! | 0;
  ints[at + 3] = words[3]! | 0;
}
