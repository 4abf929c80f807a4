import { MAX_RECORD_LENGTH } from '../limits.js';
import { BYTE_ORDER_MAGIC, BlockType } from './blocks.js';

/*
 * Section Header Block (draft-ietf-opsawg-pcapng section 4.1):
 *   0 type 0x0A0D0D0A | 4 total length | 8 byte-order magic 0x1A2B3C4D | 12 major | 14 minor |
 *   16 section length (i64, -1 = unknown) | 24 options | total length.
 * The byte-order magic fixes the byte order of every field in the section, including this block's
 * own lengths; each new SHB starts a section that may use the other order and that has its own
 * interfaces (ids restart at 0).
 */

export const SHB_MIN_LENGTH = 28;

export interface SectionHeader {
  littleEndian: boolean;
  length: number;
  versionMajor: number;
  versionMinor: number;
}

/**
 * Check an SHB starting at `offset`: `view` must hold at least 12 bytes from there, and the whole
 * block when `available` ≥ its length. Returns the header, or a text saying what is wrong.
 * `incomplete` means more bytes are needed (total length known, block not fully present); callers
 * reject an `incomplete` above MAX_RECORD_LENGTH as an absurd length.
 */
export function readSectionHeader(
  view: DataView,
  offset: number,
  available: number,
): SectionHeader | { error: string } | { incomplete: number } {
  if (view.getUint32(offset, false) !== BlockType.SectionHeader) return { error: 'block is not a section header' };
  let littleEndian: boolean;
  if (view.getUint32(offset + 8, true) === BYTE_ORDER_MAGIC) littleEndian = true;
  else if (view.getUint32(offset + 8, false) === BYTE_ORDER_MAGIC) littleEndian = false;
  else return { error: `bad byte-order magic 0x${view.getUint32(offset + 8, false).toString(16).padStart(8, '0')} (expected 1a2b3c4d in either byte order)` };
  const length = view.getUint32(offset + 4, littleEndian);
  // Past the readers' cap a length is absurd whatever else is wrong with it (0xffffffff is not a
  // multiple of 4 either): hand it back as needed bytes, which both callers reject as absurd.
  if (length > MAX_RECORD_LENGTH) return { incomplete: length };
  if (length < SHB_MIN_LENGTH || length % 4 !== 0) return { error: `section header length ${length} is impossible (minimum ${SHB_MIN_LENGTH}, multiple of 4)` };
  if (available < length) return { incomplete: length };
  const trailing = view.getUint32(offset + length - 4, littleEndian);
  if (trailing !== length) return { error: `section header lengths disagree: ${length} at the start, ${trailing} at the end` };
  const versionMajor = view.getUint16(offset + 12, littleEndian);
  const versionMinor = view.getUint16(offset + 14, littleEndian);
  // A new major version is an incompatible format (section 4.1). Minor versions other than 0 (libpcap
  // also accepts 1.2, written by some old tools) are read as 1.0.
  if (versionMajor !== 1) return { error: `pcapng version ${versionMajor}.${versionMinor} is not supported (only 1.x)` };
  return { littleEndian, length, versionMajor, versionMinor };
}
