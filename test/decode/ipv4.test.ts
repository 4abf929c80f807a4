import { describe, expect, test } from 'vitest';
import { IpProtocol, LinkType } from '../../src/decode/constants.js';
import { concat, ethernet, hex, ipv4, tcp } from '../helpers/packet-builder.js';
import { decode, DecodeStatus, issueOf, skipOf } from './decode-helpers.js';
import { ipv4SynAckFields, ipv4SynAckWithPayload, ipv6SynWithOptions } from './fixtures.js';

const segment = tcp({ sourcePort: 1234, destinationPort: 80, seq: 1, ack: 2, flags: 'PSH,ACK', payload: 'hello' });

describe('IPv4 header', () => {
  test('addresses go into word 0, words 1-3 are zero', () => {
    const d = decode(ipv4SynAckWithPayload, LinkType.Raw);
    expect(Array.from(d.sourceAddress)).toEqual([0xc0a8010a, 0, 0, 0]);
    expect(Array.from(d.destinationAddress)).toEqual([0xac100001, 0, 0, 0]);
  });

  test('words 1-3 are cleared after an IPv6 packet used the same output object', () => {
    expect(decode(ipv6SynWithOptions, LinkType.Raw).sourceAddress[3]).toBe(1);
    const d = decode(ipv4SynAckWithPayload, LinkType.Raw);
    expect(Array.from(d.sourceAddress)).toEqual([0xc0a8010a, 0, 0, 0]);
  });

  test('options: IHL 6 puts TCP 24 bytes in', () => {
    const packet = hex(`
      46 00 00 3c   # version 4, IHL 6 (24 bytes) | total length 60
      00 01 40 00   # identification | DF
      40 06 00 00   # TTL | TCP | checksum (not checked)
      0a 00 00 01  0a 00 00 02   # addresses
      94 04 00 00   # option Router Alert (RFC 2113), length 4
    `);
    const frame = concat(packet, tcp({ sourcePort: 1, destinationPort: 2, seq: 3, flags: 'ACK', payload: 'abcdefghijklmnop' }));
    expect(frame.length).toBe(60);
    const d = decode(frame, LinkType.Raw);
    expect(d).toMatchObject({ status: DecodeStatus.Tcp, sourcePort: 1, destinationPort: 2, sequence: 3, payloadLength: 16, capturedPayloadLength: 16, payloadOffset: 44 });
  });

  test('maximum options (IHL 15, 60-byte header)', () => {
    const frame = ipv4({ src: '10.0.0.1', dst: '10.0.0.2', options: new Uint8Array(40).fill(1), payload: segment });
    expect(frame[0]).toBe(0x4f);
    expect(decode(frame, LinkType.Raw)).toMatchObject({ status: DecodeStatus.Tcp, payloadOffset: 60 + 20, payloadLength: 5 });
  });

  test('Ethernet padding after the total length is trimmed, not counted as payload', () => {
    // A bare ACK is 54 bytes; Ethernet pads it to the 60-byte minimum.
    const ack = ipv4({ src: '10.0.0.1', dst: '10.0.0.2', payload: tcp({ sourcePort: 1, destinationPort: 2, seq: 5, ack: 6, flags: 'ACK' }) });
    const frame = ethernet({ payload: ack, padTo: 60 });
    expect(frame.length).toBe(60);
    expect(decode(frame, LinkType.Ethernet)).toMatchObject({ status: DecodeStatus.Tcp, payloadLength: 0, capturedPayloadLength: 0 });
    // Padding that is not zero (some NICs leak buffer contents) is trimmed just the same.
    const dirty = concat(ethernet({ payload: ack }), hex('de ad be ef 01 02'));
    expect(decode(dirty, LinkType.Ethernet)).toMatchObject({ status: DecodeStatus.Tcp, payloadLength: 0, capturedPayloadLength: 0 });
  });

  test('total length 0 (segmentation offload): the captured bytes are the packet', () => {
    const big = tcp({ sourcePort: 1, destinationPort: 2, seq: 5, flags: 'ACK', payload: new Uint8Array(3000) });
    const frame = ipv4({ src: '10.0.0.1', dst: '10.0.0.2', totalLength: 0, payload: big });
    expect(decode(frame, LinkType.Raw)).toMatchObject({ status: DecodeStatus.Tcp, payloadLength: 3000, capturedPayloadLength: 3000 });
  });

  test('total length beyond the captured bytes (snaplen): declared payload kept, captured counted', () => {
    const frame = ipv4({ src: '10.0.0.1', dst: '10.0.0.2', payload: segment }).subarray(0, 42);
    expect(decode(frame, LinkType.Raw)).toMatchObject({ status: DecodeStatus.Tcp, payloadLength: 5, capturedPayloadLength: 2, tcpHeaderCut: false });
  });

  test('first fragment (offset 0, MF set) is decoded: it carries the TCP header', () => {
    const frame = ipv4({ src: '10.0.0.1', dst: '10.0.0.2', moreFragments: true, totalLength: 20 + 24, payload: segment.subarray(0, 24) });
    expect(decode(frame, LinkType.Raw)).toMatchObject({ status: DecodeStatus.Tcp, sourcePort: 1234, payloadLength: 4, capturedPayloadLength: 4 });
  });

  test('later fragments (offset ≠ 0) are skipped as fragment, with the protocol', () => {
    const frame = ipv4({ src: '10.0.0.1', dst: '10.0.0.2', fragmentOffset: 3, payload: hex('6c 6c 6f') });
    expect(skipOf(decode(frame, LinkType.Raw))).toEqual({ status: DecodeStatus.Skipped, skip: 'fragment', value: IpProtocol.Tcp });
    const last = ipv4({ src: '10.0.0.1', dst: '10.0.0.2', fragmentOffset: 0x1fff, protocol: IpProtocol.Udp, payload: hex('00') });
    expect(skipOf(decode(last, LinkType.Raw))).toEqual({ status: DecodeStatus.Skipped, skip: 'fragment', value: IpProtocol.Udp });
  });

  test('UDP is skipped as non-tcp with the protocol', () => {
    const frame = ipv4({ src: '10.0.0.1', dst: '10.0.0.2', protocol: IpProtocol.Udp, payload: hex('0035 0035 0008 0000') });
    expect(skipOf(decode(frame, LinkType.Raw))).toEqual({ status: DecodeStatus.Skipped, skip: 'non-tcp', value: 17 });
  });

  test('an ICMP error quoting a TCP header is non-tcp, not a segment of the connection', () => {
    const quoted = ipv4SynAckWithPayload.subarray(0, 28);
    const icmp = concat(hex('03 03 00 00 00 00 00 00  # type 3 (unreachable), code 3 (port) | checksum | unused'), quoted);
    const frame = ipv4({ src: '172.16.0.1', dst: '192.168.1.10', protocol: IpProtocol.Icmp, payload: icmp });
    expect(skipOf(decode(frame, LinkType.Raw))).toEqual({ status: DecodeStatus.Skipped, skip: 'non-tcp', value: 1 });
  });

  test('version nibble not 4 after EtherType IPv4: malformed', () => {
    const frame = ethernet({ etherType: 0x0800, payload: ipv4({ src: '1.1.1.1', dst: '2.2.2.2', version: 5, payload: segment }) });
    expect(issueOf(decode(frame, LinkType.Ethernet))).toEqual({
      status: DecodeStatus.Issue, kind: 'malformed', layer: 'ipv4', reason: 'ipv4-version-not-4', needed: 4, available: 5,
    });
  });

  test.each([0, 1, 4])('IHL %i (< 5) is malformed', (ihl) => {
    const frame = ipv4({ src: '1.1.1.1', dst: '2.2.2.2', headerLength: ihl, payload: segment });
    expect(issueOf(decode(frame, LinkType.Raw))).toEqual({
      status: DecodeStatus.Issue, kind: 'malformed', layer: 'ipv4', reason: 'ipv4-header-length-below-20', needed: 20, available: ihl * 4,
    });
  });

  test('total length below the header length is malformed', () => {
    const frame = ipv4({ src: '1.1.1.1', dst: '2.2.2.2', options: new Uint8Array(4), totalLength: 22, payload: segment });
    expect(issueOf(decode(frame, LinkType.Raw))).toEqual({
      status: DecodeStatus.Issue, kind: 'malformed', layer: 'ipv4', reason: 'ipv4-total-length-below-header', needed: 24, available: 22,
    });
  });

  test('fixed header cut: truncated with needed 20', () => {
    expect(issueOf(decode(ipv4SynAckWithPayload.subarray(0, 19), LinkType.Raw))).toEqual({
      status: DecodeStatus.Issue, kind: 'truncated', layer: 'ipv4', reason: 'ipv4-header-cut', needed: 20, available: 19,
    });
  });

  test('options cut: truncated with needed = IHL × 4', () => {
    const frame = ipv4({ src: '1.1.1.1', dst: '2.2.2.2', options: new Uint8Array(12), payload: segment }).subarray(0, 30);
    expect(issueOf(decode(frame, LinkType.Raw))).toEqual({
      status: DecodeStatus.Issue, kind: 'truncated', layer: 'ipv4', reason: 'ipv4-options-cut', needed: 32, available: 30,
    });
  });

  test('the annotated SYN-ACK decodes to the expected fields', () => {
    expect(decode(ipv4SynAckWithPayload, LinkType.Ipv4)).toMatchObject({ status: DecodeStatus.Tcp, ...ipv4SynAckFields });
  });
});
