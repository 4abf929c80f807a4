/**
 * Build classic pcap and pcapng capture files byte by byte for tests.
 *
 * Defaults give a valid file; every length field can be overridden and the result can be cut at any
 * byte, to build damaged files.
 *
 *   const pcap = buildPcap({ linkType: 1, records: [{ seconds: 1, fraction: 500, data: frame }] });
 *   const ng = buildPcapng({ sections: [{
 *     interfaces: [{ linkType: 1, tsresol: 9 }],
 *     blocks: [{ type: 'epb', interfaceId: 0, timestamp: 1_500_000_000_123_456_789, data: frame }],
 *   }] });
 *
 * Wire layouts: classic pcap per draft-ietf-opsawg-pcap; pcapng per draft-ietf-opsawg-pcapng
 * (section 4 general block structure, 4.1 SHB, 4.2 IDB, 4.3 EPB, 4.4 SPB, appendix A obsolete PB).
 */

import { concat } from './packet-builder.js';

// ─── byte writer ─────────────────────────────────────────────────────────────────────────────

/** Grows as needed; writes integers in a chosen byte order. */
class ByteWriter {
  private bytes = new Uint8Array(256);
  length = 0;
  constructor(private readonly bigEndian: boolean) {}

  private room(extra: number): void {
    if (this.length + extra <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.length + extra));
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
  }

  u8(value: number): this {
    this.room(1);
    this.bytes[this.length++] = value & 0xff;
    return this;
  }

  u16(value: number): this {
    this.room(2);
    new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength).setUint16(
      this.length,
      value & 0xffff,
      !this.bigEndian,
    );
    this.length += 2;
    return this;
  }

  u32(value: number): this {
    this.room(4);
    new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength).setUint32(
      this.length,
      value >>> 0,
      !this.bigEndian,
    );
    this.length += 4;
    return this;
  }

  /** 64-bit value given as a JS integer (|value| ≤ 2^53) or a bigint; two's complement if negative. */
  u64(value: number | bigint): this {
    const big = BigInt.asUintN(64, BigInt(value));
    const high = Number(big >> 32n);
    const low = Number(big & 0xffffffffn);
    return this.bigEndian ? this.u32(high).u32(low) : this.u32(low).u32(high);
  }

  raw(data: Uint8Array | readonly number[]): this {
    this.room(data.length);
    this.bytes.set(data, this.length);
    this.length += data.length;
    return this;
  }

  /** Zero bytes up to the next multiple of 4 (pcapng pads every variable field to 32 bits). */
  pad4(): this {
    while (this.length % 4 !== 0) this.u8(0);
    return this;
  }

  /** Overwrite a 32-bit value already written (block total length). */
  patch32(offset: number, value: number): void {
    new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength).setUint32(
      offset,
      value >>> 0,
      !this.bigEndian,
    );
  }

  done(): Uint8Array {
    return this.bytes.slice(0, this.length);
  }
}

function toBytes(data: Uint8Array | readonly number[] | string | undefined): Uint8Array {
  if (data === undefined) return new Uint8Array(0);
  if (typeof data === 'string') return new TextEncoder().encode(data);
  return data instanceof Uint8Array ? data : Uint8Array.from(data);
}

/** Concatenate byte strings (to splice files or blocks together by hand). */
export const joinBytes = concat;

/** `n` bytes counting up from `start` (mod 256): recognisable packet payloads. */
export function patternBytes(n: number, start = 0): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (start + i) & 0xff;
  return out;
}

// ─── classic pcap ────────────────────────────────────────────────────────────────────────────

export interface PcapRecordSpec {
  seconds: number;
  /** Microseconds, or nanoseconds when the file is `nanosecond`. Default 0. */
  fraction?: number;
  /** Captured bytes (written in full even if `includedLength` says otherwise). */
  data: Uint8Array | readonly number[] | string;
  /** orig_len; default data.length. */
  originalLength?: number;
  /** incl_len written in the header; default data.length (override to build damaged records). */
  includedLength?: number;
}

