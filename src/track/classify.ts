import type { TrackedConnection } from './connection.js';
import type { EndpointState, PacketMoment } from './endpoint.js';

/**
 * The outcome of a connection, derived by pure functions from the two endpoint states
 * (the way Zeek derives conn_state at the end instead of mutating a verdict on the way).
 */

export type Handshake =
  /** SYN, SYN-ACK and the client's ACK of the SYN-ACK were all seen. */
  | 'complete'
  /** A SYN with no answer. */
  | 'syn'
  /** SYN and SYN-ACK, but no final ACK from the client. */
  | 'syn-ack'
  /** The SYN was answered by a RST. */
  | 'rejected'
  /** No SYN from the client: the connection began before the capture. */
  | 'none';

export type Side = 'client' | 'server';

export function handshakeOf(connection: TrackedConnection): Handshake {
  const { client, server } = connection;
  if (client.synCount === 0) return 'none';
  if (server.synAckCount === 0) return server.hasRst ? 'rejected' : 'syn';
  return connection.handshakeAcknowledged ? 'complete' : 'syn-ack';
}

/** SYNs the client sent beyond the first (retransmissions of the connection request). */
export function synRetransmitsOf(connection: TrackedConnection): number {
  return Math.max(0, connection.client.synCount - 1);
}

/** The side whose event has the lower run-wide ordinal (0: none); the client wins a tie. */
function firstSide(clientOrdinal: number, serverOrdinal: number): Side | undefined {
  if (clientOrdinal === 0) return serverOrdinal === 0 ? undefined : 'server';
  return serverOrdinal !== 0 && serverOrdinal < clientOrdinal ? 'server' : 'client';
}

export interface SideMoment {
  side: Side;
  moment: PacketMoment;
}

/** The first FIN of the connection and who sent it. */
export function firstFinOf(connection: TrackedConnection): SideMoment | undefined {
  const side = firstSide(connection.client.finOrdinal, connection.server.finOrdinal);
  return side && { side, moment: connection[side].fin! };
}

/** The first RST of the connection and who sent it. */
export function firstRstOf(connection: TrackedConnection): SideMoment | undefined {
  const side = firstSide(connection.client.rstOrdinal, connection.server.rstOrdinal);
  return side && { side, moment: connection[side].rst! };
}

export interface Closing {
  closedBy: Side | null;
  closedWith: 'fin' | 'rst' | null;
}

/**
 * Who closed: the side whose FIN or RST came first; null while neither was seen. Ordinals only,
 * no moments built: this runs for every connection, twice when streaming --json.
 */
export function closingOf(connection: TrackedConnection): Closing {
  const { client, server } = connection;
  const finSide = firstSide(client.finOrdinal, server.finOrdinal);
  const rstSide = firstSide(client.rstOrdinal, server.rstOrdinal);
  if (finSide === undefined && rstSide === undefined) return NOT_CLOSED;
  // A FIN and a RST in the same segment share an ordinal: the RST decides.
  if (rstSide === undefined || (finSide !== undefined && connection[finSide].finOrdinal < connection[rstSide].rstOrdinal)) {
    return finSide === 'client' ? CLIENT_FIN : SERVER_FIN;
  }
  return rstSide === 'client' ? CLIENT_RST : SERVER_RST;
}

const NOT_CLOSED: Closing = Object.freeze({ closedBy: null, closedWith: null });
const CLIENT_FIN: Closing = Object.freeze({ closedBy: 'client', closedWith: 'fin' });
const SERVER_FIN: Closing = Object.freeze({ closedBy: 'server', closedWith: 'fin' });
const CLIENT_RST: Closing = Object.freeze({ closedBy: 'client', closedWith: 'rst' });
const SERVER_RST: Closing = Object.freeze({ closedBy: 'server', closedWith: 'rst' });

/** Zeek's per-endpoint TCP states (analyzer/protocol/tcp/TCP_Endpoint.h). */
type EndpointPhase = 'inactive' | 'syn-sent' | 'syn-ack-sent' | 'partial' | 'established' | 'closed' | 'reset';

function phaseOf(endpoint: EndpointState, established: boolean): EndpointPhase {
  if (endpoint.hasRst) return 'reset';
  if (endpoint.hasFin) return 'closed';
  if (!endpoint.sentAnything) return 'inactive';
  if (established) return 'established';
  if (endpoint.synCount > 0) return 'syn-sent';
  if (endpoint.synAckCount > 0) return 'syn-ack-sent';
  return 'partial';
}

export type ZeekState =
  | 'S0' | 'S1' | 'SF' | 'REJ' | 'S2' | 'S3' | 'RSTO' | 'RSTR' | 'RSTOS0' | 'RSTRH' | 'SH' | 'SHR' | 'OTH';

/**
 * Zeek's conn_state (base/protocols/conn/main.zeek), with Zeek's originator = our client.
 * Zeek calls a connection established once the SYN-ACK answers the SYN.
 */
export function zeekStateOf(connection: TrackedConnection): ZeekState {
  const { client, server } = connection;
  const established = client.synCount > 0 && server.synAckCount > 0;
  const origin = phaseOf(client, established);
  const responder = phaseOf(server, established);
  const originInactive = origin === 'inactive' || origin === 'partial';
  const responderInactive = responder === 'inactive' || responder === 'partial';

  if (responder === 'reset') {
    if (origin === 'syn-sent' || origin === 'syn-ack-sent' ||
        (origin === 'reset' && client.payloadBytes === 0 && server.payloadBytes === 0)) {
      return 'REJ';
    }
    return originInactive ? 'RSTRH' : 'RSTR';
  }
  if (origin === 'reset') {
    if (responderInactive && /^\^?S[^HAFGIQ]*R/.test(connection.history)) return 'RSTOS0';
    return 'RSTO';
  }
  if (responder === 'closed' && origin === 'closed') return 'SF';
  if (origin === 'closed') return responderInactive ? 'SH' : 'S2';
  if (responder === 'closed') return originInactive ? 'SHR' : 'S3';
  if (origin === 'syn-sent' && responder === 'inactive') return 'S0';
  if (origin === 'established' && responder === 'established') return 'S1';
  return 'OTH';
}
