import { EndpointState, readMoment, writeMoment, type PacketMoment } from './endpoint.js';
import {
  ConnectionBit,
  F_FIRST,
  F_LAST,
  I_BITS,
  I_CLIENT_SIDE,
  I_FIRST,
  I_HASH,
  I_LAST_DATA_SIDE,
  I_LAST,
  I_PRECISION,
  I_ROLE_SOURCE,
  I_VLAN_INNER,
  I_VLAN_OUTER,
  floatBase,
  intBase,
  type ConnectionStore,
} from './store.js';

/** Which rule decided who is the client (reported as `roleSource`). */
export type RoleSource =
  /** The sender of the first SYN (without ACK). */
  | 'syn'
  /** No SYN seen: the receiver of the SYN-ACK. */
  | 'syn-ack'
  /** No handshake seen: the side on a port given with --port is the server. */
  | 'filter-port'
  /** No handshake seen and no port filter decides: the lower port is the server. */
  | 'lower-port';

/** RoleSource as stored (I_ROLE_SOURCE); 0 is the default, 'lower-port'. */
export const ROLE_SOURCES: readonly RoleSource[] = ['lower-port', 'syn', 'syn-ack', 'filter-port'];

/**
 * One TCP connection as the tracker sees it. Endpoint 0 sent the first packet we saw;
 * `clientSide` says which endpoint is the client, so a late SYN can flip roles cheaply.
 *
 * A view over the connection's record in the ConnectionStore (its numbers live there, not in
 * this object); `first` and `last` build fresh PacketMoments when read.
 */
export class TrackedConnection {
  readonly endpoints: readonly [EndpointState, EndpointState];
  private fa: Float64Array;
  private ia: Int32Array;
  private f = 0;
  private i = 0;
  private index = 0;

  constructor(
    private readonly store: ConnectionStore,
    index: number,
  ) {
    this.endpoints = [new EndpointState(store, index, 0), new EndpointState(store, index, 1)];
    this.fa = store.floats(index);
    this.ia = store.ints(index);
    this.at(index);
  }

  /** Point this view (and its endpoint views) at another connection. */
  at(index: number): this {
    this.index = index;
    this.fa = this.store.floats(index);
    this.ia = this.store.ints(index);
    this.f = floatBase(index);
    this.i = intBase(index);
    this.endpoints[0].point(this.fa, this.ia, this.f, this.i);
    this.endpoints[1].point(this.fa, this.ia, this.f, this.i);
    return this;
  }

  /** 1-based, in order of first packet. */
  get id(): number { return this.index + 1; }
  get hash(): number { return this.ia[this.i + I_HASH]!; }
  get vlanOuter(): number { return this.ia[this.i + I_VLAN_OUTER]!; }
  get vlanInner(): number { return this.ia[this.i + I_VLAN_INNER]!; }

  get clientSide(): 0 | 1 { return this.ia[this.i + I_CLIENT_SIDE] === 1 ? 1 : 0; }
  set clientSide(side: 0 | 1) { this.ia[this.i + I_CLIENT_SIDE] = side; }
  get roleSource(): RoleSource { return ROLE_SOURCES[this.ia[this.i + I_ROLE_SOURCE]!] ?? 'lower-port'; }
  set roleSource(source: RoleSource) { this.ia[this.i + I_ROLE_SOURCE] = ROLE_SOURCES.indexOf(source); }
  /** Set when roles were decided against the direction of the first packet (Zeek's `^`). */
  get flipped(): boolean { return this.bit(ConnectionBit.Flipped); }
  set flipped(value: boolean) { this.setBit(ConnectionBit.Flipped, value); }
  /** The client acknowledged the server's SYN-ACK (the third packet of the handshake). */
  get handshakeAcknowledged(): boolean { return this.bit(ConnectionBit.HandshakeAcknowledged); }
  set handshakeAcknowledged(value: boolean) { this.setBit(ConnectionBit.HandshakeAcknowledged, value); }
  /** Both sides sent a FIN before either FIN was acknowledged (RFC 9293 §3.6, simultaneous close). */
  get simultaneousClose(): boolean { return this.bit(ConnectionBit.SimultaneousClose); }
  set simultaneousClose(value: boolean) { this.setBit(ConnectionBit.SimultaneousClose, value); }
  /** Endpoint that sent the latest new payload (-1: none yet), to count data bursts. */
  get lastDataSide(): 0 | 1 | -1 { return (this.ia[this.i + I_LAST_DATA_SIDE]! - 1) as 0 | 1 | -1; }
  set lastDataSide(side: 0 | 1 | -1) { this.ia[this.i + I_LAST_DATA_SIDE] = side + 1; }
  /** Zeek-style history letters, in the order first seen (uppercase = client). */
  get history(): string { return this.store.history[this.index]!; }
  set history(letters: string) { this.store.history[this.index] = letters; }
  /** Most digits of sub-second precision among this connection's packets. */
  get precision(): number { return this.ia[this.i + I_PRECISION]!; }
  set precision(digits: number) { this.ia[this.i + I_PRECISION] = digits; }

  get first(): PacketMoment { return readMoment(this.fa, this.f + F_FIRST, this.ia, this.i + I_FIRST)!; }
  set first(moment: PacketMoment) { writeMoment(this.fa, this.f + F_FIRST, this.ia, this.i + I_FIRST, moment); }
  get last(): PacketMoment { return readMoment(this.fa, this.f + F_LAST, this.ia, this.i + I_LAST)!; }
  set last(moment: PacketMoment) { writeMoment(this.fa, this.f + F_LAST, this.ia, this.i + I_LAST, moment); }

  get client(): EndpointState {
    return this.endpoints[this.clientSide];
  }

  get server(): EndpointState {
    return this.endpoints[this.clientSide === 0 ? 1 : 0];
  }

  /** Ended: a RST was sent, or a FIN was: a new SYN with a new ISN then means port reuse. */
  get ended(): boolean {
    const [a, b] = this.endpoints;
    return a.hasRst || b.hasRst || a.hasFin || b.hasFin;
  }

  private bit(bit: number): boolean {
    return (this.ia[this.i + I_BITS]! & bit) !== 0;
  }

  private setBit(bit: number, value: boolean): void {
    const ints = this.ia;
    const at = this.i + I_BITS;
    ints[at] = value ? ints[at]! | bit : ints[at]! & ~bit;
  }
}
