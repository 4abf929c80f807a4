import { CaptureFormatError } from '../errors.js';
import { MAX_RECORD_LENGTH } from './limits.js';
import { ChunkedReader } from './reader-base.js';
import type { ByteSource } from './source.js';
import type { Frame } from './types.js';

/*
 * Classic pcap (draft-ietf-opsawg-pcap):
 *   file header, 24 bytes: magic, version major/minor (u16), thiszone, sigfigs, snaplen,
 *     link type and FCS info (u32);
 *   record header, 16 bytes: ts seconds, ts fraction, incl_len (captured), orig_len (wire).
 * The magic, read big-endian, tells the byte order of every other field and the fraction unit:
 * a1b2c3d4 microseconds, a1b23c4d nanoseconds; byte-swapped (d4c3b2a1, 4d3cb2a1) = little-endian.
 */

export const PCAP_FILE_HEADER_LENGTH = 24;
const RECORD_HEADER_LENGTH = 16;
/** libpcap's MAXIMUM_SNAPLEN: a record longer than this and than its wire length is corrupt. */
const LIBPCAP_MAX_SNAPLEN = 262144;

export interface PcapHeader {
  littleEndian: boolean;
  nanosecond: boolean;
  versionMajor: number;
  versionMinor: number;
  snaplen: number;
  linkType: number;
  /** Bytes of FCS at the end of every frame, when the header says so (0 = none or unknown). */
  fcsBytes: number;
}

/** Magic as a big-endian u32 → byte order and unit, or undefined when it is not classic pcap. */
export function pcapMagic(magic: number): { littleEndian: boolean; nanosecond: boolean } | undefined {
  switch (magic >>> 0) {
    case 0xa1b2c3d4:
      return { littleEndian: false, nanosecond: false };
    case 0xd4c3b2a1:
      return { littleEndian: true, nanosecond: false };
    case 0xa1b23c4d:
      return { littleEndian: false, nanosecond: true };
    case 0x4d3cb2a1:
      return { littleEndian: true, nanosecond: true };
    default:
      return undefined;
  }
}

/** Parse the 24-byte file header; `bytes` must hold at least 24 bytes. */
export function parsePcapHeader(bytes: Uint8Array, path: string): PcapHeader {
  const view = new DataView(bytes.buffer, bytes.byteOffset, PCAP_FILE_HEADER_LENGTH);
  const kind = pcapMagic(view.getUint32(0, false));
  if (kind === undefined) throw new CaptureFormatError(`${path}: not a pcap file header`, path, 0, 'not-a-capture');
  const le = kind.littleEndian;
  const field = view.getUint32(20, le);
  // Link-type field: low 16 bits LINKTYPE_*; bits 16-25 reserved; bit 26 (P) says the top 4 bits
  // hold the FCS length in 16-bit words (draft-ietf-opsawg-pcap section 4, "LinkType and
  // additional information").
  const fcsPresent = (field & 0x04000000) !== 0;
  return {
    ...kind,
    versionMajor: view.getUint16(4, le),
    versionMinor: view.getUint16(6, le),
    snaplen: view.getUint32(16, le),
    linkType: field & 0xffff,
    fcsBytes: fcsPresent ? (field >>> 28) * 2 : 0,
  };
}

export class PcapReader extends ChunkedReader {
  readonly format = 'pcap' as const;
  readonly header: PcapHeader;
  private readonly littleEndian: boolean;
  private readonly nanosecond: boolean;
  /** Above this, an incl_len that also exceeds orig_len is corrupt, not just odd. */
  private readonly sizeLimit: number;
  private inclOverOrigSeen = false;

