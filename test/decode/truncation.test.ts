/**
 * Every shorter prefix of a valid frame is what a snaplen (or a cut file) produces. Decoding one
 * must never throw and never call it malformed: it is either a typed `truncated` issue, or — once
 * 14 bytes of TCP header are present — a TCP segment with the same numbers as the whole frame.
 */

import { describe, expect, test } from 'vitest';
import { IpProtocol, LinkType } from '../../src/decode/constants.js';
import { createDecodedPacket, DecodeStatus } from '../../src/decode/decoded.js';
import { decodePacket } from '../../src/decode/packet.js';
import { concat, ethernet, ipv4, ipv6, linkFrame, nullLoop, sll, tcp, tcpOption } from '../helpers/packet-builder.js';
import { ipv4SynAckWithPayload, ipv6SynWithOptions } from './fixtures.js';

const options = concat(tcpOption.mss(1460), tcpOption.sackPermitted(), tcpOption.timestamps(7, 0), tcpOption.nop(), tcpOption.windowScale(7));
const segment = tcp({ sourcePort: 40000, destinationPort: 443, seq: 0xdeadbeef, ack: 0x01020304, flags: 'PSH,ACK', window: 502, options, payload: 'payload!' });

const cases: Array<[string, number, Uint8Array]> = [
  ['Ethernet / IPv4 / TCP with options', LinkType.Ethernet, ethernet({ payload: ipv4({ src: '10.0.0.1', dst: '10.0.0.2', payload: segment }) })],
  ['Ethernet QinQ / IPv6 / TCP', LinkType.Ethernet, ethernet({ vlans: [10, 20], qinq: true, payload: ipv6({ src: '2001:db8::1', dst: '2001:db8::2', payload: segment }) })],
  ['Ethernet VLAN / PPPoE / IPv4', LinkType.Ethernet, ethernet({ vlans: [7], pppoeSession: 0x1234, payload: ipv4({ src: '10.0.0.1', dst: '10.0.0.2', payload: segment }) })],
  ['Ethernet, padded bare ACK', LinkType.Ethernet, ethernet({ padTo: 60, payload: ipv4({ src: '10.0.0.1', dst: '10.0.0.2', payload: tcp({ sourcePort: 1, destinationPort: 2, seq: 3, ack: 4, flags: 'ACK' }) }) })],
  ['IPv4 with options', LinkType.Raw, ipv4({ src: '10.0.0.1', dst: '10.0.0.2', options: new Uint8Array(8).fill(1), payload: segment })],
  ['IPv4 total length 0 (offload)', LinkType.Raw, ipv4({ src: '10.0.0.1', dst: '10.0.0.2', totalLength: 0, payload: segment })],
  ['IPv6 payload length 0 (offload)', LinkType.Ipv6, ipv6({ src: '::1', dst: '::1', payloadLength: 0, payload: segment })],
  ['IPv4 first fragment', LinkType.Ipv4, ipv4({ src: '10.0.0.1', dst: '10.0.0.2', moreFragments: true, payload: segment })],
  [
    'IPv6 extension chain',
    LinkType.Raw,
    ipv6({
      src: 'fe80::1', dst: 'fe80::2', payload: segment,
      extensionHeaders: [
        { type: IpProtocol.HopByHop },
        { type: IpProtocol.Ipv6Routing, body: new Uint8Array(14) },
        { type: IpProtocol.Ipv6Fragment },
        { type: IpProtocol.Ah, icv: new Uint8Array(12) },
        { type: IpProtocol.Ipv6DestinationOptions },
      ],
    }),
  ],
  ['NULL / IPv6', LinkType.Null, nullLoop({ payload: ipv6SynWithOptions })],
  ['LOOP / IPv4', LinkType.Loop, nullLoop({ linkType: LinkType.Loop, payload: ipv4SynAckWithPayload })],
  ['SLL / IPv4', LinkType.LinuxSll, sll({ payload: ipv4SynAckWithPayload })],
  ['SLL2 / IPv6', LinkType.LinuxSll2, linkFrame(LinkType.LinuxSll2, ipv6SynWithOptions)],
  ['raw IPv6', LinkType.Raw, ipv6SynWithOptions],
];

describe('every prefix of a valid frame', () => {
  test.each(cases)('%s', (_name, linkType, frame) => {
    const whole = createDecodedPacket();
    expect(decodePacket(frame, linkType, whole)).toBe(DecodeStatus.Tcp);
    expect(whole.tcpHeaderCut).toBe(false);
    const tcpStart = whole.optionsOffset - 20;

    const out = createDecodedPacket();
    let sawCutHeader = false;
    for (let length = 0; length < frame.length; length++) {
      // A copy of exactly `length` bytes, so any read past the end would be visible.
      const prefix = frame.slice(0, length);
      const status = decodePacket(prefix, linkType, out);
      const where = `prefix of ${length} bytes`;
      if (length - tcpStart < 14) {
        expect(status, where).toBe(DecodeStatus.Issue);
        expect(out.issueKind, where).toBe('truncated');
        expect(out.issueAvailable, where).toBeLessThan(out.issueNeeded);
        expect(out.issueReason, where).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
        continue;
      }
      expect(status, where).toBe(DecodeStatus.Tcp);
      expect(out, where).toMatchObject({
        sourcePort: whole.sourcePort,
        destinationPort: whole.destinationPort,
        sequence: whole.sequence,
        acknowledgement: whole.acknowledgement,
        flags: whole.flags,
        tcpHeaderLength: whole.tcpHeaderLength,
        sourceAddress: whole.sourceAddress,
        destinationAddress: whole.destinationAddress,
        vlanOuter: whole.vlanOuter,
        vlanInner: whole.vlanInner,
      });
      const headerCaptured = length >= tcpStart + whole.tcpHeaderLength;
      expect(out.tcpHeaderCut, where).toBe(!headerCaptured);
      if (!headerCaptured) sawCutHeader = true;
      expect(out.capturedPayloadLength, where).toBe(Math.max(0, Math.min(length, whole.payloadOffset + whole.capturedPayloadLength) - whole.payloadOffset));
      expect(out.optionsLength, where).toBe(Math.max(0, Math.min(length - tcpStart, whole.tcpHeaderLength) - 20));
      if (length >= whole.payloadOffset) {
        expect(out.payloadLength, where).toBeGreaterThanOrEqual(out.capturedPayloadLength);
      }
    }
    expect(sawCutHeader).toBe(true);
  });

  test('with a declared IP length, the declared payload length survives any cut after the flags', () => {
    const frame = ethernet({ payload: ipv4({ src: '10.0.0.1', dst: '10.0.0.2', payload: segment }) });
    const out = createDecodedPacket();
    for (let length = 14 + 20 + 14; length <= frame.length; length++) {
      decodePacket(frame.subarray(0, length), LinkType.Ethernet, out);
      expect(out.payloadLength).toBe(8);
    }
  });
});