export interface PcapSpec {
  /** LINKTYPE_* (low 16 bits of the header field). Default 1 (Ethernet). */
  linkType?: number;
  /** Raw value for the whole 32-bit link-type field (FCS bits etc.); overrides `linkType`. */
  linkTypeField?: number;
  /** Magic a1b23c4d (fraction in ns) instead of a1b2c3d4 (µs). */
  nanosecond?: boolean;
  /** Write every field big-endian (default little-endian). */
  bigEndian?: boolean;
  /** Default 262144. */
  snaplen?: number;
  versionMajor?: number;
  versionMinor?: number;
  records?: readonly PcapRecordSpec[];
  /** Keep only the first `cutAt` bytes of the file. */
  cutAt?: number;
}

export const PCAP_FILE_HEADER_LENGTH = 24;
export const PCAP_RECORD_HEADER_LENGTH = 16;

/** The 24-byte pcap file header alone. */
export function pcapFileHeader(spec: Omit<PcapSpec, 'records' | 'cutAt'> = {}): Uint8Array {
  const w = new ByteWriter(spec.bigEndian ?? false);
  w.u32(spec.nanosecond ? 0xa1b23c4d : 0xa1b2c3d4)
    .u16(spec.versionMajor ?? 2)
    .u16(spec.versionMinor ?? 4)
    .u32(0) // thiszone
    .u32(0) // sigfigs
    .u32(spec.snaplen ?? 262144)
    .u32(spec.linkTypeField ?? spec.linkType ?? 1);
  return w.done();
}

/** One record: 16-byte header + data, in the given byte order. */
export function pcapRecord(record: PcapRecordSpec, bigEndian = false): Uint8Array {
  const data = toBytes(record.data);
  const w = new ByteWriter(bigEndian);
  w.u32(record.seconds)
    .u32(record.fraction ?? 0)
    .u32(record.includedLength ?? data.length)
    .u32(record.originalLength ?? data.length)
    .raw(data);
  return w.done();
}

/** A whole classic pcap file. */
export function buildPcap(spec: PcapSpec): Uint8Array {
  const parts = [pcapFileHeader(spec)];
  for (const record of spec.records ?? []) parts.push(pcapRecord(record, spec.bigEndian ?? false));
  const file = joinBytes(...parts);
  return spec.cutAt === undefined ? file : file.slice(0, spec.cutAt);
}

/** File offsets of each record in a file built by buildPcap (for truncation tests). */
export function pcapRecordOffsets(spec: PcapSpec): number[] {
  const offsets: number[] = [];
  let offset = PCAP_FILE_HEADER_LENGTH;
  for (const record of spec.records ?? []) {
    offsets.push(offset);
    offset += PCAP_RECORD_HEADER_LENGTH + toBytes(record.data).length;
  }
  return offsets;
}

// ─── pcapng ──────────────────────────────────────────────────────────────────────────────────

/** Block type codes (draft-ietf-opsawg-pcapng section 11.1). */
export const BlockType = {
  ObsoletePacket: 0x00000002,
  InterfaceDescription: 0x00000001,
  SimplePacket: 0x00000003,
  NameResolution: 0x00000004,
  InterfaceStatistics: 0x00000005,
  EnhancedPacket: 0x00000006,
  DecryptionSecrets: 0x0000000a,
  Custom: 0x00000bad,
  CustomNoCopy: 0x40000bad,
  SectionHeader: 0x0a0d0d0a,
} as const;

export interface PcapngOption {
  code: number;
  value: Uint8Array | readonly number[] | string;
}

export interface InterfaceSpec {
  linkType: number;
  /** Default 0 (no limit). */
  snaplen?: number;
  /** Raw if_tsresol byte (option 9): n = 10^-n; 0x80|n = 2^-n. Omitted = default 10^-6. */
  tsresol?: number;
  /** if_tsoffset (option 14), whole seconds added to every timestamp (may be negative). */
  tsoffset?: number;
  /** Further options (written after tsresol/tsoffset, before opt_endofopt). */
  options?: readonly PcapngOption[];
}