  constructor(source: ByteSource, path: string, header: PcapHeader) {
    super(source, path, PCAP_FILE_HEADER_LENGTH);
    this.header = header;
    this.littleEndian = header.littleEndian;
    this.nanosecond = header.nanosecond;
    this.sizeLimit = Math.max(header.snaplen, LIBPCAP_MAX_SNAPLEN);
    this.needed = RECORD_HEADER_LENGTH;
    this.noteLinkType(header.linkType);
    const frame = this.frame;
    frame.linkType = header.linkType;
    frame.precision = header.nanosecond ? 9 : 6;
    if (header.versionMajor !== 2) {
      this.warn(4, `unusual pcap version ${header.versionMajor}.${header.versionMinor} (expected 2.4)`);
    }
    if (header.fcsBytes > 0) {
      this.warn(20, `frames end with a ${header.fcsBytes}-byte FCS (link-type field ${header.linkType})`);
    }
  }

  next(): Frame | undefined {
    if (this.stopped) return undefined;
    const pos = this.pos;
    const available = this.end - pos;
    if (available < RECORD_HEADER_LENGTH) {
      return this.starve(RECORD_HEADER_LENGTH);
    }
    const view = this.view;
    const le = this.littleEndian;
    const included = view.getUint32(pos + 8, le);
    const original = view.getUint32(pos + 12, le);
    if (included > MAX_RECORD_LENGTH || (included > this.sizeLimit && included > original)) {
      return this.rejectLength(pos, included, original);
    }
    const recordLength = RECORD_HEADER_LENGTH + included;
    if (available < recordLength) {
      return this.starve(recordLength);
    }
    const frame = this.frame;
    frame.number++;
    frame.fileOffset = this.source.base + pos;
    let seconds = view.getUint32(pos, le);
    let fraction = view.getUint32(pos + 4, le);
    // A fraction of a second or more is out of spec; carry it so that 0 ≤ nanos < 1e9 holds.
    if (this.nanosecond) {
      if (fraction >= 1e9) {
        seconds += Math.floor(fraction / 1e9);
        fraction %= 1e9;
      }
      frame.nanos = fraction;
    } else {
      if (fraction >= 1e6) {
        seconds += Math.floor(fraction / 1e6);
        fraction %= 1e6;
      }
      frame.nanos = fraction * 1000;
    }
    frame.seconds = seconds;
    frame.originalLength = original;
    frame.setData(this.buf, pos + RECORD_HEADER_LENGTH, included);
    if (included > original && !this.inclOverOrigSeen) {
      // libpcap and Wireshark accept this (framing is still sound); say so once.
      this.inclOverOrigSeen = true;
      this.warn(frame.fileOffset, `record ${frame.number} captured length ${included} exceeds its original length ${original} (later such records not reported)`);
    }
    this.pos = pos + recordLength;
    return frame;
  }

  private rejectLength(pos: number, included: number, original: number): undefined {
    const offset = this.source.base + pos;
    const number = this.frame.number + 1;
    const message =
      included > MAX_RECORD_LENGTH
        ? `absurd record length ${included} at offset ${offset} (record ${number}); reading stopped`
        : `record ${number} at offset ${offset} claims ${included} captured bytes, more than its original length ${original} and the snaplen ${this.header.snaplen}; reading stopped`;
    return this.stopMalformed(offset, RECORD_HEADER_LENGTH + included, message);
  }

  protected describeCut(offset: number, needed: number, available: number): string {
    const number = this.frame.number + 1;
    if (available < RECORD_HEADER_LENGTH) {
      return `file ends inside the header of record ${number} at offset ${offset}: ${available} of ${RECORD_HEADER_LENGTH} bytes present`;
    }
    return `file ends inside record ${number} at offset ${offset}: header says ${needed - RECORD_HEADER_LENGTH} bytes, ${available - RECORD_HEADER_LENGTH} present`;
  }
}

/** Read the file header (the source holds at least 24 bytes) and return a reader over the records. */
export function openPcap(source: ByteSource, path: string): PcapReader {
  if (source.length < PCAP_FILE_HEADER_LENGTH) {
    throw new CaptureFormatError(
      `${path}: file ends after ${source.length} bytes, inside the ${PCAP_FILE_HEADER_LENGTH}-byte pcap file header`,
      path,
      0,
      'malformed-header',
    );
  }
  return new PcapReader(source, path, parsePcapHeader(source.buffer, path));
}
