import { CaptureFormatError } from '../errors.js';
import { MAX_RECORD_LENGTH } from './limits.js';
import { BLOCK_MIN_LENGTH, BlockType, hex32, KNOWN_NON_PACKET_BLOCKS } from './pcapng/blocks.js';
import { IDB_MIN_LENGTH, readInterface, type Interface } from './pcapng/interface.js';
import { EPB_MIN_LENGTH, readSimplePacket, readTimedPacket, SPB_MIN_LENGTH } from './pcapng/packet-blocks.js';
import { readSectionHeader, SHB_MIN_LENGTH } from './pcapng/section.js';
import { ChunkedReader } from './reader-base.js';
import { ensureBytes, type ByteSource } from './source.js';
import type { Frame } from './types.js';

/*
 * pcapng (draft-ietf-opsawg-pcapng): a sequence of blocks, each
 *   type (u32) | total length (u32) | body | total length again (section 3.1),
 * lengths multiples of 4, in the byte order of the section the block belongs to. Blocks of unknown
 * type are skipped by their length (section 3.1: "all blocks must have the fields Type and Length
 * at the beginning"). The two length copies must agree; when they do not, the framing is lost and
 * reading stops.
 */

const BLOCK_NAMES: Record<number, string> = {
  [BlockType.SectionHeader]: 'section header block',
  [BlockType.InterfaceDescription]: 'interface description block',
  [BlockType.EnhancedPacket]: 'enhanced packet block',
  [BlockType.SimplePacket]: 'simple packet block',
  [BlockType.Packet]: 'packet block',
};

function blockName(type: number): string {
  return BLOCK_NAMES[type] ?? `block of type ${hex32(type)}`;
}

function isPacketBlock(type: number): boolean {
  return type === BlockType.EnhancedPacket || type === BlockType.SimplePacket || type === BlockType.Packet;
}

export class PcapngReader extends ChunkedReader {
  readonly format = 'pcapng' as const;
  /** Sections started so far (one per SHB). */
  sections = 0;
  private littleEndian = true;
  private interfaces: Interface[] = [];
  private readonly reportedTypes = new Set<number>();

  constructor(source: ByteSource, path: string) {
    super(source, path, 0);
    this.needed = BLOCK_MIN_LENGTH;
  }

  next(): Frame | undefined {
    if (this.stopped) return undefined;
    for (;;) {
      const pos = this.pos;
      const available = this.end - pos;
      if (available < BLOCK_MIN_LENGTH) {
        return this.starve(BLOCK_MIN_LENGTH);
      }
      const view = this.view;
      const le = this.littleEndian;
      const type = view.getUint32(pos, le);
      if (type === BlockType.SectionHeader) {
        if (!this.startSection(pos, available)) return undefined;
        continue;
      }
      const length = view.getUint32(pos + 4, le);
      if (length < BLOCK_MIN_LENGTH || (length & 3) !== 0 || length > MAX_RECORD_LENGTH) {
        return this.rejectLength(pos, type, length);
      }
      if (available < length) {
        return this.starve(length);
      }
      const trailing = view.getUint32(pos + length - 4, le);
      if (trailing !== length) {
        const offset = this.source.base + pos;
        return this.stopMalformed(offset, length, `${this.numbered(type)} at offset ${offset}: block lengths disagree (${length} at the start, ${trailing} at the end); reading stopped`);
      }
      this.pos = pos + length;
      if (type === BlockType.EnhancedPacket || type === BlockType.Packet) {
        const frame = this.frame;
        frame.number++;
        const problem =
          length < EPB_MIN_LENGTH
            ? `${blockName(type)} length ${length} is below the minimum ${EPB_MIN_LENGTH}; skipped`
            : readTimedPacket(view, this.buf, pos, length, le, type === BlockType.EnhancedPacket, this.interfaces, frame);
        if (problem === undefined) {
          frame.fileOffset = this.source.base + pos;
          return frame;
        }
        this.warn(this.source.base + pos, `packet ${frame.number}: ${problem}`);
      } else if (type === BlockType.SimplePacket) {
        const frame = this.frame;
        frame.number++;
        const problem =
          length < SPB_MIN_LENGTH
            ? `${blockName(type)} length ${length} is below the minimum ${SPB_MIN_LENGTH}; skipped`
            : readSimplePacket(view, this.buf, pos, length, le, this.interfaces, frame);
        if (problem === undefined) {
          frame.fileOffset = this.source.base + pos;
          return frame;
        }
        this.warn(this.source.base + pos, `packet ${frame.number}: ${problem}`);
      } else if (type === BlockType.InterfaceDescription) {
        this.addInterface(pos, length);
      } else if (!KNOWN_NON_PACKET_BLOCKS.has(type) && !this.reportedTypes.has(type)) {
        this.reportedTypes.add(type);
        this.warn(this.source.base + pos, `unknown block type ${hex32(type)} skipped (later blocks of this type not reported)`);
      }
    }
  }

