import { describe, expect, test } from 'vitest';
import { LinkType, TcpFlag } from '../../src/decode/constants.js';
import { concat, ethernet, hex, ipv4, ipv6, sll2, tcp, tcpFrame, tcpOption } from '../helpers/packet-builder.js';
import { decode, DecodeStatus, issueOf } from './decode-helpers.js';

const ipHeader = (tcpLength: number): Uint8Array =>
  hex(`
    45 00 00 ${(20 + tcpLength).toString(16).padStart(2, '0')}   # IPv4, IHL 5, total length
    00 00 00 00  40 06 00 00   # id, flags/offset, TTL, TCP, checksum (unchecked)
    7f 00 00 01  7f 00 00 01   # 127.0.0.1 → 127.0.0.1
  `);

describe('TCP header', () => {
  test('annotated header: every field', () => {
    const segment = hex(`
      d4 31 1f 97   # source port 54321 | destination port 8087
      ff ff ff fe   # sequence 4294967294
      7f ff ff ff   # acknowledgement 2147483647
      80 19 01 f5   # data offset 8 (32 bytes) | flags FIN,PSH,ACK | window 501
      00 00 00 00   # checksum | urgent pointer
      01 01 08 0a   # NOP NOP timestamps(
      00 00 00 01   #   value 1
      00 00 00 02   #   echo 2 )
      2e            # payload "."
    `);
    const d = decode(concat(ipHeader(segment.length), segment), LinkType.Raw);
    expect(d).toMatchObject({
      status: DecodeStatus.Tcp,
      source: '127.0.0.1',
      destination: '127.0.0.1',
      sourcePort: 54321,
      destinationPort: 8087,
      sequence: 4294967294,
      acknowledgement: 2147483647,
      flags: TcpFlag.FIN | TcpFlag.PSH | TcpFlag.ACK,
      window: 501,
      tcpHeaderLength: 32,
      optionsOffset: 40,
      optionsLength: 12,
      payloadOffset: 52,
      payloadLength: 1,
      capturedPayloadLength: 1,
      tcpHeaderCut: false,
    });
    expect(segment.subarray(0, 32)).toEqual(
      tcp({ sourcePort: 54321, destinationPort: 8087, seq: 4294967294, ack: 2147483647, flags: 'FIN,PSH,ACK', window: 501, options: concat(tcpOption.nop(), tcpOption.nop(), tcpOption.timestamps(1, 2)) }),
    );
  });

  test('sequence and acknowledgement numbers are never negative', () => {
    const d = decode(tcpFrame({ src: '1.1.1.1', dst: '2.2.2.2', sport: 1, dport: 2, seq: 0xffffffff, ack: 0x80000001, flags: 'ACK' }), LinkType.Ethernet);
    expect(d.sequence).toBe(0xffffffff);
    expect(d.acknowledgement).toBe(0x80000001);
  });

  test('flags are byte 13; the AE/NS bit in byte 12 is not a flag', () => {
    const segment = tcp({ sourcePort: 1, destinationPort: 2, seq: 0, flags: 0xff });
    segment[12] = segment[12]! | 0x01;
    expect(decode(concat(ipHeader(20), segment), LinkType.Raw)).toMatchObject({ flags: 0xff, tcpHeaderLength: 20 });
  });

  test('payload length is IP payload minus the TCP header, for IPv4 and IPv6', () => {
    const segment = tcp({ sourcePort: 1, destinationPort: 2, seq: 0, flags: 'PSH,ACK', options: tcpOption.mss(1460), payload: new Uint8Array(1000) });
    expect(decode(ipv4({ src: '1.1.1.1', dst: '2.2.2.2', payload: segment }), LinkType.Raw)).toMatchObject({ payloadLength: 1000, tcpHeaderLength: 24 });
    expect(decode(ipv6({ src: '::1', dst: '::2', payload: segment }), LinkType.Raw)).toMatchObject({ payloadLength: 1000, tcpHeaderLength: 24 });
  });

  test('snaplen cut inside the options: status Tcp with tcpHeaderCut, flags known', () => {
    const frame = tcpFrame({
      linkType: LinkType.LinuxSll2, src: '10.0.0.1', dst: '10.0.0.2', sport: 5000, dport: 80, seq: 77, ack: 0, flags: 'SYN',
      options: concat(tcpOption.mss(1460), tcpOption.sackPermitted(), tcpOption.timestamps(1, 0), tcpOption.nop(), tcpOption.windowScale(7)),
      payload: 'x',
    });
    // SLL2 20 + IPv4 20 + 30 of the 40-byte TCP header.
    const d = decode(frame.subarray(0, 70), LinkType.LinuxSll2);
    expect(d).toMatchObject({
      status: DecodeStatus.Tcp, tcpHeaderCut: true, flags: TcpFlag.SYN, sourcePort: 5000, destinationPort: 80, sequence: 77,
      tcpHeaderLength: 40, payloadLength: 1, capturedPayloadLength: 0, optionsOffset: 60, optionsLength: 10, payloadOffset: 70,
    });
  });

  test('snaplen cut after the flags but before the window: window unknown (0), flags known', () => {
    const frame = tcpFrame({ src: '10.0.0.1', dst: '10.0.0.2', sport: 5000, dport: 80, seq: 1, flags: 'RST', window: 1234 });
    const d = decode(frame.subarray(0, 14 + 20 + 14), LinkType.Ethernet);
    expect(d).toMatchObject({ status: DecodeStatus.Tcp, tcpHeaderCut: true, flags: TcpFlag.RST, window: 0, optionsLength: 0, capturedPayloadLength: 0 });
    expect(decode(frame.subarray(0, 14 + 20 + 16), LinkType.Ethernet)).toMatchObject({ status: DecodeStatus.Tcp, tcpHeaderCut: true, window: 1234 });
  });

  test('fewer than 14 bytes of TCP header: truncated, needed 20', () => {
    const frame = tcpFrame({ src: '10.0.0.1', dst: '10.0.0.2', sport: 5000, dport: 80, seq: 1, flags: 'SYN' });
    expect(issueOf(decode(frame.subarray(0, 14 + 20 + 13), LinkType.Ethernet))).toEqual({
      status: DecodeStatus.Issue, kind: 'truncated', layer: 'tcp', reason: 'tcp-header-cut', needed: 20, available: 13,
    });
    expect(issueOf(decode(frame.subarray(0, 14 + 20), LinkType.Ethernet))).toMatchObject({ kind: 'truncated', reason: 'tcp-header-cut', available: 0 });
  });

  test.each([0, 4])('data offset %i (< 5) is malformed', (dataOffset) => {
    const segment = tcp({ sourcePort: 1, destinationPort: 2, seq: 0, flags: 'ACK', dataOffset });
    expect(issueOf(decode(concat(ipHeader(20), segment), LinkType.Raw))).toEqual({
      status: DecodeStatus.Issue, kind: 'malformed', layer: 'tcp', reason: 'tcp-data-offset-below-5', needed: 20, available: dataOffset * 4,
    });
  });

  test('TCP header longer than the IP payload: malformed, payload length never negative', () => {
    const segment = tcp({ sourcePort: 1, destinationPort: 2, seq: 0, flags: 'ACK', dataOffset: 15 });
    expect(issueOf(decode(concat(ipHeader(20), segment), LinkType.Raw))).toEqual({
      status: DecodeStatus.Issue, kind: 'malformed', layer: 'tcp', reason: 'tcp-header-beyond-ip-payload', needed: 60, available: 20,
    });
  });

  test('IP payload shorter than a TCP header, all of it captured: malformed, not truncated', () => {
    const segment = tcp({ sourcePort: 1, destinationPort: 2, seq: 0, flags: 'ACK' }).subarray(0, 10);
    expect(issueOf(decode(concat(ipHeader(10), segment), LinkType.Raw))).toEqual({
      status: DecodeStatus.Issue, kind: 'malformed', layer: 'tcp', reason: 'tcp-header-beyond-ip-payload', needed: 20, available: 10,
    });
  });

  test('IP payload of 16 bytes with a 20-byte data offset: malformed', () => {
    const segment = tcp({ sourcePort: 1, destinationPort: 2, seq: 0, flags: 'ACK' }).subarray(0, 16);
    expect(issueOf(decode(concat(ipHeader(16), segment), LinkType.Raw))).toMatchObject({ kind: 'malformed', reason: 'tcp-header-beyond-ip-payload', needed: 20, available: 16 });
  });

  test('tcpFrame() builds the same bytes for every link type it supports', () => {
    for (const linkType of [LinkType.Ethernet, LinkType.Null, LinkType.Loop, LinkType.Raw, LinkType.LinuxSll, LinkType.LinuxSll2, LinkType.Ipv4]) {
      const d = decode(tcpFrame({ linkType, src: '10.1.2.3', dst: '10.3.2.1', sport: 1000, dport: 2000, seq: 5, ack: 6, flags: 'PSH,ACK', payload: 'data' }), linkType);
      expect(d, `link type ${linkType}`).toMatchObject({ status: DecodeStatus.Tcp, source: '10.1.2.3', destination: '10.3.2.1', sourcePort: 1000, destinationPort: 2000, payloadLength: 4 });
    }
    const v6 = decode(tcpFrame({ linkType: LinkType.Ipv6, src: '::1', dst: '::2', sport: 1, dport: 2, seq: 0, flags: 'SYN' }), LinkType.Ipv6);
    expect(v6).toMatchObject({ status: DecodeStatus.Tcp, source: '::1', destination: '::2' });
    expect(decode(tcpFrame({ vlan: 12, src: '1.1.1.1', dst: '2.2.2.2', sport: 1, dport: 2, seq: 0, flags: 'SYN' }), LinkType.Ethernet).vlanOuter).toBe(12);
    expect(ethernet({ payload: new Uint8Array(0) }).length).toBe(14);
    expect(sll2({ payload: new Uint8Array(0) }).length).toBe(20);
  });
});
