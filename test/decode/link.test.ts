import { describe, expect, test } from 'vitest';
import { LinkType, EtherType } from '../../src/decode/constants.js';
import { concat, ethernet, hex, nullLoop, sll, sll2 } from '../helpers/packet-builder.js';
import { decode, DecodeStatus, issueOf, skipOf } from './decode-helpers.js';
import { ipv4SynAckFields, ipv4SynAckWithPayload, ipv6SynFields, ipv6SynWithOptions } from './fixtures.js';

const ethernetHeader = (etherType: string): Uint8Array =>
  hex(`
    02 00 00 00 00 02   # destination MAC
    02 00 00 00 00 01   # source MAC
    ${etherType}        # EtherType
  `);

describe('Ethernet (LINKTYPE_ETHERNET 1)', () => {
  test('IPv4 after EtherType 0x0800; header is 14 bytes', () => {
    const frame = concat(ethernetHeader('08 00'), ipv4SynAckWithPayload);
    const d = decode(frame, LinkType.Ethernet);
    expect(d).toMatchObject({ status: DecodeStatus.Tcp, vlanOuter: -1, vlanInner: -1, ...ipv4SynAckFields });
    expect(d.payloadOffset).toBe(14 + 20 + 20);
    expect(d.optionsOffset).toBe(14 + 20 + 20);
    expect(frame).toEqual(ethernet({ payload: ipv4SynAckWithPayload }));
  });

  test('IPv6 after EtherType 0x86dd', () => {
    const frame = concat(ethernetHeader('86 dd'), ipv6SynWithOptions);
    const d = decode(frame, LinkType.Ethernet);
    expect(d).toMatchObject({ status: DecodeStatus.Tcp, ...ipv6SynFields });
    expect(d.optionsOffset).toBe(14 + 40 + 20);
    expect(frame).toEqual(ethernet({ payload: ipv6SynWithOptions }));
  });

  test('802.1Q tag: VLAN id recorded as outer, priority bits ignored', () => {
    const frame = concat(
      hex(`
        02 00 00 00 00 02  02 00 00 00 00 01   # MACs
        81 00  a0 64       # TPID 802.1Q | TCI: PCP 5, DEI 0, VLAN 100
        08 00              # EtherType IPv4
      `),
      ipv4SynAckWithPayload,
    );
    const d = decode(frame, LinkType.Ethernet);
    expect(d).toMatchObject({ status: DecodeStatus.Tcp, vlanOuter: 100, vlanInner: -1, ...ipv4SynAckFields });
    expect(d.payloadOffset).toBe(18 + 40);
    expect(frame).toEqual(ethernet({ vlans: [100], priority: 5, payload: ipv4SynAckWithPayload }));
  });

  test('802.1ad QinQ: outer service tag 0x88a8 and inner customer tag 0x8100', () => {
    const frame = concat(
      hex(`
        02 00 00 00 00 02  02 00 00 00 00 01   # MACs
        88 a8  0f ff       # TPID 802.1ad | VLAN 4095
        81 00  00 07       # TPID 802.1Q  | VLAN 7
        86 dd              # EtherType IPv6
      `),
      ipv6SynWithOptions,
    );
    const d = decode(frame, LinkType.Ethernet);
    expect(d).toMatchObject({ status: DecodeStatus.Tcp, vlanOuter: 4095, vlanInner: 7, ...ipv6SynFields });
    expect(frame).toEqual(ethernet({ vlans: [4095, 7], qinq: true, payload: ipv6SynWithOptions }));
  });

  test('pre-standard QinQ TPID 0x9100', () => {
    const frame = ethernet({ vlans: [30, 40], outerTagType: EtherType.QinQLegacy, payload: ipv4SynAckWithPayload });
    expect(Array.from(frame.subarray(12, 14))).toEqual([0x91, 0x00]);
    expect(decode(frame, LinkType.Ethernet)).toMatchObject({ status: DecodeStatus.Tcp, vlanOuter: 30, vlanInner: 40 });
  });

  test('three tags: the first two ids are recorded, the third is walked over', () => {
    const frame = ethernet({ vlans: [1, 2, 3], qinq: true, payload: ipv4SynAckWithPayload });
    expect(decode(frame, LinkType.Ethernet)).toMatchObject({ status: DecodeStatus.Tcp, vlanOuter: 1, vlanInner: 2, ...ipv4SynAckFields });
  });

  test('VLAN ids are reset between frames (the output object is reused)', () => {
    decode(ethernet({ vlans: [9, 10], payload: ipv4SynAckWithPayload }), LinkType.Ethernet);
    expect(decode(ethernet({ payload: ipv4SynAckWithPayload }), LinkType.Ethernet)).toMatchObject({ vlanOuter: -1, vlanInner: -1 });
  });

  test('PPPoE session (0x8864) inside QinQ, as on DSL links: PPP protocol 0x0021 is IPv4', () => {
    const frame = concat(
      hex(`
        02 00 00 00 00 02  02 00 00 00 00 01   # MACs
        81 00  03 ab       # 802.1Q VLAN 939
        81 00  02 e8       # 802.1Q VLAN 744
        88 64              # EtherType PPPoE session
        11 00  dd e5       # PPPoE version 1, type 1 | code 0 (session data) | session id 0xdde5
        00 2c              # PPPoE length 44 (PPP protocol + IP packet)
        00 21              # PPP protocol IPv4
      `),
      ipv4SynAckWithPayload,
    );
    expect(decode(frame, LinkType.Ethernet)).toMatchObject({ status: DecodeStatus.Tcp, vlanOuter: 939, vlanInner: 744, ...ipv4SynAckFields });
    expect(frame).toEqual(ethernet({ vlans: [939, 744], pppoeSession: 0xdde5, payload: ipv4SynAckWithPayload }));
  });

  test('PPPoE with PPP protocol 0x0057 is IPv6', () => {
    const frame = ethernet({ pppoeSession: 1, payload: ipv6SynWithOptions });
    expect(decode(frame, LinkType.Ethernet)).toMatchObject({ status: DecodeStatus.Tcp, ...ipv6SynFields, optionsOffset: 14 + 8 + 40 + 20 });
  });

  test('PPPoE carrying LCP (0xc021) is skipped as non-ip with the PPP protocol', () => {
    const frame = concat(ethernet({ etherType: EtherType.PppoeSession, payload: hex('11 00 00 01 00 06 c0 21') }), hex('01 01 00 04'));
    expect(skipOf(decode(frame, LinkType.Ethernet))).toEqual({ status: DecodeStatus.Skipped, skip: 'non-ip', value: 0xc021 });
  });

  test('PPPoE header cut: truncated at the link layer', () => {
    const frame = ethernet({ pppoeSession: 1, payload: ipv4SynAckWithPayload }).subarray(0, 14 + 7);
    expect(issueOf(decode(frame, LinkType.Ethernet))).toEqual({
      status: DecodeStatus.Issue, kind: 'truncated', layer: 'link', reason: 'pppoe-header-cut', needed: 8, available: 7,
    });
  });

  test('ARP is skipped as non-ip with the EtherType', () => {
    const frame = ethernet({ etherType: EtherType.Arp, payload: new Uint8Array(28) });
    expect(skipOf(decode(frame, LinkType.Ethernet))).toEqual({ status: DecodeStatus.Skipped, skip: 'non-ip', value: 0x0806 });
  });

  test('non-IP EtherType inside a VLAN tag is skipped as non-ip', () => {
    const frame = ethernet({ vlans: [5], etherType: 0x88cc, payload: new Uint8Array(40) });
    expect(decode(frame, LinkType.Ethernet)).toMatchObject({ status: DecodeStatus.Skipped, skip: 'non-ip', skipValue: 0x88cc, vlanOuter: 5 });
  });

  test('IEEE 802.3 length field (< 0x0600) is skipped as non-ip', () => {
    const frame = ethernet({ etherType: 0x0026, payload: new Uint8Array(38) });
    expect(skipOf(decode(frame, LinkType.Ethernet))).toEqual({ status: DecodeStatus.Skipped, skip: 'non-ip', value: 0x26 });
  });

  test('frame shorter than 14 bytes: truncated at the link layer', () => {
    expect(issueOf(decode(new Uint8Array(13), LinkType.Ethernet))).toEqual({
      status: DecodeStatus.Issue, kind: 'truncated', layer: 'link', reason: 'ethernet-header-cut', needed: 14, available: 13,
    });
  });

  test('frame cut inside a VLAN tag: truncated at the vlan layer', () => {
    const frame = ethernet({ vlans: [100, 200], payload: ipv4SynAckWithPayload }).subarray(0, 20);
    expect(issueOf(decode(frame, LinkType.Ethernet))).toEqual({
      status: DecodeStatus.Issue, kind: 'truncated', layer: 'vlan', reason: 'vlan-tag-cut', needed: 4, available: 2,
    });
  });
});

