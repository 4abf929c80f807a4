import { EndpointState, type PacketMoment } from './endpoint.js';

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

/**
 * One TCP connection as the tracker sees it. Endpoint 0 sent the first packet we saw;
 * `clientSide` says which endpoint is the client, so a late SYN can flip roles cheaply.
 */
export class TrackedConnection {
  clientSide: 0 | 1 = 0;
  roleSource: RoleSource = 'lower-port';
  /** Set when roles were decided against the direction of the first packet (Zeek's `^`). */
  flipped = false;
  /** The client acknowledged the server's SYN-ACK (the third packet of the handshake). */
  handshakeAcknowledged = false;
  /** Both sides sent a FIN before either FIN was acknowledged (RFC 9293 §3.6, simultaneous close). */
  simultaneousClose = false;
  /** Endpoint that sent the latest new payload (-1: none yet), to count data bursts. */
  lastDataSide: 0 | 1 | -1 = -1;
  /** Zeek-style history letters, in the order first seen (uppercase = client). */
  history = '';
  /** Most digits of sub-second precision among this connection's packets. */
  precision = 0;
  readonly last: PacketMoment;
  /** Next connection in the same hash bucket (collisions), newest first. */
  nextInBucket: TrackedConnection | undefined;

  constructor(
    readonly id: number,
    readonly endpoints: readonly [EndpointState, EndpointState],
    readonly first: PacketMoment,
    readonly hash: number,
    readonly vlanOuter: number,
    readonly vlanInner: number,
  ) {
    this.last = { ...first };
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
    return a.rst !== undefined || b.rst !== undefined || a.fin !== undefined || b.fin !== undefined;
  }
}
