/**
 * IPv4 (RFC 791). Moves the cursor to the transport header and leaves the IP protocol in
 * `cursor.protocol`; narrows the cursor to the bytes the total length declares.
 */

import type { DecodedPacket } from './decoded.js';
import { IssueReason, type LayerCursor, hasBytes, malformed, readUint16, readUint32, skipped } from './layer.js';

const minimumHeaderLength = 20;

export function decodeIpv4(data: Uint8Array, cursor: LayerCursor, out: DecodedPacket): boolean {
  if (!hasBytes(cursor, minimumHeaderLength, out, 'ipv4', IssueReason.Ipv4HeaderCut)) return false;
  const start = cursor.offset;
  const versionAndHeaderLength = data[start]!;
  if (versionAndHeaderLength >> 4 !== 4) {
    malformed(out, 'ipv4', IssueReason.Ipv4VersionNot4, 4, versionAndHeaderLength >> 4);
    return false;
  }
  // IHL counts 32-bit words; 5 is the minimum (no options), 15 the maximum (40 option bytes).
  const headerLength = (versionAndHeaderLength & 0x0f) * 4;
  if (headerLength < minimumHeaderLength) {
    malformed(out, 'ipv4', IssueReason.Ipv4HeaderLengthBelow20, minimumHeaderLength, headerLength);
    return false;
  }

  // Total length decides where the packet ends: bytes after it are link-layer padding (Ethernet
  // pads to 60 bytes), never TCP payload. Total length 0 is what a sender's capture shows for a
  // segment handed to the NIC for segmentation offload (TSO/GSO): the captured bytes are the packet.
  const totalLength = readUint16(data, start + 2);
  let declaredEnd = cursor.end;
  const lengthDeclared = totalLength !== 0;
  if (lengthDeclared) {
    if (totalLength < headerLength) {
      malformed(out, 'ipv4', IssueReason.Ipv4TotalLengthBelowHeader, headerLength, totalLength);
      return false;
    }
    declaredEnd = start + totalLength;
  }

  if (!hasBytes(cursor, headerLength, out, 'ipv4', IssueReason.Ipv4OptionsCut)) return false;

  const protocol = data[start + 9]!;
  // Flags (3 bits: reserved, DF, MF) and fragment offset (13 bits, 8-byte units). Only the first
  // fragment (offset 0, even with MF set) can hold the TCP header; later ones are skipped.
  if ((readUint16(data, start + 6) & 0x1fff) !== 0) {
    skipped(out, 'fragment', protocol);
    return false;
  }

  out.ipVersion = 4;
  const source = out.sourceAddress;
  source[0] = readUint32(data, start + 12);
  source[1] = 0;
  source[2] = 0;
  source[3] = 0;
  const destination = out.destinationAddress;
  destination[0] = readUint32(data, start + 16);
  destination[1] = 0;
  destination[2] = 0;
  destination[3] = 0;

  cursor.offset = start + headerLength;
  cursor.declaredEnd = declaredEnd;
  cursor.lengthDeclared = lengthDeclared;
  if (declaredEnd < cursor.end) cursor.end = declaredEnd;
  cursor.protocol = protocol;
  return true;
}