describe('BSD loopback (LINKTYPE_NULL 0, LINKTYPE_LOOP 108)', () => {
  test('NULL, AF_INET in little-endian host order', () => {
    const frame = concat(hex('02 00 00 00  # family AF_INET (2), little-endian'), ipv4SynAckWithPayload);
    const d = decode(frame, LinkType.Null);
    expect(d).toMatchObject({ status: DecodeStatus.Tcp, ...ipv4SynAckFields });
    expect(d.payloadOffset).toBe(4 + 40);
    expect(frame).toEqual(nullLoop({ payload: ipv4SynAckWithPayload }));
  });

  test('NULL, AF_INET in big-endian host order (capture written on a big-endian machine)', () => {
    const frame = concat(hex('00 00 00 02  # family AF_INET (2), big-endian'), ipv4SynAckWithPayload);
    expect(decode(frame, LinkType.Null)).toMatchObject({ status: DecodeStatus.Tcp, ...ipv4SynAckFields });
    expect(frame).toEqual(nullLoop({ byteOrder: 'big', payload: ipv4SynAckWithPayload }));
  });

  test.each([
    ['Linux', 10],
    ['NetBSD/OpenBSD', 24],
    ['FreeBSD', 28],
    ['macOS', 30],
  ])('NULL, AF_INET6 of %s (%i), both byte orders', (_os, family) => {
    for (const byteOrder of ['little', 'big'] as const) {
      const frame = nullLoop({ family, byteOrder, payload: ipv6SynWithOptions });
      expect(decode(frame, LinkType.Null)).toMatchObject({ status: DecodeStatus.Tcp, ...ipv6SynFields });
    }
  });

  test('NULL, unknown family is skipped as non-ip with the family', () => {
    const frame = concat(hex('07 00 00 00  # family 7'), new Uint8Array(40));
    expect(skipOf(decode(frame, LinkType.Null))).toEqual({ status: DecodeStatus.Skipped, skip: 'non-ip', value: 7 });
    const bigEndian = concat(hex('00 00 00 07'), new Uint8Array(40));
    expect(skipOf(decode(bigEndian, LinkType.Null))).toEqual({ status: DecodeStatus.Skipped, skip: 'non-ip', value: 7 });
  });

  test('LOOP, family in network byte order', () => {
    const frame = concat(hex('00 00 00 18  # family 24 (AF_INET6 on OpenBSD), big-endian'), ipv6SynWithOptions);
    expect(decode(frame, LinkType.Loop)).toMatchObject({ status: DecodeStatus.Tcp, ...ipv6SynFields });
    expect(frame).toEqual(nullLoop({ linkType: LinkType.Loop, family: 24, payload: ipv6SynWithOptions }));
    const v4 = concat(hex('00 00 00 02'), ipv4SynAckWithPayload);
    expect(decode(v4, LinkType.Loop)).toMatchObject({ status: DecodeStatus.Tcp, ...ipv4SynAckFields });
  });

  test('LOOP does not accept little-endian families', () => {
    const frame = concat(hex('02 00 00 00'), ipv4SynAckWithPayload);
    expect(skipOf(decode(frame, LinkType.Loop))).toEqual({ status: DecodeStatus.Skipped, skip: 'non-ip', value: 0x02000000 });
  });

  test('header cut', () => {
    expect(issueOf(decode(hex('02 00 00'), LinkType.Null))).toMatchObject({ kind: 'truncated', layer: 'link', reason: 'null-header-cut', needed: 4, available: 3 });
    expect(issueOf(decode(hex('00'), LinkType.Loop))).toMatchObject({ kind: 'truncated', layer: 'link', reason: 'loop-header-cut', needed: 4, available: 1 });
  });
});

