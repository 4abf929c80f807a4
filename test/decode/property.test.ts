/** Properties over arbitrary input: the decoder never throws and only ever reports typed outcomes. */

import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import { IpProtocol, LinkType } from '../../src/decode/constants.js';
import { createDecodedPacket, DecodeStatus, type DecodedPacket } from '../../src/decode/decoded.js';
import { IssueReason } from '../../src/decode/layer.js';
import { decodePacket } from '../../src/decode/packet.js';
import { ipv4, ipv6, linkFrame, tcp } from '../helpers/packet-builder.js';

const knownLinkTypes = Object.values(LinkType) as number[];
const linkTypeArbitrary = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...knownLinkTypes) },
  { weight: 1, arbitrary: fc.integer({ min: -1, max: 0xffffffff }) },
);
const issueLayers = ['capture', 'link', 'vlan', 'ipv4', 'ipv6', 'tcp'];
const reasons = new Set<string>(Object.values(IssueReason));
const skipReasons = ['unknown-link-type', 'non-ip', 'non-tcp', 'fragment'];

const isUint = (value: number, max: number): boolean => Number.isInteger(value) && value >= 0 && value <= max;

/** What must hold for any input, whatever the status. */
function checkOutcome(data: Uint8Array, out: DecodedPacket, status: number): void {
  expect(status).toBe(out.status);
  switch (status) {
    case DecodeStatus.Tcp:
      expect(isUint(out.sourcePort, 0xffff) && isUint(out.destinationPort, 0xffff)).toBe(true);
      expect(isUint(out.sequence, 0xffffffff) && isUint(out.acknowledgement, 0xffffffff)).toBe(true);
      expect(isUint(out.flags, 0xff) && isUint(out.window, 0xffff)).toBe(true);
      expect(out.tcpHeaderLength).toBeGreaterThanOrEqual(20);
      expect(out.tcpHeaderLength).toBeLessThanOrEqual(60);
      expect(out.payloadLength).toBeGreaterThanOrEqual(out.capturedPayloadLength);
      expect(out.capturedPayloadLength).toBeGreaterThanOrEqual(0);
      expect(out.payloadOffset + out.capturedPayloadLength).toBeLessThanOrEqual(data.length);
      expect(out.optionsOffset + out.optionsLength).toBeLessThanOrEqual(data.length);
      expect(out.optionsOffset).toBeLessThanOrEqual(out.payloadOffset);
      expect(out.optionsLength).toBeLessThanOrEqual(out.tcpHeaderLength - 20);
      if (out.tcpHeaderCut) expect(out.capturedPayloadLength).toBe(0);
      expect([4, 6]).toContain(out.ipVersion);
      if (out.ipVersion === 4) expect(Array.from(out.sourceAddress.subarray(1))).toEqual([0, 0, 0]);
      break;
    case DecodeStatus.Skipped:
      expect(skipReasons).toContain(out.skip);
      expect(Number.isFinite(out.skipValue)).toBe(true);
      break;
    case DecodeStatus.Issue:
      expect(['truncated', 'malformed']).toContain(out.issueKind);
      expect(issueLayers).toContain(out.issueLayer);
      expect(reasons.has(out.issueReason)).toBe(true);
      expect(out.issueNeeded).toBeGreaterThanOrEqual(0);
      expect(out.issueAvailable).toBeGreaterThanOrEqual(0);
      if (out.issueKind === 'truncated') expect(out.issueAvailable).toBeLessThan(out.issueNeeded);
      break;
    default:
      throw new Error(`unexpected status ${status}`);
  }
}

/** The fields the status makes valid (the rest may hold an earlier frame's values). */
function meaningful(out: DecodedPacket): object {
  if (out.status === DecodeStatus.Skipped) return { status: out.status, skip: out.skip, value: out.skipValue };
  if (out.status === DecodeStatus.Issue) {
    const { issueKind, issueLayer, issueReason, issueNeeded, issueAvailable } = out;
    return { status: out.status, issueKind, issueLayer, issueReason, issueNeeded, issueAvailable };
  }
  return { ...out, sourceAddress: Array.from(out.sourceAddress), destinationAddress: Array.from(out.destinationAddress) };
}