interface BlockOverrides {
  /** Leading block-total-length field; default the real length. */
  totalLength?: number;
  /** Trailing copy of the block total length; default the leading value. */
  trailingLength?: number;
}

/** Timestamp in interface units: a safe integer/bigint, or the two 32-bit halves as written. */
export type Timestamp = number | bigint | { high: number; low: number };

export type BlockSpec =
  | ({
      type: 'epb';
      interfaceId?: number;
      /** In units of the interface's if_tsresol. Default 0. */
      timestamp?: Timestamp;
      data: Uint8Array | readonly number[] | string;
      /** Default data.length. */
      originalLength?: number;
      /** Captured length written in the header; default data.length. */
      capturedLength?: number;
      options?: readonly PcapngOption[];
    } & BlockOverrides)
  | ({
      type: 'spb';
      data: Uint8Array | readonly number[] | string;
      /** Original packet length; default data.length. */
      originalLength?: number;
    } & BlockOverrides)
  | ({
      /** Obsolete Packet Block (type 2, appendix A). */
      type: 'pb';
      interfaceId?: number;
      dropsCount?: number;
      timestamp?: Timestamp;
      data: Uint8Array | readonly number[] | string;
      originalLength?: number;
      capturedLength?: number;
    } & BlockOverrides)
  | ({ type: 'idb' } & InterfaceSpec & BlockOverrides)
  | ({
      /** Any other block: its type code and body (padded to 4 bytes). */
      type: 'raw';
      blockType: number;
      body?: Uint8Array | readonly number[] | string;
    } & BlockOverrides);

export interface SectionSpec {
  bigEndian?: boolean;
  versionMajor?: number;
  versionMinor?: number;
  /** Section length field; default -1 (not given). */
  sectionLength?: number;
  shbOptions?: readonly PcapngOption[];
  /** IDBs written right after the SHB, in order (interface ids 0, 1, ...). */
  interfaces?: readonly InterfaceSpec[];
  /** Blocks after the IDBs, in order. */
  blocks?: readonly BlockSpec[];
  /** Overrides for the SHB's own length fields. */
  shb?: BlockOverrides;
}

export interface PcapngSpec {
  sections: readonly SectionSpec[];
  /** Keep only the first `cutAt` bytes of the file. */
  cutAt?: number;
}

function writeOptions(w: ByteWriter, options: readonly PcapngOption[]): void {
  if (options.length === 0) return;
  for (const option of options) {
    const value = toBytes(option.value);
    w.u16(option.code).u16(value.length).raw(value).pad4();
  }
  w.u16(0).u16(0); // opt_endofopt
}

/** Wrap a body as a block: type, total length, body padded to 4, total length again. */
function block(bigEndian: boolean, type: number, writeBody: (w: ByteWriter) => void, overrides: BlockOverrides = {}): Uint8Array {
  const w = new ByteWriter(bigEndian);
  w.u32(type).u32(0);
  writeBody(w);
  w.pad4();
  const length = w.length + 4;
  const leading = overrides.totalLength ?? length;
  w.u32(overrides.trailingLength ?? leading);
  w.patch32(4, leading);
  return w.done();
}

function writeTimestamp(w: ByteWriter, timestamp: Timestamp | undefined): void {
  if (typeof timestamp === 'object' && timestamp !== null) {
    w.u32(timestamp.high).u32(timestamp.low);
    return;
  }
  const big = BigInt.asUintN(64, BigInt(timestamp ?? 0));
  // Always high word first, each word in the section's byte order (section 4.3).
  w.u32(Number(big >> 32n)).u32(Number(big & 0xffffffffn));
}

