import type { EndpointAddress } from './key.js';

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

/**
 * What one side of a connection has sent (Zeek keeps the same split: one state per endpoint,
 * and the connection's outcome is a pure function of the two). Numbers and a few rare
 * event records only: payload bytes are never kept.
 */
export class EndpointState {
  packets = 0;
  /** Payload bytes the headers declare (tshark's tcp.len summed). */
  payloadBytes = 0;
  /** Payload bytes actually present in the capture (less when frames were cut by the snaplen). */
  capturedPayloadBytes = 0;
  /** Runs of new payload from this side, each ended by payload from the peer. */
  dataBursts = 0;

  /** SYN without ACK: first one's ISN, how many were sent (retransmissions included). */
  synCount = 0;
  synSequence = 0;
  /** SYN with ACK. */
  synAckCount = 0;
  synAckSequence = 0;
  synAckAcknowledgement = 0;
  synAckMoment: PacketMoment | undefined;
  /** First SYN (without ACK) and first RST, FIN. */
  synMoment: PacketMoment | undefined;
  fin: PacketMoment | undefined;
  rst: PacketMoment | undefined;
  /** Sequence number the FIN occupies (RFC 9293 §3.4: a FIN consumes one sequence number). */
  finSequence = 0;
  /** Distinct FIN sequence numbers seen (a retransmitted FIN counts once). */
  finCount = 0;
  /** Set once the peer acknowledged this side's FIN. */
  finAcknowledged = false;

  /** Highest sequence number sent plus payload: to tell retransmissions and gaps. */
  hasSequence = false;
  nextSequence = 0;
  retransmissions = 0;
  zeroWindows = 0;
  gaps = 0;

  /** History letters already recorded for this side (bit per letter) and last seq per flag kind. */
  historySeen = 0;
  lastSynSequence = -1;
  lastFinSequence = -1;
  lastRstSequence = -1;

  constructor(readonly address: EndpointAddress) {}

  get sentAnything(): boolean {
    return this.packets > 0;
  }
}