/** A valid TCP frame of some link type, to start mutations from (random bytes rarely reach TCP). */
const validFrameArbitrary = fc
  .record({
    linkType: fc.constantFrom(...knownLinkTypes),
    v6: fc.boolean(),
    options: fc.uint8Array({ maxLength: 40 }),
    payload: fc.uint8Array({ maxLength: 64 }),
    extension: fc.constantFrom(-1, IpProtocol.HopByHop, IpProtocol.Ipv6Fragment, IpProtocol.Ah, IpProtocol.Ipv6Routing),
    seq: fc.integer({ min: 0, max: 0xffffffff }),
    flags: fc.integer({ min: 0, max: 0xff }),
  })
  .map(({ linkType, v6, options, payload, extension, seq, flags }) => {
    // LINKTYPE_IPV4 / LINKTYPE_IPV6 fix the version; every other link type carries either.
    const useIpv6 = linkType === LinkType.Ipv6 || (v6 && linkType !== LinkType.Ipv4);
    const segment = tcp({ sourcePort: 1, destinationPort: 2, seq, flags, options, payload });
    const packet = useIpv6
      ? ipv6({ src: '2001:db8::1', dst: '::1', payload: segment, extensionHeaders: extension < 0 ? [] : [{ type: extension }] })
      : ipv4({ src: '10.0.0.1', dst: '10.0.0.2', payload: segment });
    return { linkType, frame: linkFrame(linkType, packet) };
  });

const mutationsArbitrary = fc.array(fc.record({ at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }), { maxLength: 6 });

describe('decodePacket on arbitrary input', () => {
  const out = createDecodedPacket();

  test.prop([fc.uint8Array({ maxLength: 200 }), linkTypeArbitrary], { numRuns: 3000 })(
    'any byte string with any link type: no throw, a valid status',
    (bytes, linkType) => {
      checkOutcome(bytes, out, decodePacket(bytes, linkType, out));
    },
  );

  test.prop([validFrameArbitrary, mutationsArbitrary, fc.nat()], { numRuns: 3000 })(
    'a valid frame with some bytes changed and cut anywhere: no throw, a valid status',
    ({ linkType, frame }, mutations, cut) => {
      const bytes = frame.slice();
      for (const { at, value } of mutations) if (bytes.length > 0) bytes[at % bytes.length] = value;
      const cutBytes = bytes.slice(0, cut % (bytes.length + 1));
      checkOutcome(cutBytes, out, decodePacket(cutBytes, linkType, out));
    },
  );

  test.prop([validFrameArbitrary])('a valid frame decodes as TCP with its declared payload', ({ linkType, frame }) => {
    expect(decodePacket(frame, linkType, out)).toBe(DecodeStatus.Tcp);
    checkOutcome(frame, out, out.status);
    expect(out.capturedPayloadLength).toBe(out.payloadLength);
    expect(out.payloadOffset + out.payloadLength).toBeLessThanOrEqual(frame.length);
  });

  test.prop([fc.uint8Array({ minLength: 8, maxLength: 120 }), fc.nat(64), fc.nat(64), linkTypeArbitrary])(
    'a view into a larger buffer reads only inside the view',
    (buffer, from, length, linkType) => {
      const start = from % buffer.length;
      const view = buffer.subarray(start, Math.min(buffer.length, start + length));
      const status = decodePacket(view, linkType, out);
      checkOutcome(view, out, status);
      // The same bytes on their own decode the same way: nothing outside the view was read.
      const copy = createDecodedPacket();
      expect(decodePacket(view.slice(), linkType, copy)).toBe(status);
      expect(meaningful(copy)).toEqual(meaningful(out));
    },
  );

  test.prop([validFrameArbitrary, fc.uint8Array({ maxLength: 40 }), fc.uint8Array({ maxLength: 40 }), fc.nat()])(
    'a frame given by offset and length inside a larger array: same outcome, offsets into that array',
    ({ linkType, frame }, before, after, cut) => {
      const bytes = frame.subarray(0, cut % (frame.length + 1));
      const chunk = new Uint8Array([...before, ...bytes, ...after]);
      const alone = createDecodedPacket();
      const inside = createDecodedPacket();
      const status = decodePacket(bytes, linkType, alone);
      expect(decodePacket(chunk, linkType, inside, before.length, bytes.length)).toBe(status);
      if (status === DecodeStatus.Tcp) {
        alone.payloadOffset += before.length;
        alone.optionsOffset += before.length;
      }
      expect(meaningful(inside)).toEqual(meaningful(alone));
    },
  );
});
