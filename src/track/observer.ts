import type { DecodedPacket } from '../decode/decoded.js';
import type { TrackedConnection } from './connection.js';
import type { PacketPlace } from './tracker.js';

/**
 * A stage that wants to see each segment of each connection as it is tracked (payload insight,
 * ladder diagrams). Called synchronously on the hot path, after the tracker updated the
 * connection. `frame` is the array the packet was decoded from: the reader's chunk, so the
 * frame's bytes start somewhere inside it; read the payload at `packet.payloadOffset` (and the
 * options at `packet.optionsOffset`), never from index 0. `connection`, `packet`, `frame` and
 * `place` are reused objects and arrays, valid only during the call (the connection is a view over the tracker's store: keep `connection.id`,
 * not the object). `side` is the endpoint index (0 = sender of the connection's first packet); use
 * `connection.clientSide` at the end, since a late SYN can still flip roles.
 */
export interface SegmentObserver {
  segment(connection: TrackedConnection, side: 0 | 1, packet: DecodedPacket, frame: Uint8Array, place: PacketPlace): void;
  /**
   * Room for state of connections with ids below `connections`, asked for between input chunks
   * (ConnectionTracker.reserve), so that segment() need not grow anything itself.
   */
  reserve?(connections: number): void;
}
