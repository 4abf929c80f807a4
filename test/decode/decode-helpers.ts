/** Shared test helpers for decoder tests: decode into a fresh copy so assertions see plain data. */

import { createDecodedPacket, DecodeStatus, type DecodedPacket } from '../../src/decode/decoded.js';
import { decodePacket } from '../../src/decode/packet.js';
import { formatAddress } from '../../src/decode/format.js';

const shared = createDecodedPacket();

export interface Decoded extends DecodedPacket {
  source: string;
  destination: string;
}

/** Decode with one reused output object (as the pipeline does) and return a snapshot of it. */
export function decode(frame: Uint8Array, linkType: number): Decoded {
  decodePacket(frame, linkType, shared);
  const snapshot = {
    ...shared,
    sourceAddress: shared.sourceAddress.slice(),
    destinationAddress: shared.destinationAddress.slice(),
  };
  return {
    ...snapshot,
    source: formatAddress(snapshot.ipVersion, snapshot.sourceAddress),
    destination: formatAddress(snapshot.ipVersion, snapshot.destinationAddress),
  };
}

/** The issue fields only, for compact expectations. */
export function issueOf(d: DecodedPacket): object {
  return {
    status: d.status,
    kind: d.issueKind,
    layer: d.issueLayer,
    reason: d.issueReason,
    needed: d.issueNeeded,
    available: d.issueAvailable,
  };
}

export function skipOf(d: DecodedPacket): object {
  return { status: d.status, skip: d.skip, value: d.skipValue };
}

export { DecodeStatus };
