/**
 * Build link, IP and TCP headers byte by byte for tests.
 *
 * Every builder returns a fresh Uint8Array laid out exactly as on the wire (network byte order
 * unless a field says otherwise). Defaults give a valid packet; every length, offset and flag can
 * be overridden to build damaged ones. IPv4 header checksums and TCP checksums are computed (so
 * tshark agrees), unless a length is overridden.
 *
 *   const frame = tcpFrame({ src: '10.0.0.1', dst: '10.0.0.2', sport: 40000, dport: 80,
 *                            seq: 1000, flags: 'SYN' });
 *   const v6 = ethernet({ payload: ipv6({ src: '::1', dst: '::1', payload: tcp({ ... }) }) });
 */

import { EtherType, IpProtocol, LinkType, TcpFlag } from '../../src/decode/constants.js';

// ─── small byte helpers ──────────────────────────────────────────────────────────────────────

/** Concatenate byte strings. */
export function concat(...parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/**
 * Parse annotated hex: hex digit pairs, whitespace ignored, `#` or `//` starts a comment to the end
 * of the line. `hex('45 00  # version/IHL, DSCP')` → [0x45, 0x00].
 */
export function hex(text: string): Uint8Array {
  const digits = text
    .split('\n')
    .map((line) => line.replace(/(#|\/\/).*$/, ''))
    .join('')
    .replace(/\s+/g, '');
  if (!/^([0-9a-fA-F]{2})*$/.test(digits)) throw new Error(`hex(): odd or non-hex input: ${digits}`);
  const out = new Uint8Array(digits.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(digits.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** Lowercase hex, bytes separated by a space (for readable assertion messages). */
export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
}

/** UTF-8 bytes of a string, or the bytes themselves. */
export function bytesOf(payload: Uint8Array | string | undefined): Uint8Array {
  if (payload === undefined) return new Uint8Array(0);
  return typeof payload === 'string' ? new TextEncoder().encode(payload) : payload;
}

function put16(out: Uint8Array, offset: number, value: number): void {
  out[offset] = (value >>> 8) & 0xff;
  out[offset + 1] = value & 0xff;
}

function put32(out: Uint8Array, offset: number, value: number): void {
  out[offset] = (value >>> 24) & 0xff;
  out[offset + 1] = (value >>> 16) & 0xff;
  out[offset + 2] = (value >>> 8) & 0xff;
  out[offset + 3] = value & 0xff;
}

/** RFC 1071 one's-complement sum of 16-bit words (not yet inverted). */
function onesComplementSum(bytes: Uint8Array, initial = 0): number {
  let sum = initial;
  for (let i = 0; i + 1 < bytes.length; i += 2) sum += (bytes[i]! << 8) | bytes[i + 1]!;
  if (bytes.length % 2 === 1) sum += bytes[bytes.length - 1]! << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum;
}

/** RFC 1071 Internet checksum of `bytes` (checksum field must be zero in the input). */
export function internetChecksum(bytes: Uint8Array, initial = 0): number {
  return ~onesComplementSum(bytes, initial) & 0xffff;
}

// ─── addresses ───────────────────────────────────────────────────────────────────────────────

/** '192.0.2.1' → 4 bytes. */
export function ipv4Address(text: string): Uint8Array {
  const parts = text.split('.');
  if (parts.length !== 4) throw new Error(`not an IPv4 address: ${text}`);
  return Uint8Array.from(parts, (p) => {
    const n = Number(p);
    if (!Number.isInteger(n) || n < 0 || n > 255) throw new Error(`not an IPv4 address: ${text}`);
    return n;
  });
}

/** '2001:db8::1', '::ffff:10.0.0.1' → 16 bytes. */
export function ipv6Address(text: string): Uint8Array {
  const out = new Uint8Array(16);
  let body = text;
  const groups: number[] = [];
  // A trailing dotted quad fills the last 32 bits.
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(body);
  let tail: number[] = [];
  if (dotted) {
    const v4 = ipv4Address(dotted[1]!);
    tail = [(v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!];
    body = body.slice(0, -dotted[1]!.length);
    if (body.endsWith(':') && !body.endsWith('::')) body = body.slice(0, -1);
  }
  const parse = (s: string): number[] =>
    s === ''
      ? []
      : s.split(':').map((g) => {
          if (!/^[0-9a-fA-F]{1,4}$/.test(g)) throw new Error(`not an IPv6 address: ${text}`);
          return parseInt(g, 16);
        });
  const doubleColon = body.indexOf('::');
  if (doubleColon >= 0) {
    const head = parse(body.slice(0, doubleColon));
    const rest = parse(body.slice(doubleColon + 2));
    const zeros = 8 - head.length - rest.length - tail.length;
    if (zeros < 1) throw new Error(`not an IPv6 address: ${text}`);
    groups.push(...head, ...new Array<number>(zeros).fill(0), ...rest, ...tail);
  } else {
    groups.push(...parse(body), ...tail);
  }
  if (groups.length !== 8) throw new Error(`not an IPv6 address: ${text}`);
  groups.forEach((g, i) => put16(out, i * 2, g));
  return out;
}

/** True when the text is an IPv6 address (contains ':'). */
export function isIpv6(text: string): boolean {
  return text.includes(':');
}

// ─── link layers ─────────────────────────────────────────────────────────────────────────────

export interface EthernetOptions {
  /** 6-byte MAC addresses; defaults 02:00:00:00:00:02 (destination) and 02:00:00:00:00:01 (source). */
  destination?: Uint8Array;
  source?: Uint8Array;
  /** VLAN ids, outermost first; each becomes a 4-byte tag (TPID + TCI). */
  vlans?: number[];
  /** Outer tag uses 802.1ad (0x88a8) instead of 802.1Q (0x8100); inner tags stay 0x8100. */
  qinq?: boolean;
  /** Override the TPID of the outer tag (e.g. 0x9100). */
  outerTagType?: number;
  /** 3-bit priority for every tag (PCP). */
  priority?: number;
  /** EtherType after the tags; default IPv4 or IPv6 from the payload's version nibble. */
  etherType?: number;
  /** Carry the payload in a PPPoE session (EtherType 0x8864) with this session id (RFC 2516). */
  pppoeSession?: number;
  payload: Uint8Array;
  /** Zero-pad the frame to this many bytes (the 60-byte Ethernet minimum without FCS). */
  padTo?: number;
}

/** Ethernet II frame (no FCS). */
export function ethernet(options: EthernetOptions): Uint8Array {
  const vlans = options.vlans ?? [];
  const header = new Uint8Array(14 + vlans.length * 4);
  header.set(options.destination ?? Uint8Array.of(2, 0, 0, 0, 0, 2), 0);
  header.set(options.source ?? Uint8Array.of(2, 0, 0, 0, 0, 1), 6);
  let offset = 12;
  vlans.forEach((id, index) => {
    let tpid: number = EtherType.Vlan;
    if (index === 0 && options.qinq) tpid = EtherType.QinQ;
    if (index === 0 && options.outerTagType !== undefined) tpid = options.outerTagType;
    put16(header, offset, tpid);
    put16(header, offset + 2, ((options.priority ?? 0) << 13) | (id & 0x0fff));
    offset += 4;
  });
  let payload = options.payload;
  if (options.pppoeSession !== undefined) {
    const pppoe = new Uint8Array(8);
    pppoe[0] = 0x11; // version 1, type 1
    pppoe[1] = 0x00; // code: session data
    put16(pppoe, 2, options.pppoeSession);
    put16(pppoe, 4, payload.length + 2); // PPP protocol field + payload
    put16(pppoe, 6, etherTypeFor(payload) === EtherType.Ipv6 ? 0x0057 : 0x0021);
    payload = concat(pppoe, payload);
  }
  put16(header, offset, options.etherType ?? (options.pppoeSession !== undefined ? EtherType.PppoeSession : etherTypeFor(options.payload)));
  const frame = concat(header, payload);
  if (options.padTo !== undefined && frame.length < options.padTo) {
    return concat(frame, new Uint8Array(options.padTo - frame.length));
  }
  return frame;
}

function etherTypeFor(payload: Uint8Array): number {
  return payload.length > 0 && payload[0]! >> 4 === 6 ? EtherType.Ipv6 : EtherType.Ipv4;
}

/** BSD address families seen in DLT_NULL / DLT_LOOP headers. */
export const AddressFamily = {
  Inet: 2,
  Inet6Linux: 10,
  Inet6NetBsd: 24,
  Inet6FreeBsd: 28,
  Inet6Darwin: 30,
} as const;

export interface NullLoopOptions {
  /** LinkType.Null (0, family in host byte order) or LinkType.Loop (108, network byte order). */
  linkType?: typeof LinkType.Null | typeof LinkType.Loop;
  /** Address family; default AF_INET (2) or Darwin's AF_INET6 (30) from the payload's version nibble. */
  family?: number;
  /** Byte order of the family for LinkType.Null; default 'little' (capture written on x86/ARM). */
  byteOrder?: 'little' | 'big';
  payload: Uint8Array;
}

/** BSD loopback frame: a 4-byte address family, then the IP packet. */
export function nullLoop(options: NullLoopOptions): Uint8Array {
  const family =
    options.family ??
    (etherTypeFor(options.payload) === EtherType.Ipv6 ? AddressFamily.Inet6Darwin : AddressFamily.Inet);
  const header = new Uint8Array(4);
  const littleEndian = (options.linkType ?? LinkType.Null) === LinkType.Null && (options.byteOrder ?? 'little') === 'little';
  if (littleEndian) {
    header[0] = family & 0xff;
    header[1] = (family >>> 8) & 0xff;
    header[2] = (family >>> 16) & 0xff;
    header[3] = (family >>> 24) & 0xff;
  } else {
    put32(header, 0, family);
  }
  return concat(header, options.payload);
}

export interface SllOptions {
  /** Protocol (EtherType); default from the payload's version nibble. */
  protocol?: number;
  /** Packet type: 0 to us, 4 outgoing. Default 0. */
  packetType?: number;
  /** ARPHRD_ type; default 1 (Ethernet). 772 is loopback. */
  hardwareType?: number;
  /** Link-layer address (up to 8 bytes). */
  address?: Uint8Array;
  /** SLL2 only: interface index. */
  interfaceIndex?: number;
  payload: Uint8Array;
}

/** Linux cooked capture v1 (LINKTYPE_LINUX_SLL, 113): 16-byte header, protocol at byte 14. */
export function sll(options: SllOptions): Uint8Array {
  const header = new Uint8Array(16);
  const address = options.address ?? Uint8Array.of(2, 0, 0, 0, 0, 1);
  put16(header, 0, options.packetType ?? 0);
  put16(header, 2, options.hardwareType ?? 1);
  put16(header, 4, address.length);
  header.set(address.subarray(0, 8), 6);
  put16(header, 14, options.protocol ?? etherTypeFor(options.payload));
  return concat(header, options.payload);
}

/** Linux cooked capture v2 (LINKTYPE_LINUX_SLL2, 276): 20-byte header, protocol at byte 0. */
export function sll2(options: SllOptions): Uint8Array {
  const header = new Uint8Array(20);
  const address = options.address ?? Uint8Array.of(2, 0, 0, 0, 0, 1);
  put16(header, 0, options.protocol ?? etherTypeFor(options.payload));
  // bytes 2-3 reserved (zero)
  put32(header, 4, options.interfaceIndex ?? 1);
  put16(header, 8, options.hardwareType ?? 1);
  header[10] = options.packetType ?? 0;
  header[11] = address.length;
  header.set(address.subarray(0, 8), 12);
  return concat(header, options.payload);
}

// ─── IPv4 / IPv6 ─────────────────────────────────────────────────────────────────────────────

export interface Ipv4Options {
  src: string;
  dst: string;
  /** IP protocol; default TCP (6). */
  protocol?: number;
  /** Option bytes; zero-padded to a multiple of 4 (IHL grows to match). */
  options?: Uint8Array;
  /** Override the total length field (0 = segmentation offload). Default: header + payload. */
  totalLength?: number;
  /** Override the IHL field (in 32-bit words). Default: (20 + options) / 4. */
  headerLength?: number;
  /** Override the version nibble. Default 4. */
  version?: number;
  /** Fragment offset in 8-byte units, as on the wire. */
  fragmentOffset?: number;
  moreFragments?: boolean;
  dontFragment?: boolean;
  identification?: number;
  ttl?: number;
  payload?: Uint8Array;
}

/**
 * IPv4 header (RFC 791) followed by the payload, with a correct header checksum. When the protocol
 * is TCP, the payload is a whole segment and the lengths are not overridden, the TCP checksum is
 * filled in too.
 */
export function ipv4(options: Ipv4Options): Uint8Array {
  const payload = options.payload ?? new Uint8Array(0);
  const optionBytes = options.options ?? new Uint8Array(0);
  const paddedOptions = (optionBytes.length + 3) & ~3;
  const header = new Uint8Array(20 + paddedOptions);
  header.set(optionBytes, 20);
  const ihl = options.headerLength ?? header.length / 4;
  header[0] = ((options.version ?? 4) << 4) | (ihl & 0x0f);
  header[1] = 0;
  put16(header, 2, options.totalLength ?? header.length + payload.length);
  put16(header, 4, options.identification ?? 0x1234);
  const flags = (options.dontFragment ? 0x4000 : 0) | (options.moreFragments ? 0x2000 : 0);
  put16(header, 6, flags | ((options.fragmentOffset ?? 0) & 0x1fff));
  header[8] = options.ttl ?? 64;
  const protocol = options.protocol ?? IpProtocol.Tcp;
  header[9] = protocol;
  const source = ipv4Address(options.src);
  const destination = ipv4Address(options.dst);
  header.set(source, 12);
  header.set(destination, 16);
  put16(header, 10, internetChecksum(header));

  let body = payload;
  if (
    protocol === IpProtocol.Tcp &&
    options.totalLength === undefined &&
    options.headerLength === undefined &&
    (options.fragmentOffset ?? 0) === 0 &&
    !options.moreFragments
  ) {
    body = withTcpChecksum(payload, concat(source, destination, Uint8Array.of(0, protocol, payload.length >>> 8, payload.length & 0xff)));
  }
  return concat(header, body);
}

/** One IPv6 extension header in a chain (RFC 8200 §4). */
export type Ipv6ExtensionHeader =
  | {
      /** Hop-by-hop 0, routing 43, destination options 60, mobility 135, HIP 139, shim6 140. */
      type: number;
      /** Bytes after the next-header and length fields; zero-padded to make the header a multiple of 8. */
      body?: Uint8Array;
    }
  | {
      type: typeof IpProtocol.Ipv6Fragment;
      /** In 8-byte units, as on the wire. */
      fragmentOffset?: number;
      moreFragments?: boolean;
      identification?: number;
    }
  | {
      type: typeof IpProtocol.Ah;
      /** ICV and the rest after SPI and sequence number; AH length counts 4-byte units (RFC 4302). */
      icv?: Uint8Array;
    };

/** Encode one extension header whose next-header field is `next`. */
export function ipv6ExtensionHeader(header: Ipv6ExtensionHeader, next: number): Uint8Array {
  if (header.type === IpProtocol.Ipv6Fragment && !('body' in header)) {
    const h = header as { fragmentOffset?: number; moreFragments?: boolean; identification?: number };
    const out = new Uint8Array(8);
    out[0] = next;
    put16(out, 2, ((h.fragmentOffset ?? 0) << 3) | (h.moreFragments ? 1 : 0));
    put32(out, 4, h.identification ?? 0xabcd);
    return out;
  }
  if (header.type === IpProtocol.Ah && !('body' in header)) {
    const icv = (header as { icv?: Uint8Array }).icv ?? new Uint8Array(4);
    const length = (12 + icv.length + 3) & ~3;
    const out = new Uint8Array(length);
    out[0] = next;
    out[1] = length / 4 - 2;
    put32(out, 4, 0x100); // SPI
    put32(out, 8, 1); // sequence number
    out.set(icv, 12);
    return out;
  }
  const body = 'body' in header && header.body ? header.body : new Uint8Array(0);
  const length = Math.max(8, (2 + body.length + 7) & ~7);
  const out = new Uint8Array(length);
  out[0] = next;
  out[1] = length / 8 - 1;
  out.set(body, 2);
  if (body.length === 0 && length === 8) {
    // A PadN option filling the 6 bytes, so the header is valid for tshark.
    out[2] = 1;
    out[3] = 4;
  }
  return out;
}

export interface Ipv6Options {
  src: string;
  dst: string;
  /** Upper-layer protocol after the extension headers; default TCP (6). */
  protocol?: number;
  extensionHeaders?: Ipv6ExtensionHeader[];
  /** Override the payload length field (0 = jumbogram / segmentation offload). */
  payloadLength?: number;
  /** Override the version nibble. Default 6. */
  version?: number;
  hopLimit?: number;
  flowLabel?: number;
  payload?: Uint8Array;
}

/** IPv6 header (RFC 8200), extension headers, payload. The TCP checksum is filled in as for ipv4(). */
export function ipv6(options: Ipv6Options): Uint8Array {
  const protocol = options.protocol ?? IpProtocol.Tcp;
  const extensions = options.extensionHeaders ?? [];
  const encoded: Uint8Array[] = [];
  for (let i = 0; i < extensions.length; i++) {
    const next = i + 1 < extensions.length ? extensions[i + 1]!.type : protocol;
    encoded.push(ipv6ExtensionHeader(extensions[i]!, next));
  }
  let payload = options.payload ?? new Uint8Array(0);
  const source = ipv6Address(options.src);
  const destination = ipv6Address(options.dst);
  const isFragment = extensions.some((e) => e.type === IpProtocol.Ipv6Fragment);
  if (protocol === IpProtocol.Tcp && options.payloadLength === undefined && !isFragment) {
    const pseudo = new Uint8Array(40);
    pseudo.set(source, 0);
    pseudo.set(destination, 16);
    put32(pseudo, 32, payload.length);
    pseudo[39] = protocol;
    payload = withTcpChecksum(payload, pseudo);
  }
  const chain = concat(...encoded, payload);
  const header = new Uint8Array(40);
  put32(header, 0, (((options.version ?? 6) & 0xf) << 28) | ((options.flowLabel ?? 0) & 0xfffff));
  put16(header, 4, options.payloadLength ?? chain.length);
  header[6] = extensions.length > 0 ? extensions[0]!.type : protocol;
  header[7] = options.hopLimit ?? 64;
  header.set(source, 8);
  header.set(destination, 24);
  return concat(header, chain);
}

/** Copy of `segment` with the TCP checksum (bytes 16-17) computed over the pseudo-header. */
function withTcpChecksum(segment: Uint8Array, pseudoHeader: Uint8Array): Uint8Array {
  if (segment.length < 20 || segment[16] !== 0 || segment[17] !== 0) return segment;
  const out = segment.slice();
  put16(out, 16, internetChecksum(out, onesComplementSum(pseudoHeader)));
  return out;
}

// ─── TCP ─────────────────────────────────────────────────────────────────────────────────────

/**
 * TCP flags as a number (TcpFlag bitmask) or names joined by commas ('SYN,ACK'), the form
 * formatTcpFlags() prints.
 */
export type FlagsInput = number | string;

export function tcpFlags(flags: FlagsInput): number {
  if (typeof flags === 'number') return flags;
  let mask = 0;
  for (const name of flags.split(/[,|+\s]+/)) {
    if (name === '') continue;
    const bit = (TcpFlag as Record<string, number>)[name.toUpperCase()];
    if (bit === undefined) throw new Error(`unknown TCP flag: ${name}`);
    mask |= bit;
  }
  return mask;
}

export interface TcpOptions {
  sourcePort: number;
  destinationPort: number;
  seq: number;
  ack?: number;
  flags: FlagsInput;
  window?: number;
  /** Option bytes (see tcpOption); zero-padded (EOL) to a multiple of 4, data offset grows to match. */
  options?: Uint8Array;
  /** Override the data offset (in 32-bit words). */
  dataOffset?: number;
  urgentPointer?: number;
  payload?: Uint8Array | string;
}

/** TCP header (RFC 9293 §3.1) and payload. Checksum is left 0; ipv4()/ipv6() fill it in. */
export function tcp(options: TcpOptions): Uint8Array {
  const optionBytes = options.options ?? new Uint8Array(0);
  const header = new Uint8Array(20 + ((optionBytes.length + 3) & ~3));
  put16(header, 0, options.sourcePort);
  put16(header, 2, options.destinationPort);
  put32(header, 4, options.seq >>> 0);
  put32(header, 8, (options.ack ?? 0) >>> 0);
  header[12] = (options.dataOffset ?? header.length / 4) << 4;
  header[13] = tcpFlags(options.flags) & 0xff;
  put16(header, 14, options.window ?? 65535);
  put16(header, 18, options.urgentPointer ?? 0);
  header.set(optionBytes, 20);
  return concat(header, bytesOf(options.payload));
}

/** TCP option encoders (RFC 9293 §3.2, RFC 7323, RFC 2018). Concatenate them for `options`. */
export const tcpOption = {
  endOfList: (): Uint8Array => Uint8Array.of(0),
  nop: (): Uint8Array => Uint8Array.of(1),
  mss: (size: number): Uint8Array => Uint8Array.of(2, 4, size >>> 8, size & 0xff),
  windowScale: (shift: number): Uint8Array => Uint8Array.of(3, 3, shift),
  sackPermitted: (): Uint8Array => Uint8Array.of(4, 2),
  timestamps: (value: number, echo: number): Uint8Array => {
    const out = new Uint8Array(10);
    out[0] = 8;
    out[1] = 10;
    put32(out, 2, value >>> 0);
    put32(out, 6, echo >>> 0);
    return out;
  },
};

// ─── whole frames ────────────────────────────────────────────────────────────────────────────

export interface TcpFrameOptions {
  /** Default LinkType.Ethernet. Any LinkType the decoder supports. */
  linkType?: number;
  /** IPv4 ('10.0.0.1') or IPv6 ('::1') addresses; both must be the same version. */
  src: string;
  dst: string;
  sport: number;
  dport: number;
  seq: number;
  ack?: number;
  flags: FlagsInput;
  payload?: Uint8Array | string;
  window?: number;
  options?: Uint8Array;
  /** Ethernet only: one 802.1Q tag with this id. */
  vlan?: number;
}

/** A complete frame carrying one TCP segment, for tracker and end-to-end tests. */
export function tcpFrame(options: TcpFrameOptions): Uint8Array {
  const segment = tcp({
    sourcePort: options.sport,
    destinationPort: options.dport,
    seq: options.seq,
    ack: options.ack ?? 0,
    flags: options.flags,
    ...(options.window !== undefined ? { window: options.window } : {}),
    ...(options.options !== undefined ? { options: options.options } : {}),
    ...(options.payload !== undefined ? { payload: options.payload } : {}),
  });
  const v6 = isIpv6(options.src);
  if (v6 !== isIpv6(options.dst)) throw new Error('tcpFrame(): src and dst must be the same IP version');
  const packet = v6
    ? ipv6({ src: options.src, dst: options.dst, payload: segment })
    : ipv4({ src: options.src, dst: options.dst, payload: segment });
  return linkFrame(options.linkType ?? LinkType.Ethernet, packet, options.vlan);
}

/** Wrap an IP packet in the framing of `linkType`. */
export function linkFrame(linkType: number, packet: Uint8Array, vlan?: number): Uint8Array {
  switch (linkType) {
    case LinkType.Ethernet:
      return ethernet({ payload: packet, ...(vlan !== undefined ? { vlans: [vlan] } : {}) });
    case LinkType.Null:
    case LinkType.Loop:
      return nullLoop({ linkType, payload: packet });
    case LinkType.LinuxSll:
      return sll({ payload: packet });
    case LinkType.LinuxSll2:
      return sll2({ payload: packet });
    case LinkType.Raw:
    case LinkType.RawHistoric12:
    case LinkType.RawHistoric14:
    case LinkType.Ipv4:
    case LinkType.Ipv6:
      return packet.slice();
    default:
      throw new Error(`linkFrame(): unsupported link type ${linkType}`);
  }
}
