import { TcpFlag } from '../decode/constants.js';
import type { DecodedPacket } from '../decode/decoded.js';
import { ConnectionBuckets } from './buckets.js';
import { TrackedConnection } from './connection.js';
import { HistoryStrings, historyLetters } from './history.js';
import { connectionHash } from './key.js';
import type { SegmentObserver } from './observer.js';
import { sequenceAdd, sequenceAfter, sequenceAtOrAfter } from './seq.js';
import {
  ConnectionStore,
  F_FIRST,
  F_LAST,
  I_ENDPOINT,
  I_ENDPOINTS,
  I_FIRST,
  I_HASH,
  I_IP_VERSION,
  I_LAST,
  I_VLAN_INNER,
  I_VLAN_OUTER,
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
  private readonly buckets = new ConnectionBuckets(this.store);
  private readonly vlanAware: boolean;
  private readonly serverPorts: ReadonlySet<number>;
  private readonly observers: readonly SegmentObserver[];
  /** Stable views returned by finish(), created on first use. */
  private readonly views: TrackedConnection[] = [];
  /** Reused view for the connection of the current packet. */
  private readonly current: TrackedConnection;
  /** Reused view for connectionAt(). */
  private reading: TrackedConnection | undefined;
  private ordinal = 0;
  private readonly histories = new HistoryStrings();

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
   * Tracks one decoded TCP segment; `bytes` is the array it was decoded from (the frame's bytes or
   * the chunk holding them), for observers that read payload at `packet.payloadOffset`.
   */
  observe(packet: DecodedPacket, place: PacketPlace, bytes?: Uint8Array): void {
    this.ordinal++;
    const hash = connectionHash(packet, this.vlanAware);
    let index = this.buckets.first(hash);
    let side: 0 | 1 | -1 = -1;
    while (index !== -1) {
      side = this.matches(index, hash, packet);
      if (side !== -1) break;
      index = this.buckets.next(index);
    }
    if (index === -1 || side === -1) {
      index = this.open(packet, place, hash);
      side = 0;
    } else if (this.isPortReuse(this.current.at(index), side, packet)) {
      const previous = index;
      index = this.open(packet, place, hash);
      this.buckets.remove(previous, hash);
      side = 0;
    }
    const connection = this.current.at(index);
    this.update(connection, side, packet, place);
    if (this.observers.length > 0 && bytes !== undefined) {
      for (const observer of this.observers) observer.segment(connection, side, packet, bytes, place);
    }
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

  private view(index: number): TrackedConnection {
    return (this.views[index] ??= new TrackedConnection(this.store, index));
  }

  /** Which endpoint of connection `index` sent the packet: 0, 1, or -1 when it is another 4-tuple. */
  private matches(index: number, hash: number, packet: DecodedPacket): 0 | 1 | -1 {
    const ints = this.store.ints(index);
    const base = intBase(index);
    // Chains hold other hashes too: most other connections differ here.
    if (ints[base + I_HASH] !== hash) return -1;
    if (
      this.vlanAware &&
      (packet.vlanOuter !== ints[base + I_VLAN_OUTER] || packet.vlanInner !== ints[base + I_VLAN_INNER])
    ) {
      return -1;
    }
    if (packet.ipVersion !== ints[base + I_IP_VERSION]) return -1;
    const first = base + I_ENDPOINTS;
    const second = first + I_ENDPOINT;
    const source = packet.sourceAddress;
    const destination = packet.destinationAddress;
    if (
      packet.sourcePort === ints[first + IE_PORT] &&
      packet.destinationPort === ints[second + IE_PORT] &&
      sameWords(source, ints, first + IE_ADDRESS) &&
      sameWords(destination, ints, second + IE_ADDRESS)
    ) {
      return 0;
    }
    if (
      packet.sourcePort === ints[second + IE_PORT] &&
      packet.destinationPort === ints[first + IE_PORT] &&
      sameWords(source, ints, second + IE_ADDRESS) &&
      sameWords(destination, ints, first + IE_ADDRESS)
    ) {
      return 1;
    }
    return -1;
  }

  /**
   * A SYN (without ACK) carrying a new ISN on a 4-tuple whose connection already ended
   * (FIN or RST seen) starts a new connection, as tshark's tcp.stream does. A SYN with the
   * ISN already seen is a retransmission and stays in the same connection.
   */
  private isPortReuse(connection: TrackedConnection, side: 0 | 1, packet: DecodedPacket): boolean {
    if ((packet.flags & (TcpFlag.SYN | TcpFlag.ACK)) !== TcpFlag.SYN) return false;
    if (!connection.ended) return false;
    const sender = connection.endpoints[side];
    return sender.synCount === 0 || sender.synSequence !== packet.sequence;
  }

  private open(packet: DecodedPacket, place: PacketPlace, hash: number): number {
    const store = this.store;
    const index = store.add();
    const ints = store.ints(index);
    const base = intBase(index);
    ints[base + I_IP_VERSION] = packet.ipVersion;
    ints[base + I_HASH] = hash;
    ints[base + I_VLAN_OUTER] = packet.vlanOuter;
    ints[base + I_VLAN_INNER] = packet.vlanInner;
    const first = base + I_ENDPOINTS;
    const second = first + I_ENDPOINT;
    copyWords(packet.sourceAddress, ints, first + IE_ADDRESS);
    copyWords(packet.destinationAddress, ints, second + IE_ADDRESS);
    ints[first + IE_PORT] = packet.sourcePort;
    ints[second + IE_PORT] = packet.destinationPort;
    this.stamp(index, floatBase(index) + F_FIRST, base + I_FIRST, place);
    this.stamp(index, floatBase(index) + F_LAST, base + I_LAST, place);
    const connection = this.current.at(index);
    this.assignRoles(connection, packet);
    this.buckets.add(index, hash);
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

  private update(connection: TrackedConnection, side: 0 | 1, packet: DecodedPacket, place: PacketPlace): void {
    const index = connection.id - 1;
    const sender = connection.endpoints[side];
    const peerSide = side === 0 ? 1 : 0;
    const peer = connection.endpoints[peerSide];
    const flags = packet.flags;
    const syn = (flags & TcpFlag.SYN) !== 0;
    const ack = (flags & TcpFlag.ACK) !== 0;
    const fin = (flags & TcpFlag.FIN) !== 0;
    const rst = (flags & TcpFlag.RST) !== 0;
    const sequence = packet.sequence;
    const payload = packet.payloadLength;

    this.stamp(index, floatBase(index) + F_LAST, intBase(index) + I_LAST, place);
    if (place.precision > connection.precision) connection.precision = place.precision;

    sender.packets++;
    sender.payloadBytes += payload;
    sender.capturedPayloadBytes += packet.capturedPayloadLength;

    // A late handshake packet outranks a port guess: it says who really opened the connection.
    const roleSource = connection.roleSource;
    if (syn && roleSource !== 'syn') {
      if (!ack) this.setClient(connection, side, 'syn');
      else if (roleSource !== 'syn-ack') this.setClient(connection, peerSide, 'syn-ack');
    }
    const isClient = side === connection.clientSide;

    // The ACK field first: a FIN+ACK that acknowledges the peer's FIN is an ordinary close.
    if (ack && peer.hasFin && !peer.finAcknowledged &&
        sequenceAtOrAfter(packet.acknowledgement, sequenceAdd(peer.finSequence, 1))) {
      peer.finAcknowledged = true;
    }

    if (syn) {
      if (!ack) {
        if (sender.synCount === 0) {
          sender.synSequence = sequence;
        }
        sender.synCount++;
      } else {
        if (sender.synAckCount === 0) {
          sender.synAckSequence = sequence;
          sender.synAckAcknowledgement = packet.acknowledgement;
        }
        sender.synAckCount++;
      }
    } else if (ack && isClient && !connection.handshakeAcknowledged) {
      const server = peer;
      if (server.synAckCount > 0 && sender.synCount > 0 &&
          packet.acknowledgement === sequenceAdd(server.synAckSequence, 1)) {
        connection.handshakeAcknowledged = true;
      }
    }

    if (fin) {
      // The FIN occupies the sequence number after the payload (and after a SYN, if both are set).
      const finSequence = sequenceAdd(sequence, payload + (syn ? 1 : 0));
      if (!sender.hasFin) {
        this.stampEvent(index, side, IE_FIN, place);
        sender.finSequence = finSequence;
        sender.finCount = 1;
        if (peer.hasFin && !peer.finAcknowledged) connection.simultaneousClose = true;
      } else if (finSequence !== sender.finSequence) {
        sender.finCount++;
      }
    }
    if (rst && !sender.hasRst) this.stampEvent(index, side, IE_RST, place);

    // Retransmissions and gaps, from the highest sequence number sent so far.
    const consumed = payload + (syn ? 1 : 0) + (fin ? 1 : 0);
    const end = sequenceAdd(sequence, consumed);
    let retransmitted = false;
    let gap = false;
    if (!rst) {
      if (!sender.hasSequence || syn) {
        sender.hasSequence = true;
        sender.nextSequence = end;
      } else {
        const next = sender.nextSequence;
        if (payload > 0 && !sequenceAfter(end, next)) {
          retransmitted = true;
          sender.retransmissions++;
        } else if (sequenceAfter(sequence, next)) {
          gap = true;
          sender.gaps++;
        }
        if (sequenceAfter(end, next)) sender.nextSequence = end;
      }
    }
    // A burst is a run of new payload from one side that the other side's payload ends: one
    // request or one response on a connection that takes turns (HTTP/1.x, most RPC).
    if (payload > 0 && !retransmitted && connection.lastDataSide !== side) {
      connection.lastDataSide = side;
      sender.dataBursts++;
    }
    const zeroWindow = packet.window === 0 && !syn && !rst;
    if (zeroWindow) sender.zeroWindows++;

    const letters = historyLetters(sender, isClient, flags, sequence, payload, retransmitted, gap, zeroWindow);
    if (letters !== '') connection.history = this.histories.append(connection.history, letters);
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
