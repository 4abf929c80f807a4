import { describe, expect, test } from 'vitest';
import { IpProtocol, LinkType } from '../../src/decode/constants.js';
import { concat, ethernet, hex, ipv6, tcp, type Ipv6ExtensionHeader } from '../helpers/packet-builder.js';
import { decode, DecodeStatus, issueOf, skipOf } from './decode-helpers.js';
import { ipv6SynFields, ipv6SynWithOptions } from './fixtures.js';

const segment = tcp({ sourcePort: 443, destinationPort: 50000, seq: 10, ack: 20, flags: 'FIN,ACK', payload: 'bye' });
const addresses = { src: '2001:db8::1', dst: 'fe80::211:22ff:fe33:4455' };

describe('IPv6 header', () => {
  test('addresses are four big-endian words', () => {
    const d = decode(ipv6({ ...addresses, payload: segment }), LinkType.Raw);
    expect(d).toMatchObject({ status: DecodeStatus.Tcp, ipVersion: 6, source: '2001:db8::1', destination: 'fe80::211:22ff:fe33:4455' });
    expect(Array.from(d.sourceAddress)).toEqual([0x20010db8, 0, 0, 1]);
    expect(Array.from(d.destinationAddress)).toEqual([0xfe800000, 0, 0x021122ff, 0xfe334455]);
  });

  test('the annotated SYN decodes to the expected fields', () => {
    expect(decode(ipv6SynWithOptions, LinkType.Raw)).toMatchObject({ status: DecodeStatus.Tcp, ...ipv6SynFields, optionsOffset: 60, payloadOffset: 68 });
  });

  test('annotated extension-header chain: hop-by-hop, destination options, routing, fragment (first), AH, TCP', () => {
    const chain = hex(`
      3c 00 01 04 00 00 00 00   # hop-by-hop: next 60 (dest opts), len 0 (8 bytes), PadN 4
      2b 00 01 04 00 00 00 00   # destination options: next 43 (routing), len 0, PadN 4
      2c 01 04 00 00 00 00 00   # routing: next 44 (fragment), len 1 (16 bytes), type 4 (SRH), segments left 0
      00 00 00 00 00 00 00 00   #   (routing data continued)
      33 00 00 01 00 00 ab cd   # fragment: next 51 (AH), offset 0, M=1 (first fragment), id 0xabcd
      06 04 00 00               # AH: next 6 (TCP), payload len 4 → (4 + 2) × 4 = 24 bytes
      00 00 01 00 00 00 00 01   #   SPI 0x100, sequence 1
      00 00 00 00 00 00 00 00 00 00 00 00   # ICV (12 bytes)
    `);
    expect(chain.length).toBe(8 + 8 + 16 + 8 + 24);
    const fixed = hex(`
      60 00 00 00                 # version 6
      00 5b 00 40                 # payload length 91 = 64 + 27 | next header 0 (hop-by-hop) | hop limit 64
      20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01   # 2001:db8::1
      20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 02   # 2001:db8::2
    `);
    const packet = concat(fixed, chain, tcp({ sourcePort: 1, destinationPort: 2, seq: 3, flags: 'ACK', options: new Uint8Array(4), payload: 'abc' }));
    expect(packet.length).toBe(40 + 91);
    const d = decode(packet, LinkType.Raw);
    expect(d).toMatchObject({ status: DecodeStatus.Tcp, sourcePort: 1, destinationPort: 2, sequence: 3, tcpHeaderLength: 24, payloadLength: 3, capturedPayloadLength: 3 });
    expect(d.optionsOffset).toBe(40 + 64 + 20);
    expect(d.payloadOffset).toBe(40 + 64 + 24);
  });

  test.each<[string, Ipv6ExtensionHeader[]]>([
    ['hop-by-hop', [{ type: IpProtocol.HopByHop }]],
    ['routing with 24 bytes of data', [{ type: IpProtocol.Ipv6Routing, body: new Uint8Array(22) }]],
    ['destination options', [{ type: IpProtocol.Ipv6DestinationOptions }]],
    ['AH with a 16-byte ICV', [{ type: IpProtocol.Ah, icv: new Uint8Array(16) }]],
    ['mobility', [{ type: IpProtocol.Mobility, body: new Uint8Array(6) }]],
    ['HIP', [{ type: IpProtocol.Hip, body: new Uint8Array(38) }]],
    ['shim6', [{ type: IpProtocol.Shim6 }]],
    ['first fragment', [{ type: IpProtocol.Ipv6Fragment, moreFragments: true }]],
    ['atomic fragment (offset 0, M=0)', [{ type: IpProtocol.Ipv6Fragment }]],
    [
      'hop-by-hop, destination options, routing, destination options',
      [
        { type: IpProtocol.HopByHop },
        { type: IpProtocol.Ipv6DestinationOptions },
        { type: IpProtocol.Ipv6Routing, body: new Uint8Array(14) },
        { type: IpProtocol.Ipv6DestinationOptions },
      ],
    ],
  ])('TCP found after %s', (_name, extensionHeaders) => {
    const d = decode(ipv6({ ...addresses, extensionHeaders, payload: segment }), LinkType.Raw);
    expect(d).toMatchObject({ status: DecodeStatus.Tcp, sourcePort: 443, destinationPort: 50000, flags: 0x11, payloadLength: 3, capturedPayloadLength: 3 });
  });

  test('later fragment (offset ≠ 0) is skipped as fragment with its next header', () => {
    const frame = ipv6({ ...addresses, extensionHeaders: [{ type: IpProtocol.Ipv6Fragment, fragmentOffset: 185 }], payload: hex('00 01 02 03') });
    expect(skipOf(decode(frame, LinkType.Raw))).toEqual({ status: DecodeStatus.Skipped, skip: 'fragment', value: IpProtocol.Tcp });
  });

  test.each([
    ['UDP', IpProtocol.Udp],
    ['ICMPv6', IpProtocol.Icmpv6],
    ['ESP (the rest is encrypted)', IpProtocol.Esp],
    ['No Next Header', IpProtocol.NoNext],
    ['an unknown protocol', 253],
  ])('%s is skipped as non-tcp', (_name, protocol) => {
    const frame = ipv6({ ...addresses, protocol, payload: new Uint8Array(16) });
    expect(skipOf(decode(frame, LinkType.Raw))).toEqual({ status: DecodeStatus.Skipped, skip: 'non-tcp', value: protocol });
    const afterHopByHop = ipv6({ ...addresses, protocol, extensionHeaders: [{ type: IpProtocol.HopByHop }], payload: new Uint8Array(16) });
    expect(skipOf(decode(afterHopByHop, LinkType.Raw))).toEqual({ status: DecodeStatus.Skipped, skip: 'non-tcp', value: protocol });
  });

  test('payload length 0 (jumbogram or segmentation offload): the captured bytes are the packet', () => {
    const big = tcp({ sourcePort: 1, destinationPort: 2, seq: 5, flags: 'ACK', payload: new Uint8Array(70000) });
    const frame = ipv6({ ...addresses, payloadLength: 0, payload: big });
    expect(decode(frame, LinkType.Raw)).toMatchObject({ status: DecodeStatus.Tcp, payloadLength: 70000, capturedPayloadLength: 70000 });
  });

  test('Ethernet padding after the payload length is trimmed', () => {
    const frame = concat(ethernet({ payload: ipv6({ ...addresses, payload: segment }) }), new Uint8Array(7));
    expect(decode(frame, LinkType.Ethernet)).toMatchObject({ status: DecodeStatus.Tcp, payloadLength: 3, capturedPayloadLength: 3 });
  });

  test('snaplen cut inside the payload: declared payload kept, captured counted', () => {
    const frame = ipv6({ ...addresses, payload: segment }).subarray(0, 40 + 20 + 1);
    expect(decode(frame, LinkType.Raw)).toMatchObject({ status: DecodeStatus.Tcp, payloadLength: 3, capturedPayloadLength: 1 });
  });

  test('version nibble not 6: malformed', () => {
    const frame = ipv6({ ...addresses, version: 4, payload: segment });
    expect(issueOf(decode(frame, LinkType.Ipv6))).toEqual({
      status: DecodeStatus.Issue, kind: 'malformed', layer: 'ipv6', reason: 'ipv6-version-not-6', needed: 6, available: 4,
    });
  });

  test('fixed header cut: truncated with needed 40', () => {
    expect(issueOf(decode(ipv6SynWithOptions.subarray(0, 39), LinkType.Raw))).toEqual({
      status: DecodeStatus.Issue, kind: 'truncated', layer: 'ipv6', reason: 'ipv6-header-cut', needed: 40, available: 39,
    });
  });

  test('extension header cut by snaplen: truncated', () => {
    const frame = ipv6({ ...addresses, extensionHeaders: [{ type: IpProtocol.Ipv6Routing, body: new Uint8Array(22) }], payload: segment });
    expect(issueOf(decode(frame.subarray(0, 41), LinkType.Raw))).toEqual({
      status: DecodeStatus.Issue, kind: 'truncated', layer: 'ipv6', reason: 'ipv6-extension-header-cut', needed: 2, available: 1,
    });
    expect(issueOf(decode(frame.subarray(0, 50), LinkType.Raw))).toEqual({
      status: DecodeStatus.Issue, kind: 'truncated', layer: 'ipv6', reason: 'ipv6-extension-header-cut', needed: 24, available: 10,
    });
  });

  test('extension header longer than the payload length: malformed', () => {
    const frame = ipv6({ ...addresses, payloadLength: 16, extensionHeaders: [{ type: IpProtocol.Ipv6Routing, body: new Uint8Array(22) }], payload: segment });
    expect(issueOf(decode(frame, LinkType.Raw))).toEqual({
      status: DecodeStatus.Issue, kind: 'malformed', layer: 'ipv6', reason: 'ipv6-extension-header-beyond-payload', needed: 24, available: 16,
    });
    const empty = ipv6({ ...addresses, payloadLength: 1, extensionHeaders: [{ type: IpProtocol.HopByHop }], payload: segment });
    expect(issueOf(decode(empty, LinkType.Raw))).toMatchObject({ kind: 'malformed', reason: 'ipv6-extension-header-beyond-payload', needed: 2, available: 1 });
  });
});
