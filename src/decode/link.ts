/**
 * Link-layer decoders. Each one moves the cursor past its header and leaves the EtherType of the
 * network layer in `cursor.protocol` (BSD address families and raw-IP version nibbles are mapped to
 * EtherType.Ipv4 / EtherType.Ipv6), or marks the packet Skipped / Issue and returns false.
 */

import type { DecodedPacket } from './decoded.js';
import { EtherType, PppProtocol } from './constants.js';
import {
  IssueReason,
  type LayerCursor,
  bytesAvailable,
  hasBytes,
  malformed,
  readUint16,
  readUint32,
  readUint32LittleEndian,
  skipped,
  truncated,
} from './layer.js';

const ethernetHeaderLength = 14;
const vlanTagLength = 4;
/** PPPoE version/type 1, code 1, session id 2, length 2; then the 2-byte PPP protocol. */
const pppoeSessionHeaderLength = 8;
const bsdLoopbackHeaderLength = 4;
const sllHeaderLength = 16;
const sll2HeaderLength = 20;

/**
 * Ethernet II (destination 6, source 6, EtherType 2), then any 802.1Q / 802.1ad / 0x9100 tags and
 * a PPPoE session header.
 * No FCS is expected (libpcap strips it); trailing bytes such as padding to the 60-byte minimum are
 * left for the IP layer to trim by its total length.
 */
export function decodeEthernet(data: Uint8Array, cursor: LayerCursor, out: DecodedPacket): boolean {
  if (!hasBytes(cursor, ethernetHeaderLength, out, 'link', IssueReason.EthernetHeaderCut)) return false;
  cursor.protocol = readUint16(data, cursor.offset + 12);
  cursor.offset += ethernetHeaderLength;
  return decodeEtherTypeChain(data, cursor, out);
}

/** What may sit between an EtherType and IP: VLAN tags, then a PPPoE session header. */
function decodeEtherTypeChain(data: Uint8Array, cursor: LayerCursor, out: DecodedPacket): boolean {
  if (!decodeVlanTags(data, cursor, out)) return false;
  if (cursor.protocol === EtherType.PppoeSession) return decodePppoeSession(data, cursor, out);
  return true;
}

/**
 * PPPoE session stage (RFC 2516 §6), as on DSL links: after the PPPoE header, a PPP protocol of
 * 0x0021 is IPv4 and 0x0057 IPv6. Other PPP protocols (LCP, IPCP...) are Skipped 'non-ip' with the
 * PPP protocol as skipValue. The PPPoE length is not needed: the IP length bounds the packet.
 */
function decodePppoeSession(data: Uint8Array, cursor: LayerCursor, out: DecodedPacket): boolean {
  if (!hasBytes(cursor, pppoeSessionHeaderLength, out, 'link', IssueReason.PppoeHeaderCut)) return false;
  const pppProtocol = readUint16(data, cursor.offset + 6);
  if (pppProtocol === PppProtocol.Ipv4) cursor.protocol = EtherType.Ipv4;
  else if (pppProtocol === PppProtocol.Ipv6) cursor.protocol = EtherType.Ipv6;
  else {
    skipped(out, 'non-ip', pppProtocol);
    return false;
  }
  cursor.offset += pppoeSessionHeaderLength;
  return true;
}

function isVlanTagType(etherType: number): boolean {
  return etherType === EtherType.Vlan || etherType === EtherType.QinQ || etherType === EtherType.QinQLegacy;
}

/**
 * While `cursor.protocol` names a VLAN tag (0x8100 802.1Q, 0x88a8 802.1ad, 0x9100 pre-standard QinQ),
 * read the tag control information (PCP 3 bits, DEI 1, VLAN id 12) and the next EtherType. The first
 * two ids are recorded, outermost first; deeper tags are walked over.
 */
function decodeVlanTags(data: Uint8Array, cursor: LayerCursor, out: DecodedPacket): boolean {
  while (isVlanTagType(cursor.protocol)) {
    if (!hasBytes(cursor, vlanTagLength, out, 'vlan', IssueReason.VlanTagCut)) return false;
    const vlanId = readUint16(data, cursor.offset) & 0x0fff;
    if (out.vlanOuter < 0) out.vlanOuter = vlanId;
    else if (out.vlanInner < 0) out.vlanInner = vlanId;
    cursor.protocol = readUint16(data, cursor.offset + 2);
    cursor.offset += vlanTagLength;
  }
  return true;
}

