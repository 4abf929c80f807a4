/** Wire constants, declared once. */

/** libpcap LINKTYPE_* values (https://www.tcpdump.org/linktypes.html). */
export const LinkType = {
  Null: 0,
  Ethernet: 1,
  /** Historic raw-IP values used by some BSDs (same framing as 101). */
  RawHistoric12: 12,
  RawHistoric14: 14,
  Raw: 101,
  Loop: 108,
  LinuxSll: 113,
  Ipv4: 228,
  Ipv6: 229,
  LinuxSll2: 276,
} as const;

export const EtherType = {
  Ipv4: 0x0800,
  Arp: 0x0806,
  Vlan: 0x8100,
  Ipv6: 0x86dd,
  QinQ: 0x88a8,
  /** Pre-standard QinQ tag still seen in the wild. */
  QinQLegacy: 0x9100,
  /** PPPoE session stage (RFC 2516): a 6-byte PPPoE header, then a PPP protocol field. */
  PppoeSession: 0x8864,
} as const;

/** PPP protocol numbers (RFC 1661, RFC 5072) that carry IP. */
export const PppProtocol = {
  Ipv4: 0x0021,
  Ipv6: 0x0057,
} as const;

export const IpProtocol = {
  HopByHop: 0,
  Icmp: 1,
  Tcp: 6,
  Udp: 17,
  Ipv6Routing: 43,
  Ipv6Fragment: 44,
  Esp: 50,
  Ah: 51,
  Icmpv6: 58,
  NoNext: 59,
  Ipv6DestinationOptions: 60,
  Mobility: 135,
  Hip: 139,
  Shim6: 140,
} as const;

/** TCP header flag bits (RFC 9293 §3.1, RFC 3168 for ECE/CWR). */
export const TcpFlag = {
  FIN: 0x01,
  SYN: 0x02,
  RST: 0x04,
  PSH: 0x08,
  ACK: 0x10,
  URG: 0x20,
  ECE: 0x40,
  CWR: 0x80,
} as const;
