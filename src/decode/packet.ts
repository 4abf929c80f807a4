/**
 * The one dispatcher: link layer → IPv4/IPv6 → TCP. Per-protocol decoders read their own header and
 * hand over a cursor; only this function chooses which decoder runs next.
 */

import { DecodeStatus, type DecodedPacket } from './decoded.js';
import { EtherType, IpProtocol, LinkType } from './constants.js';
import { createLayerCursor, skipped } from './layer.js';
import { decodeEthernet, decodeLoop, decodeNull, decodeRawIp, decodeSll, decodeSll2 } from './link.js';
import { decodeIpv4 } from './ipv4.js';
import { decodeIpv6 } from './ipv6.js';
import { decodeTcp } from './tcp.js';

/** Reused for every frame: decoding is synchronous, so one cursor per process is enough. */
const cursor = createLayerCursor();

/**
 * Decode one captured frame of the given libpcap link type into `out` (a reused object, see
 * createDecodedPacket) and return `out.status`. The frame is `data[start, start + length)`
 * (by default all of `data`); offsets in `out` (payloadOffset, optionsOffset) index `data`.
 * Outcomes:
 * - Tcp: the TCP fields are valid (possibly with `tcpHeaderCut` when snaplen cut the options);
 * - Skipped: not a TCP segment (`skip`, `skipValue`);
 * - Issue: truncated or malformed (`issueKind`, `issueLayer`, `issueReason`, needed/available).
 * Never throws, never allocates.
 */
export function decodePacket(
  data: Uint8Array,
  linkType: number,
  out: DecodedPacket,
  start = 0,
  length = data.length - start,
): DecodeStatus {
  out.vlanOuter = -1;
  out.vlanInner = -1;
  out.tcpHeaderCut = false;
  const end = start + length;
  cursor.offset = start;
  cursor.end = end;
  cursor.declaredEnd = end;
  cursor.lengthDeclared = false;
  cursor.protocol = 0;

  let linked: boolean;
  switch (linkType) {
    case LinkType.Ethernet:
      linked = decodeEthernet(data, cursor, out);
      break;
    case LinkType.LinuxSll:
      linked = decodeSll(data, cursor, out);
      break;
    case LinkType.LinuxSll2:
      linked = decodeSll2(data, cursor, out);
      break;
    case LinkType.Null:
      linked = decodeNull(data, cursor, out);
      break;
    case LinkType.Loop:
      linked = decodeLoop(data, cursor, out);
      break;
    case LinkType.Raw:
    case LinkType.RawHistoric12:
    case LinkType.RawHistoric14:
      linked = decodeRawIp(data, cursor, out);
      break;
    case LinkType.Ipv4:
      cursor.protocol = EtherType.Ipv4;
      linked = true;
      break;
    case LinkType.Ipv6:
      cursor.protocol = EtherType.Ipv6;
      linked = true;
      break;
    default:
      skipped(out, 'unknown-link-type', linkType);
      return out.status;
  }
  if (!linked) return out.status;

  let routed: boolean;
  if (cursor.protocol === EtherType.Ipv4) routed = decodeIpv4(data, cursor, out);
  else if (cursor.protocol === EtherType.Ipv6) routed = decodeIpv6(data, cursor, out);
  else {
    skipped(out, 'non-ip', cursor.protocol);
    return out.status;
  }
  if (!routed) return out.status;

  // Read again: the IP decoder has moved the cursor on to the transport protocol.
  const transport: number = cursor.protocol;
  if (transport !== IpProtocol.Tcp) {
    // UDP, ICMP (including errors that quote a TCP header: not a segment of the connection), ESP...
    skipped(out, 'non-tcp', transport);
    return out.status;
  }
  decodeTcp(data, cursor, out);
  return out.status;
}