/**
 * BSD address family → EtherType, or -1. AF_INET is 2 everywhere; AF_INET6 differs by OS:
 * 10 Linux, 24 NetBSD/OpenBSD/BSD/OS, 28 FreeBSD/DragonFly, 30 macOS/iOS.
 */
function etherTypeOfFamily(family: number): number {
  switch (family) {
    case 2:
      return EtherType.Ipv4;
    case 10:
    case 24:
    case 28:
    case 30:
      return EtherType.Ipv6;
    default:
      return -1;
  }
}

/**
 * LINKTYPE_NULL (0): a 4-byte address family in the byte order of the host that wrote the capture,
 * which the file does not tell us reliably, so both orders are tried (libpcap/Wireshark do the same).
 * An unknown family is Skipped 'non-ip' with the family as skipValue.
 */
export function decodeNull(data: Uint8Array, cursor: LayerCursor, out: DecodedPacket): boolean {
  if (!hasBytes(cursor, bsdLoopbackHeaderLength, out, 'link', IssueReason.NullHeaderCut)) return false;
  const littleEndian = readUint32LittleEndian(data, cursor.offset);
  const bigEndian = readUint32(data, cursor.offset);
  let etherType = etherTypeOfFamily(littleEndian);
  if (etherType < 0) etherType = etherTypeOfFamily(bigEndian);
  if (etherType < 0) {
    skipped(out, 'non-ip', littleEndian <= 0xffff ? littleEndian : bigEndian);
    return false;
  }
  cursor.protocol = etherType;
  cursor.offset += bsdLoopbackHeaderLength;
  return true;
}

/** LINKTYPE_LOOP (108, OpenBSD loopback): like NULL but the family is always in network byte order. */
export function decodeLoop(data: Uint8Array, cursor: LayerCursor, out: DecodedPacket): boolean {
  if (!hasBytes(cursor, bsdLoopbackHeaderLength, out, 'link', IssueReason.LoopHeaderCut)) return false;
  const family = readUint32(data, cursor.offset);
  const etherType = etherTypeOfFamily(family);
  if (etherType < 0) {
    skipped(out, 'non-ip', family);
    return false;
  }
  cursor.protocol = etherType;
  cursor.offset += bsdLoopbackHeaderLength;
  return true;
}

/**
 * LINKTYPE_RAW (101) and the historic 12 / 14: no link header; the IP version nibble says whether
 * the packet is IPv4 or IPv6. Any other version cannot be a raw IP packet: malformed.
 */
export function decodeRawIp(data: Uint8Array, cursor: LayerCursor, out: DecodedPacket): boolean {
  if (bytesAvailable(cursor) < 1) {
    truncated(out, 'link', IssueReason.RawIpEmpty, 1, 0);
    return false;
  }
  const version = data[cursor.offset]! >> 4;
  if (version === 4) cursor.protocol = EtherType.Ipv4;
  else if (version === 6) cursor.protocol = EtherType.Ipv6;
  else {
    malformed(out, 'link', IssueReason.RawIpVersionUnknown, 0, 0);
    return false;
  }
  return true;
}

/**
 * LINKTYPE_LINUX_SLL (113), Linux "cooked" capture v1: packet type 2, ARPHRD type 2, address length 2,
 * address 8, protocol 2 (an EtherType for the usual hardware types). libpcap re-inserts a stripped
 * VLAN tag as protocol 0x8100 followed by the tag, so tags are walked as for Ethernet.
 */
export function decodeSll(data: Uint8Array, cursor: LayerCursor, out: DecodedPacket): boolean {
  if (!hasBytes(cursor, sllHeaderLength, out, 'link', IssueReason.SllHeaderCut)) return false;
  cursor.protocol = readUint16(data, cursor.offset + 14);
  cursor.offset += sllHeaderLength;
  return decodeEtherTypeChain(data, cursor, out);
}

/**
 * LINKTYPE_LINUX_SLL2 (276), cooked capture v2: protocol 2, reserved 2, interface index 4, ARPHRD
 * type 2, packet type 1, address length 1, address 8.
 */
export function decodeSll2(data: Uint8Array, cursor: LayerCursor, out: DecodedPacket): boolean {
  if (!hasBytes(cursor, sll2HeaderLength, out, 'link', IssueReason.Sll2HeaderCut)) return false;
  cursor.protocol = readUint16(data, cursor.offset);
  cursor.offset += sll2HeaderLength;
  return decodeEtherTypeChain(data, cursor, out);
}