/** Section Header Block (section 4.1). */
export function sectionHeaderBlock(section: SectionSpec = {}): Uint8Array {
  return block(
    section.bigEndian ?? false,
    BlockType.SectionHeader,
    (w) => {
      w.u32(0x1a2b3c4d)
        .u16(section.versionMajor ?? 1)
        .u16(section.versionMinor ?? 0)
        .u64(section.sectionLength ?? -1);
      writeOptions(w, section.shbOptions ?? []);
    },
    section.shb,
  );
}

/** Interface Description Block (section 4.2). */
export function interfaceBlock(spec: InterfaceSpec & BlockOverrides, bigEndian = false): Uint8Array {
  return block(
    bigEndian,
    BlockType.InterfaceDescription,
    (w) => {
      w.u16(spec.linkType).u16(0).u32(spec.snaplen ?? 0);
      const options: PcapngOption[] = [];
      if (spec.tsresol !== undefined) options.push({ code: 9, value: [spec.tsresol] });
      if (spec.tsoffset !== undefined) {
        const o = new ByteWriter(bigEndian).u64(spec.tsoffset).done();
        options.push({ code: 14, value: o });
      }
      options.push(...(spec.options ?? []));
      writeOptions(w, options);
    },
    spec,
  );
}

/** Any block of a section other than the SHB. */
export function pcapngBlock(spec: BlockSpec, bigEndian = false): Uint8Array {
  switch (spec.type) {
    case 'idb':
      return interfaceBlock(spec, bigEndian);
    case 'epb': {
      const data = toBytes(spec.data);
      return block(
        bigEndian,
        BlockType.EnhancedPacket,
        (w) => {
          w.u32(spec.interfaceId ?? 0);
          writeTimestamp(w, spec.timestamp);
          w.u32(spec.capturedLength ?? data.length)
            .u32(spec.originalLength ?? data.length)
            .raw(data)
            .pad4();
          writeOptions(w, spec.options ?? []);
        },
        spec,
      );
    }
    case 'spb': {
      const data = toBytes(spec.data);
      return block(bigEndian, BlockType.SimplePacket, (w) => w.u32(spec.originalLength ?? data.length).raw(data), spec);
    }
    case 'pb': {
      const data = toBytes(spec.data);
      return block(
        bigEndian,
        BlockType.ObsoletePacket,
        (w) => {
          w.u16(spec.interfaceId ?? 0).u16(spec.dropsCount ?? 0);
          writeTimestamp(w, spec.timestamp);
          w.u32(spec.capturedLength ?? data.length)
            .u32(spec.originalLength ?? data.length)
            .raw(data);
        },
        spec,
      );
    }
    case 'raw':
      return block(bigEndian, spec.blockType, (w) => w.raw(toBytes(spec.body)), spec);
  }
}

/** A whole pcapng file, one SHB per section. */
export function buildPcapng(spec: PcapngSpec): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const section of spec.sections) {
    const bigEndian = section.bigEndian ?? false;
    parts.push(sectionHeaderBlock(section));
    for (const iface of section.interfaces ?? []) parts.push(interfaceBlock(iface, bigEndian));
    for (const b of section.blocks ?? []) parts.push(pcapngBlock(b, bigEndian));
  }
  const file = joinBytes(...parts);
  return spec.cutAt === undefined ? file : file.slice(0, spec.cutAt);
}

/** File offsets of every block in a file built by buildPcapng, with its kind (for cut tests). */
export function pcapngBlockOffsets(spec: PcapngSpec): { offset: number; kind: string; length: number }[] {
  const out: { offset: number; kind: string; length: number }[] = [];
  let offset = 0;
  const add = (kind: string, bytes: Uint8Array): void => {
    out.push({ offset, kind, length: bytes.length });
    offset += bytes.length;
  };
  for (const section of spec.sections) {
    const bigEndian = section.bigEndian ?? false;
    add('shb', sectionHeaderBlock(section));
    for (const iface of section.interfaces ?? []) add('idb', interfaceBlock(iface, bigEndian));
    for (const b of section.blocks ?? []) add(b.type, pcapngBlock(b, bigEndian));
  }
  return out;
}
