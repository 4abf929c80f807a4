/**
 * What the per-protocol decoders share: the cursor that hands one layer's bounds to the next,
 * big-endian reads, and the setters for the two non-TCP outcomes.
 *
 * A layer decoder has the shape `(data, cursor, out) => boolean`:
 * - it reads its header at `cursor.offset`, checking the length it needs ONCE against `cursor.end`
 *   (with `hasBytes`) before reading;
 * - on success it fills its fields of `out`, moves the cursor to the next header and returns true;
 * - otherwise it marks `out` Skipped or Issue and returns false.
 * Only packet.ts chooses the next decoder. Nothing here allocates.
 */

import type { IssueKind, IssueLayer } from '../errors.js';
import { DecodeStatus, type DecodedPacket, type SkipReason } from './decoded.js';

/** Bounds of the bytes the next layer may read. One object per run, refilled for every frame. */
export interface LayerCursor {
  /** Index in the frame where the next header starts. */
  offset: number;
  /** Index just past the bytes of this layer that were captured (never beyond the frame). */
  end: number;
  /**
   * Index just past the bytes this layer's headers declare (IP total length). Larger than `end`
   * when the capture cut the packet (snaplen); equal to `end` when no length is declared.
   */
  declaredEnd: number;
  /**
   * False when no header declared a length (IPv4 total length 0 / IPv6 payload length 0, i.e.
   * segmentation offload or jumbograms): then `declaredEnd` is only the captured end, so running
   * past it means bytes are missing, not that a field is impossible.
   */
  lengthDeclared: boolean;
  /** What the next header is: an EtherType after the link layer, an IP protocol after IP. */
  protocol: number;
}

export function createLayerCursor(): LayerCursor {
  return { offset: 0, end: 0, declaredEnd: 0, lengthDeclared: false, protocol: 0 };
}

/** Stable identifiers of per-packet issues (DecodedPacket.issueReason). */
export const IssueReason = {
  EthernetHeaderCut: 'ethernet-header-cut',
  VlanTagCut: 'vlan-tag-cut',
  PppoeHeaderCut: 'pppoe-header-cut',
  NullHeaderCut: 'null-header-cut',
  LoopHeaderCut: 'loop-header-cut',
  SllHeaderCut: 'sll-header-cut',
  Sll2HeaderCut: 'sll2-header-cut',
  RawIpEmpty: 'raw-ip-empty',
  RawIpVersionUnknown: 'raw-ip-version-unknown',
  Ipv4HeaderCut: 'ipv4-header-cut',
  Ipv4VersionNot4: 'ipv4-version-not-4',
  Ipv4HeaderLengthBelow20: 'ipv4-header-length-below-20',
  Ipv4TotalLengthBelowHeader: 'ipv4-total-length-below-header',
  Ipv4OptionsCut: 'ipv4-options-cut',
  Ipv6HeaderCut: 'ipv6-header-cut',
  Ipv6VersionNot6: 'ipv6-version-not-6',
  Ipv6ExtensionHeaderCut: 'ipv6-extension-header-cut',
  Ipv6ExtensionHeaderBeyondPayload: 'ipv6-extension-header-beyond-payload',
  TcpHeaderCut: 'tcp-header-cut',
  TcpDataOffsetBelow5: 'tcp-data-offset-below-5',
  TcpHeaderBeyondIpPayload: 'tcp-header-beyond-ip-payload',
} as const;
export type IssueReason = (typeof IssueReason)[keyof typeof IssueReason];

/** Bytes between `offset` and `end`, never negative. */
export function bytesAvailable(cursor: LayerCursor): number {
  return cursor.end > cursor.offset ? cursor.end - cursor.offset : 0;
}

/**
 * The one bounds check: true when `length` bytes from the cursor were captured; otherwise marks
 * `out` truncated (needed = length, available = what is there) and returns false.
 */
export function hasBytes(
  cursor: LayerCursor,
  length: number,
  out: DecodedPacket,
  layer: IssueLayer,
  reason: IssueReason,
): boolean {
  const available = bytesAvailable(cursor);
  if (available >= length) return true;
  truncated(out, layer, reason, length, available);
  return false;
}

/** Big-endian 16-bit read. Callers have checked the bounds. */
export function readUint16(data: Uint8Array, index: number): number {
  return (data[index]! << 8) | data[index + 1]!;
}

/** Big-endian unsigned 32-bit read (>>> 0 keeps it non-negative). Callers have checked the bounds. */
export function readUint32(data: Uint8Array, index: number): number {
  return ((data[index]! << 24) | (data[index + 1]! << 16) | (data[index + 2]! << 8) | data[index + 3]!) >>> 0;
}

/** Little-endian unsigned 32-bit read. Callers have checked the bounds. */
export function readUint32LittleEndian(data: Uint8Array, index: number): number {
  return (data[index]! | (data[index + 1]! << 8) | (data[index + 2]! << 16) | (data[index + 3]! << 24)) >>> 0;
}

function issue(
  out: DecodedPacket,
  kind: IssueKind,
  layer: IssueLayer,
  reason: IssueReason,
  needed: number,
  available: number,
): void {
  out.status = DecodeStatus.Issue;
  out.issueKind = kind;
  out.issueLayer = layer;
  out.issueReason = reason;
  out.issueNeeded = needed;
  out.issueAvailable = available;
}

/** Bytes are missing: `needed` bytes were required, `available` were captured. */
export function truncated(out: DecodedPacket, layer: IssueLayer, reason: IssueReason, needed: number, available: number): void {
  issue(out, 'truncated', layer, reason, needed, available);
}

/**
 * A field holds an impossible value. `needed`/`available` carry the two numbers that disagree when
 * there are two (e.g. TCP header length vs IP payload length), else 0.
 */
export function malformed(out: DecodedPacket, layer: IssueLayer, reason: IssueReason, needed: number, available: number): void {
  issue(out, 'malformed', layer, reason, needed, available);
}

/** Not a TCP segment for a benign reason; `value` is what decided (see DecodedPacket.skipValue). */
export function skipped(out: DecodedPacket, reason: SkipReason, value: number): void {
  out.status = DecodeStatus.Skipped;
  out.skip = reason;
  out.skipValue = value;
}