describe('raw IP (LINKTYPE_RAW 101, 12, 14; LINKTYPE_IPV4 228, LINKTYPE_IPV6 229)', () => {
  test.each([LinkType.Raw, LinkType.RawHistoric12, LinkType.RawHistoric14])('link type %i: the version nibble decides', (linkType) => {
    expect(decode(ipv4SynAckWithPayload, linkType)).toMatchObject({ status: DecodeStatus.Tcp, ...ipv4SynAckFields, payloadOffset: 40 });
    expect(decode(ipv6SynWithOptions, linkType)).toMatchObject({ status: DecodeStatus.Tcp, ...ipv6SynFields, payloadOffset: 68 });
  });

  test('raw: a version other than 4 or 6 is malformed', () => {
    const frame = ipv4SynAckWithPayload.slice();
    frame[0] = 0x55;
    expect(issueOf(decode(frame, LinkType.Raw))).toMatchObject({ status: DecodeStatus.Issue, kind: 'malformed', layer: 'link', reason: 'raw-ip-version-unknown' });
  });

  test('raw: empty frame is truncated', () => {
    expect(issueOf(decode(new Uint8Array(0), LinkType.Raw))).toEqual({
      status: DecodeStatus.Issue, kind: 'truncated', layer: 'link', reason: 'raw-ip-empty', needed: 1, available: 0,
    });
  });

  test('228 is IPv4 and 229 is IPv6 whatever the nibble says', () => {
    expect(decode(ipv4SynAckWithPayload, LinkType.Ipv4)).toMatchObject({ status: DecodeStatus.Tcp, ...ipv4SynAckFields });
    expect(decode(ipv6SynWithOptions, LinkType.Ipv6)).toMatchObject({ status: DecodeStatus.Tcp, ...ipv6SynFields });
    expect(issueOf(decode(ipv6SynWithOptions, LinkType.Ipv4))).toMatchObject({ kind: 'malformed', layer: 'ipv4', reason: 'ipv4-version-not-4' });
    expect(issueOf(decode(ipv4SynAckWithPayload, LinkType.Ipv6))).toMatchObject({ kind: 'malformed', layer: 'ipv6', reason: 'ipv6-version-not-6' });
  });
});

