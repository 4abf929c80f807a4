/**
 * IPv6 (RFC 8200) and its extension-header chain. Moves the cursor to the upper-layer header and
 * leaves its protocol number in `cursor.protocol` (ESP 50 and No Next Header 59 end the walk too:
 * nothing readable follows them).
 */

import type { DecodedPacket } from './decoded.js';
import { IpProtocol } from './constants.js';
import { IssueReason, type LayerCursor, hasBytes, malformed, readUint16, readUint32, skipped } from './layer.js';

const fixedHeaderLength = 40;
const fragmentHeaderLength = 8;

export function decodeIpv6(data: Uint8Array, cursor: LayerCursor, out: DecodedPacket): boolean {
  if (!hasBytes(cursor, fixedHeaderLength, out, 'ipv6', IssueReason.Ipv6HeaderCut)) return false;
  const start = cursor.offset;
  const version = data[start]! >> 4;
  if (version !== 6) {
    malformed(out, 'ipv6', IssueReason.Ipv6VersionNot6, 6, version);
    return false;
  }

  // Payload length counts everything after the fixed header, extension headers included. 0 means a
  // jumbogram (RFC 2675) or, far more often in captures, a segmentation-offload packet: use the
  // captured bytes.
  const payloadLength = readUint16(data, start + 4);
  cursor.lengthDeclared = payloadLength !== 0;
  if (cursor.lengthDeclared) {
    cursor.declaredEnd = start + fixedHeaderLength + payloadLength;
    if (cursor.declaredEnd < cursor.end) cursor.end = cursor.declaredEnd;
  }

  let next = data[start + 6]!;
  let position = start + fixedHeaderLength;
  for (;;) {
    let isExtension = false;
    switch (next) {
      case IpProtocol.HopByHop:
      case IpProtocol.Ipv6Routing:
      case IpProtocol.Ipv6Fragment:
      case IpProtocol.Ipv6DestinationOptions:
      case IpProtocol.Ah:
      case IpProtocol.Mobility:
      case IpProtocol.Hip:
      case IpProtocol.Shim6:
        isExtension = true;
        break;
    }
    if (!isExtension) break;

    cursor.offset = position;
    // Next header 1 byte, then a length byte (all but the fixed-size fragment header).
    const lengthKnownAfter = next === IpProtocol.Ipv6Fragment ? fragmentHeaderLength : 2;
    if (!fitsInPayload(cursor, lengthKnownAfter, out)) return false;
    if (!hasBytes(cursor, lengthKnownAfter, out, 'ipv6', IssueReason.Ipv6ExtensionHeaderCut)) return false;
    let headerLength = fragmentHeaderLength;
    if (next === IpProtocol.Ah) {
      // RFC 4302: AH length is in 4-byte units, minus 2.
      headerLength = (data[position + 1]! + 2) * 4;
    } else if (next !== IpProtocol.Ipv6Fragment) {
      // RFC 8200 §4.3 and friends: Hdr Ext Len in 8-byte units, not counting the first 8 bytes.
      headerLength = (data[position + 1]! + 1) * 8;
    }
    if (!fitsInPayload(cursor, headerLength, out)) return false;
    if (!hasBytes(cursor, headerLength, out, 'ipv6', IssueReason.Ipv6ExtensionHeaderCut)) return false;

    if (next === IpProtocol.Ipv6Fragment && readUint16(data, position + 2) >>> 3 !== 0) {
      // Fragment offset (13 bits, 8-byte units) not 0: a later fragment, no TCP header in it.
      skipped(out, 'fragment', data[position]!);
      return false;
    }
    next = data[position]!;
    position += headerLength;
  }

  out.ipVersion = 6;
  const source = out.sourceAddress;
  const destination = out.destinationAddress;
  for (let i = 0; i < 4; i++) {
    source[i] = readUint32(data, start + 8 + i * 4);
    destination[i] = readUint32(data, start + 24 + i * 4);
  }

  cursor.offset = position;
  cursor.protocol = next;
  return true;
}

/** An extension header that runs past the declared payload length is impossible: malformed. */
function fitsInPayload(cursor: LayerCursor, length: number, out: DecodedPacket): boolean {
  if (!cursor.lengthDeclared) return true;
  const room = cursor.declaredEnd - cursor.offset;
  if (room >= length) return true;
  malformed(out, 'ipv6', IssueReason.Ipv6ExtensionHeaderBeyondPayload, length, room > 0 ? room : 0);
  return false;
}
