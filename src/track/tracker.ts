import { TcpFlag } from '../decode/constants.js';
import type { DecodedPacket } from '../decode/decoded.js';
import { TrackedConnection } from './connection.js';
import { EndpointState, type PacketMoment } from './endpoint.js';
import { historyLetters } from './history.js';
import { connectionHash, senderSide } from './key.js';
import type { SegmentObserver } from './observer.js';
import { sequenceAdd, sequenceAfter, sequenceAtOrAfter } from './seq.js';

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
 * Groups TCP segments into connections. One Map from a numeric hash to a chain of connections
 * (no string key per packet); the chain head is the live connection of its 4-tuple.
 */
export class ConnectionTracker {
  private readonly buckets = new Map<number, TrackedConnection>();
  private readonly all: TrackedConnection[] = [];
  private readonly vlanAware: boolean;
  private readonly serverPorts: ReadonlySet<number>;
  private readonly observers: readonly SegmentObserver[];
  private ordinal = 0;

  constructor(options: TrackerOptions = {}) {
    this.vlanAware = options.vlanAware ?? false;
    this.serverPorts = new Set(options.serverPorts ?? []);
    this.observers = options.observers ?? [];
  }

  get connectionCount(): number {
    return this.all.length;
  }

  /** Tracks one decoded TCP segment; `frame` is the frame's bytes (for observers that read payload). */
  observe(packet: DecodedPacket, place: PacketPlace, frame?: Uint8Array): void {
    this.ordinal++;
    const hash = connectionHash(packet, this.vlanAware);
    let connection = this.buckets.get(hash);
    let side: 0 | 1 | -1 = -1;
    while (connection !== undefined) {
      side = this.matches(connection, packet);
      if (side !== -1) break;
      connection = connection.nextInBucket;
    }
    if (connection === undefined || side === -1) {
      connection = this.open(packet, place, hash);
      side = 0;
    } else if (this.isPortReuse(connection, side, packet)) {
      const previous = connection;
      connection = this.open(packet, place, hash);
      this.unlink(previous, hash);
      side = 0;
    }
    this.update(connection, side, packet, place);
    if (this.observers.length > 0 && frame !== undefined) {
      for (const observer of this.observers) observer.segment(connection, side, packet, frame, place);
    }
  }

  /** Connections in order of their first packet. */
  finish(): readonly TrackedConnection[] {
    return this.all;
  }

  private matches(connection: TrackedConnection, packet: DecodedPacket): 0 | 1 | -1 {
    if (
      this.vlanAware &&
      (packet.vlanOuter !== connection.vlanOuter || packet.vlanInner !== connection.vlanInner)
    ) {
      return -1;
    }
    return senderSide(packet, connection.endpoints[0].address, connection.endpoints[1].address);
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

  private open(packet: DecodedPacket, place: PacketPlace, hash: number): TrackedConnection {
    const version = packet.ipVersion;
    const first = new EndpointState({
      ipVersion: version,
      address: Uint32Array.from(packet.sourceAddress),
      port: packet.sourcePort,
    });
    const second = new EndpointState({
      ipVersion: version,
      address: Uint32Array.from(packet.destinationAddress),
      port: packet.destinationPort,
    });
    const connection = new TrackedConnection(
      this.all.length + 1,
      [first, second],
      this.moment(place),
      hash,
      packet.vlanOuter,
      packet.vlanInner,
    );
    this.assignRoles(connection, packet);
    connection.nextInBucket = this.buckets.get(hash);
    this.buckets.set(hash, connection);
    this.all.push(connection);
    return connection;
  }

  private unlink(connection: TrackedConnection, hash: number): void {
    let previous: TrackedConnection | undefined;
    let current = this.buckets.get(hash);
    while (current !== undefined && current !== connection) {
      previous = current;
      current = current.nextInBucket;
    }
    if (current === undefined) return;
    if (previous === undefined) {
      if (current.nextInBucket === undefined) this.buckets.delete(hash);
      else this.buckets.set(hash, current.nextInBucket);
    } else {
      previous.nextInBucket = current.nextInBucket;
    }
    current.nextInBucket = undefined;
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

  private moment(place: PacketPlace): PacketMoment {
    return {
      ordinal: this.ordinal,
      capture: place.capture,
      packet: place.packet,
      seconds: place.seconds,
      nanos: place.nanos,
    };
  }

  private update(connection: TrackedConnection, side: 0 | 1, packet: DecodedPacket, place: PacketPlace): void {
    const sender = connection.endpoints[side];
    const peer = connection.endpoints[side === 0 ? 1 : 0];
    const flags = packet.flags;
    const syn = (flags & TcpFlag.SYN) !== 0;
    const ack = (flags & TcpFlag.ACK) !== 0;
    const fin = (flags & TcpFlag.FIN) !== 0;
    const rst = (flags & TcpFlag.RST) !== 0;
    const sequence = packet.sequence;
    const payload = packet.payloadLength;

    const last = connection.last;
    last.ordinal = this.ordinal;
    last.capture = place.capture;
    last.packet = place.packet;
    last.seconds = place.seconds;
    last.nanos = place.nanos;
    if (place.precision > connection.precision) connection.precision = place.precision;

    sender.packets++;
    sender.payloadBytes += payload;
    sender.capturedPayloadBytes += packet.capturedPayloadLength;

    // A late handshake packet outranks a port guess: it says who really opened the connection.
    if (syn && connection.roleSource !== 'syn') {
      if (!ack) this.setClient(connection, side, 'syn');
      else if (connection.roleSource !== 'syn-ack') this.setClient(connection, side === 0 ? 1 : 0, 'syn-ack');
    }
    const isClient = side === connection.clientSide;

    // The ACK field first: a FIN+ACK that acknowledges the peer's FIN is an ordinary close.
    if (ack && peer.fin !== undefined && !peer.finAcknowledged &&
        sequenceAtOrAfter(packet.acknowledgement, sequenceAdd(peer.finSequence, 1))) {
      peer.finAcknowledged = true;
    }

    if (syn) {
      if (!ack) {
        if (sender.synCount === 0) {
          sender.synSequence = sequence;
          sender.synMoment = this.moment(place);
        }
        sender.synCount++;
      } else {
        if (sender.synAckCount === 0) {
          sender.synAckSequence = sequence;
          sender.synAckAcknowledgement = packet.acknowledgement;
          sender.synAckMoment = this.moment(place);
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
      if (sender.fin === undefined) {
        sender.fin = this.moment(place);
        sender.finSequence = finSequence;
        sender.finCount = 1;
        if (peer.fin !== undefined && !peer.finAcknowledged) connection.simultaneousClose = true;
      } else if (finSequence !== sender.finSequence) {
        sender.finCount++;
      }
    }
    if (rst && sender.rst === undefined) sender.rst = this.moment(place);

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
        if (payload > 0 && !sequenceAfter(end, sender.nextSequence)) {
          retransmitted = true;
          sender.retransmissions++;
        } else if (sequenceAfter(sequence, sender.nextSequence)) {
          gap = true;
          sender.gaps++;
        }
        if (sequenceAfter(end, sender.nextSequence)) sender.nextSequence = end;
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
    if (letters !== '') connection.history += letters;
  }
}