  /** A new SHB: its byte order applies from here on, and interface ids restart (section 4.1). */
  private startSection(pos: number, available: number): boolean {
    const offset = this.source.base + pos;
    const header = readSectionHeader(this.view, pos, available);
    if ('incomplete' in header) {
      if (header.incomplete > MAX_RECORD_LENGTH) {
        this.rejectLength(pos, BlockType.SectionHeader, header.incomplete);
        return false;
      }
      this.starve(header.incomplete);
      return false;
    }
    if ('error' in header) {
      this.stopMalformed(offset, SHB_MIN_LENGTH, `section header block at offset ${offset}: ${header.error}; reading stopped`);
      return false;
    }
    this.littleEndian = header.littleEndian;
    this.interfaces = [];
    this.sections++;
    this.pos = pos + header.length;
    return true;
  }

  private addInterface(pos: number, length: number): void {
    const offset = this.source.base + pos;
    if (length < IDB_MIN_LENGTH) {
      // Still count it: later blocks name interfaces by their position among the section's IDBs.
      this.warn(offset, `interface description block length ${length} is below the minimum ${IDB_MIN_LENGTH}; its packets will be skipped`);
      return;
    }
    const id = this.interfaces.length;
    const iface = readInterface(this.view, pos, length, this.littleEndian, (message) =>
      this.warn(offset, `interface ${id} (section ${this.sections}): ${message}`),
    );
    this.interfaces.push(iface);
    this.noteLinkType(iface.linkType);
  }

  /** The block's name, with the number its packet would have had when it is a packet block. */
  private numbered(type: number): string {
    return isPacketBlock(type) ? `${blockName(type)} (packet ${this.frame.number + 1})` : blockName(type);
  }

  private rejectLength(pos: number, type: number, length: number): undefined {
    const offset = this.source.base + pos;
    const message =
      length > MAX_RECORD_LENGTH
        ? `absurd record length ${length} at offset ${offset} (${blockName(type)}${isPacketBlock(type) ? `, packet ${this.frame.number + 1}` : ''}); reading stopped`
        : `${this.numbered(type)} at offset ${offset} has impossible length ${length} (minimum ${BLOCK_MIN_LENGTH}, multiple of 4); reading stopped`;
    return this.stopMalformed(offset, length, message);
  }

  protected describeCut(offset: number, needed: number, available: number): string {
    if (available < 8) {
      const packets = this.frame.number;
      const where = packets === 0 ? 'before the first packet' : `after packet ${packets}`;
      return `file ends inside a block header at offset ${offset}, ${where}: ${available} of 8 bytes present`;
    }
    const type = this.view.getUint32(this.pos, this.littleEndian);
    const what = this.numbered(type);
    return `file ends inside the ${what} at offset ${offset}: block length ${needed}, ${available} bytes present`;
  }
}

/** Check the first SHB (fatal if it is damaged) and return a reader over the whole file. */
export async function openPcapng(source: ByteSource, path: string): Promise<PcapngReader> {
  const fail = (message: string): CaptureFormatError =>
    new CaptureFormatError(`${path}: ${message}`, path, 0, 'malformed-header');
  if (!(await ensureBytes(source, BLOCK_MIN_LENGTH))) {
    throw fail(`file ends after ${source.length} bytes, inside the pcapng section header block`);
  }
  for (;;) {
    const view = new DataView(source.buffer.buffer, source.buffer.byteOffset, source.buffer.byteLength);
    const header = readSectionHeader(view, 0, source.length);
    if ('error' in header) throw fail(`first block: ${header.error}`);
    if (!('incomplete' in header)) break;
    if (header.incomplete > MAX_RECORD_LENGTH) throw fail(`absurd record length ${header.incomplete} at offset 0 (section header block)`);
    if (!(await ensureBytes(source, header.incomplete))) {
      throw fail(`file ends after ${source.length} bytes, inside the ${header.incomplete}-byte section header block`);
    }
  }
  return new PcapngReader(source, path);
}
