import type { IssueKind, IssueLayer } from '../errors.js';

/** Outcome of decoding one frame. Numbers, so the hot path compares integers, not strings. */
export const DecodeStatus = {
  /** A TCP segment: the TCP fields below are valid. */
  Tcp: 0,
  /** Not TCP (or not decodable as TCP for a benign reason): see `skip`. */
  Skipped: 1,
  /** A damaged packet: see `issue`. */
  Issue: 2,
} as const;
export type DecodeStatus = (typeof DecodeStatus)[keyof typeof DecodeStatus];

/** Benign reasons a frame carries no TCP segment for us. Counted in the report, never errors. */
export type SkipReason =
  | 'unknown-link-type'
  | 'non-ip'
  | 'non-tcp'
  /** IPv4/IPv6 fragment other than the first: cannot carry a TCP header. */
  | 'fragment';

/**
 * The decoder's output. One object is allocated per run and refilled for every frame
 * (no allocation per packet). Addresses are stored as 32-bit words so connection keys are numeric:
 * IPv4 uses word 0 only (words 1-3 are 0); IPv6 uses all four, most significant first.
 */
export interface DecodedPacket {
  status: DecodeStatus;

  /**
   * status === Skipped: why, and the value that decided: 'unknown-link-type' → the link type;
   * 'non-ip' → the EtherType (the BSD address family for LINKTYPE_NULL/LOOP); 'non-tcp' → the IP
   * protocol (or IPv6 next header); 'fragment' → the IP protocol the fragment belongs to.
   */
  skip: SkipReason;
  skipValue: number;

  /** status === Issue: what is wrong (the caller adds packet number and file offset). */
  issueKind: IssueKind;
  issueLayer: IssueLayer;
  issueReason: string;
  issueNeeded: number;
  issueAvailable: number;

  /** status === Tcp: */
  ipVersion: 4 | 6;
  sourceAddress: Uint32Array;
  destinationAddress: Uint32Array;
  /** 802.1Q/802.1ad VLAN ids, outermost first; -1 when absent. */
  vlanOuter: number;
  vlanInner: number;
  sourcePort: number;
  destinationPort: number;
  /** Unsigned 32-bit sequence and acknowledgement numbers (as JS numbers, never negative). */
  sequence: number;
  acknowledgement: number;
  /** TCP flags bitmask (TcpFlag), the low 8 bits of byte 13 (RFC 9293 §3.1). */
  flags: number;
  window: number;
  /** TCP header length in bytes (data offset × 4). */
  tcpHeaderLength: number;
  /** Payload length the IP and TCP headers declare (tshark's tcp.len), even if the frame was cut. */
  payloadLength: number;
  /** Payload bytes actually present in the frame. */
  capturedPayloadLength: number;
  /**
   * Index where the TCP payload starts (valid if capturedPayloadLength > 0), in the array given to
   * decodePacket: the frame's own bytes, or the reader's chunk that holds them.
   */
  payloadOffset: number;
  /** Index of the TCP options (in the same array as payloadOffset) and how many option bytes were captured. */
  optionsOffset: number;
  optionsLength: number;
  /** The frame was cut inside the TCP header (options) but ports, numbers and flags are known. */
  tcpHeaderCut: boolean;
}

export function createDecodedPacket(): DecodedPacket {
  return {
    status: DecodeStatus.Skipped,
    skip: 'non-ip',
    skipValue: 0,
    issueKind: 'truncated',
    issueLayer: 'link',
    issueReason: '',
    issueNeeded: 0,
    issueAvailable: 0,
    ipVersion: 4,
    sourceAddress: new Uint32Array(4),
    destinationAddress: new Uint32Array(4),
    vlanOuter: -1,
    vlanInner: -1,
    sourcePort: 0,
    destinationPort: 0,
    sequence: 0,
    acknowledgement: 0,
    flags: 0,
    window: 0,
    tcpHeaderLength: 0,
    payloadLength: 0,
    capturedPayloadLength: 0,
    payloadOffset: 0,
    optionsOffset: 0,
    optionsLength: 0,
    tcpHeaderCut: false,
  };
}
