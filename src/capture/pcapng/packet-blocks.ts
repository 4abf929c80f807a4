import type { ChunkFrame } from '../frame.js';
import type { Interface } from './interface.js';

/*
 * Blocks that carry a packet (draft-ietf-opsawg-pcapng):
 *   Enhanced Packet Block (section 4.3):
 *     0 type 6 | 4 total length | 8 interface id (u32) | 12 timestamp high | 16 timestamp low |
 *     20 captured length | 24 original length | 28 data, padded to 32 bits | options | total length
 *   obsolete Packet Block (appendix A): the same, except that 8 is a u16 interface id followed by
 *     a u16 drops count.
 *   Simple Packet Block (section 4.4):
 *     0 type 3 | 4 total length | 8 original length | 12 data, padded | total length
 *     No interface id (always interface 0), no timestamp, no captured length: the data is the
 *     original length cut to the interface snaplen, and never more than the block holds.
 * Each returns undefined when the frame is filled, or a text saying why the block is unusable.
 */

export const EPB_MIN_LENGTH = 32;
export const SPB_MIN_LENGTH = 16;

const EPB_DATA_OFFSET = 28;
const SPB_DATA_OFFSET = 12;

function missingInterface(kind: string, id: number, count: number): string {
  return `${kind} refers to interface ${id}, but its section has ${count === 0 ? 'no interface description' : `only ${count} interface(s)`}; skipped`;
}

/** Enhanced (wideInterfaceId) or obsolete Packet Block at `offset`, fully in `bytes`. */
export function readTimedPacket(
  view: DataView,
  bytes: Uint8Array,
  offset: number,
  length: number,
  littleEndian: boolean,
  wideInterfaceId: boolean,
  interfaces: readonly Interface[],
  frame: ChunkFrame,
): string | undefined {
  const id = wideInterfaceId ? view.getUint32(offset + 8, littleEndian) : view.getUint16(offset + 8, littleEndian);
  const iface = interfaces[id];
  const kind = wideInterfaceId ? 'enhanced packet block' : 'packet block';
  if (iface === undefined) return missingInterface(kind, id, interfaces.length);
  const captured = view.getUint32(offset + 20, littleEndian);
  const room = length - EPB_DATA_OFFSET - 4;
  if (captured > room) return `${kind} captured length ${captured} does not fit in its ${length}-byte block; skipped`;
  iface.scale.apply(view.getUint32(offset + 12, littleEndian), view.getUint32(offset + 16, littleEndian), frame);
  frame.seconds += iface.offsetSeconds;
  frame.interfaceId = id;
  frame.linkType = iface.linkType;
  frame.precision = iface.scale.precision;
  frame.originalLength = view.getUint32(offset + 24, littleEndian);
  frame.setData(bytes, offset + EPB_DATA_OFFSET, captured);
  return undefined;
}

/** Simple Packet Block at `offset`, fully in `bytes`. */
export function readSimplePacket(
  view: DataView,
  bytes: Uint8Array,
  offset: number,
  length: number,
  littleEndian: boolean,
  interfaces: readonly Interface[],
  frame: ChunkFrame,
): string | undefined {
  const iface = interfaces[0];
  if (iface === undefined) return missingInterface('simple packet block', 0, 0);
  const original = view.getUint32(offset + 8, littleEndian);
  let captured = Math.min(original, length - SPB_DATA_OFFSET - 4);
  if (iface.snaplen !== 0 && iface.snaplen < captured) captured = iface.snaplen;
  frame.seconds = 0;
  frame.nanos = 0;
  frame.interfaceId = 0;
  frame.linkType = iface.linkType;
  frame.precision = iface.scale.precision;
  frame.originalLength = original;
  frame.setData(bytes, offset + SPB_DATA_OFFSET, captured);
  return undefined;
}