describe('Linux cooked capture (LINKTYPE_LINUX_SLL 113, LINKTYPE_LINUX_SLL2 276)', () => {
  test('SLL: 16-byte header, protocol at byte 14', () => {
    const frame = concat(
      hex(`
        00 00                     # packet type 0 (to us)
        03 04                     # ARPHRD_LOOPBACK (772)
        00 06                     # address length 6
        00 00 00 00 00 00 00 00   # address (8 bytes, zero-padded)
        08 00                     # protocol IPv4
      `),
      ipv4SynAckWithPayload,
    );
    const d = decode(frame, LinkType.LinuxSll);
    expect(d).toMatchObject({ status: DecodeStatus.Tcp, ...ipv4SynAckFields });
    expect(d.payloadOffset).toBe(16 + 40);
    expect(frame).toEqual(sll({ hardwareType: 772, address: new Uint8Array(6), payload: ipv4SynAckWithPayload }));
  });

  test('SLL2: 20-byte header, protocol at byte 0', () => {
    const frame = concat(
      hex(`
        86 dd         # protocol IPv6
        00 00         # reserved
        00 00 00 01   # interface index 1
        03 04         # ARPHRD_LOOPBACK (772)
        04            # packet type 4 (outgoing)
        06            # address length 6
        00 00 00 00 00 00 00 00   # address
      `),
      ipv6SynWithOptions,
    );
    const d = decode(frame, LinkType.LinuxSll2);
    expect(d).toMatchObject({ status: DecodeStatus.Tcp, ...ipv6SynFields });
    expect(d.optionsOffset).toBe(20 + 40 + 20);
    expect(frame).toEqual(sll2({ hardwareType: 772, packetType: 4, address: new Uint8Array(6), payload: ipv6SynWithOptions }));
  });

  test('SLL with a VLAN tag re-inserted by libpcap (protocol 0x8100, TCI, protocol)', () => {
    const frame = concat(
      sll({ protocol: EtherType.Vlan, payload: new Uint8Array(0) }),
      hex('00 2a  08 00   # TCI VLAN 42 | protocol IPv4'),
      ipv4SynAckWithPayload,
    );
    expect(decode(frame, LinkType.LinuxSll)).toMatchObject({ status: DecodeStatus.Tcp, vlanOuter: 42, ...ipv4SynAckFields });
  });

  test('SLL non-IP protocol (802.2 LLC, 0x0004) is skipped as non-ip', () => {
    expect(skipOf(decode(sll({ protocol: 4, payload: new Uint8Array(20) }), LinkType.LinuxSll))).toEqual({
      status: DecodeStatus.Skipped, skip: 'non-ip', value: 4,
    });
  });

  test('headers cut', () => {
    expect(issueOf(decode(new Uint8Array(15), LinkType.LinuxSll))).toMatchObject({ kind: 'truncated', layer: 'link', reason: 'sll-header-cut', needed: 16, available: 15 });
    expect(issueOf(decode(new Uint8Array(19), LinkType.LinuxSll2))).toMatchObject({ kind: 'truncated', layer: 'link', reason: 'sll2-header-cut', needed: 20, available: 19 });
  });
});

describe('unknown link types', () => {
  test.each([2, 105, 127, 147, 0xffffffff, -1])('link type %i is skipped with its value', (linkType) => {
    expect(skipOf(decode(ipv4SynAckWithPayload, linkType))).toEqual({ status: DecodeStatus.Skipped, skip: 'unknown-link-type', value: linkType });
  });

  test('SLL2 is not mistaken for a one-byte link type (276 & 0xff = 20)', () => {
    expect(skipOf(decode(ipv4SynAckWithPayload, 20))).toEqual({ status: DecodeStatus.Skipped, skip: 'unknown-link-type', value: 20 });
  });
});
