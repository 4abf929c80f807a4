/** Hand-annotated packets shared by the decoder tests (checksums verified with tshark). */

import { hex } from '../helpers/packet-builder.js';

/** IPv4 + TCP SYN-ACK carrying "hi": 192.168.1.10:8087 → 172.16.0.1:40000. */
export const ipv4SynAckWithPayload = hex(`
  45 00 00 2a   # version 4, IHL 5 (20 bytes) | DSCP/ECN 0 | total length 42
  12 34 00 00   # identification 0x1234 | flags 0, fragment offset 0
  40 06 fa d6   # TTL 64 | protocol 6 (TCP) | header checksum
  c0 a8 01 0a   # source 192.168.1.10
  ac 10 00 01   # destination 172.16.0.1
  1f 97 9c 40   # TCP: source port 8087 | destination port 40000
  80 00 00 00   # sequence 0x80000000 (above 2^31: must stay unsigned)
  ff ff ff ff   # acknowledgement 0xffffffff
  50 12 10 00   # data offset 5 (20 bytes) | flags SYN,ACK | window 4096
  8d cb 00 00   # checksum | urgent pointer
  68 69         # payload "hi"
`);

/** IPv6 + TCP SYN with MSS and window-scale options: [::1]:33902 → [::1]:8087. */
export const ipv6SynWithOptions = hex(`
  60 00 00 00   # version 6 | traffic class 0 | flow label 0
  00 1c 06 40   # payload length 28 | next header 6 (TCP) | hop limit 64
  00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 01   # source ::1
  00 00 00 00  00 00 00 00  00 00 00 00  00 00 00 01   # destination ::1
  84 6e 1f 97   # TCP: source port 33902 | destination port 8087
  fe dc ba 98   # sequence 0xfedcba98
  00 00 00 00   # acknowledgement 0
  70 02 ff c4   # data offset 7 (28 bytes) | flags SYN | window 65476
  2c c6 00 00   # checksum | urgent pointer
  02 04 ff c4   # option MSS 65476
  01 03 03 07   # option NOP | option window scale 7
`);

/** The fields both packets decode to. */
export const ipv4SynAckFields = {
  ipVersion: 4,
  source: '192.168.1.10',
  destination: '172.16.0.1',
  sourcePort: 8087,
  destinationPort: 40000,
  sequence: 0x80000000,
  acknowledgement: 0xffffffff,
  flags: 0x12,
  window: 4096,
  tcpHeaderLength: 20,
  payloadLength: 2,
  capturedPayloadLength: 2,
  optionsLength: 0,
  tcpHeaderCut: false,
};

export const ipv6SynFields = {
  ipVersion: 6,
  source: '::1',
  destination: '::1',
  sourcePort: 33902,
  destinationPort: 8087,
  sequence: 0xfedcba98,
  acknowledgement: 0,
  flags: 0x02,
  window: 65476,
  tcpHeaderLength: 28,
  payloadLength: 0,
  capturedPayloadLength: 0,
  optionsLength: 8,
  tcpHeaderCut: false,
};
