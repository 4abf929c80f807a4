/**
 * TCP header (RFC 9293 §3.1): ports, sequence and acknowledgement numbers, data offset, flags,
 * window, then options. Fills the TCP fields of `out` and sets status Tcp.
 */

import type { DecodedPacket } from './decoded.js';
import { DecodeStatus } from './decoded.js';
import { IssueReason, type LayerCursor, bytesAvailable, malformed, readUint16, readUint32, truncated } from './layer.js';

const minimumHeaderLength = 20;
/** Ports 4, sequence 4, acknowledgement 4, data offset 1, flags 1: enough to track the connection. */
const bytesThroughFlags = 14;

export function decodeTcp(data: Uint8Array, cursor: LayerCursor, out: DecodedPacket): boolean {
  const start = cursor.offset;
  const available = bytesAvailable(cursor);
  // What the IP layer says the segment occupies (header + payload), whether captured or not.
  const segmentLength = cursor.declaredEnd - start;

  if (available < bytesThroughFlags) {
    if (cursor.lengthDeclared && segmentLength <= available) {
      // Everything IP declares is here, and it is too short to be a TCP header.
      malformed(out, 'tcp', IssueReason.TcpHeaderBeyondIpPayload, minimumHeaderLength, segmentLength);
    } else {
      truncated(out, 'tcp', IssueReason.TcpHeaderCut, minimumHeaderLength, available);
    }
    return false;
  }

  // Data offset: header length in 32-bit words, upper 4 bits of byte 12.
  const headerLength = (data[start + 12]! >> 4) * 4;
  if (headerLength < minimumHeaderLength) {
    malformed(out, 'tcp', IssueReason.TcpDataOffsetBelow5, minimumHeaderLength, headerLength);
    return false;
  }
  if (headerLength > segmentLength && cursor.lengthDeclared) {
    malformed(out, 'tcp', IssueReason.TcpHeaderBeyondIpPayload, headerLength, segmentLength);
    return false;
  }

  out.sourcePort = readUint16(data, start);
  out.destinationPort = readUint16(data, start + 2);
  out.sequence = readUint32(data, start + 4);
  out.acknowledgement = readUint32(data, start + 8);
  // Byte 13 holds CWR ECE URG ACK PSH RST SYN FIN; the AE/NS bit in byte 12 is not a flag we track.
  out.flags = data[start + 13]!;
  out.window = available >= 16 ? readUint16(data, start + 14) : 0;
  out.tcpHeaderLength = headerLength;
  // tshark's tcp.len: what IP and TCP declare, whether or not the capture kept it.
  // Without a declared length (offload), a header cut by snaplen leaves the payload unknown: 0.
  out.payloadLength = segmentLength > headerLength ? segmentLength - headerLength : 0;
  out.optionsOffset = start + minimumHeaderLength;

  if (available >= headerLength) {
    out.tcpHeaderCut = false;
    out.optionsLength = headerLength - minimumHeaderLength;
    out.payloadOffset = start + headerLength;
    out.capturedPayloadLength = available - headerLength;
  } else {
    // Cut by snaplen inside the header (usually the options): the numbers and flags are known.
    out.tcpHeaderCut = true;
    if (available > minimumHeaderLength) {
      out.optionsLength = available - minimumHeaderLength;
    } else {
      // Not even the fixed header: no option bytes, and no index past the captured end.
      out.optionsOffset = start + available;
      out.optionsLength = 0;
    }
    out.payloadOffset = start + available;
    out.capturedPayloadLength = 0;
  }
  out.status = DecodeStatus.Tcp;
  return true;
}
