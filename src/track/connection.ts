import { EndpointState, readMoment, type PacketMoment } from './endpoint.js';
import {
  ConnectionBit,
  ConnectionMeta,
  F_FIRST,
  F_LAST_SECONDS,
  I_BITS,
  I_FIRST,
  I_LAST_NANOS,
  MF_SECONDS,
  MI_NANOS,
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

/** RoleSource as stored (ConnectionMeta.RoleShift); 0 is the default, 'lower-port'. */
export const ROLE_SOURCES: readonly RoleSource[] = ['lower-port', 'syn', 'syn-ack', 'filter-port'];

/**
 * One TCP connection as the tracker sees it. Endpoint 0 sent the first packet we saw;
 * `clientSide` says which endpoint is the client, so a late SYN can flip roles cheaply.
 *
 * A view over the connection's record in the ConnectionStore (its numbers live there, not in
 * this object); `first` and `last` build fresh objects when read.
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

  get clientSide(): 0 | 1 { return this.bit(ConnectionMeta.ClientSide) ? 1 : 0; }
  set clientSide(side: 0 | 1) { this.setBit(ConnectionMeta.ClientSide, side === 1); }
  get roleSource(): RoleSource {
    return ROLE_SOURCES[(this.ia[this.i + I_BITS]! >>> ConnectionMeta.RoleShift) & ConnectionMeta.TwoBits]!;
  }
  set roleSource(source: RoleSource) {
    const at = this.i + I_BITS;
    const others = this.ia[at]! & ~(ConnectionMeta.TwoBits << ConnectionMeta.RoleShift);
    this.ia[at] = others | (ROLE_SOURCES.indexOf(source) << ConnectionMeta.RoleShift);
  }
  /** Set when roles were decided against the direction of the first packet (Zeek's `^`). */
  get flipped(): boolean { return this.bit(ConnectionBit.Flipped); }
  set flipped(value: boolean) { this.setBit(ConnectionBit.Flipped, value); }
  /** The client acknowledged the server's SYN-ACK (the third packet of the handshake). */
  get handshakeAcknowledged(): boolean { return this.bit(ConnectionBit.HandshakeAcknowledged); }
  /** Both sides sent a FIN before either FIN was acknowledged (RFC 9293 §3.6, simultaneous close). */
  get simultaneousClose(): boolean { return this.bit(ConnectionBit.SimultaneousClose); }
  /** Zeek-style history letters, in the order first seen (uppercase = client). */
  get history(): string { return this.store.history[this.index]!; }
  set history(letters: string) { this.store.history[this.index] = letters; }
  /** Most digits of sub-second precision among this connection's packets. */
  get precision(): number {
    return (this.ia[this.i + I_BITS]! >>> ConnectionMeta.PrecisionShift) & ConnectionMeta.PrecisionBits;
  }

  get first(): PacketMoment { return readMoment(this.fa, this.f + F_FIRST, this.ia, this.i + I_FIRST)!; }
  /** When the last packet was captured (where it was is never reported, so not kept). */
  get last(): { seconds: number; nanos: number } {
    return { seconds: this.fa[this.f + F_LAST_SECONDS]!, nanos: this.ia[this.i + I_LAST_NANOS]! };
  }

  /** The last packet is timestamped before the first (a clock stepped back); reads no objects. */
  get endsBeforeStart(): boolean {
    const firstSeconds = this.fa[this.f + F_FIRST + MF_SECONDS]!;
    const lastSeconds = this.fa[this.f + F_LAST_SECONDS]!;
    if (lastSeconds !== firstSeconds) return lastSeconds < firstSeconds;
    return this.ia[this.i + I_LAST_NANOS]! < this.ia[this.i + I_FIRST + MI_NANOS]!;
  }

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
