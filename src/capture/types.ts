/**
 * What every capture reader yields: a Frame, a view into the reader's current chunk.
 * The Frame object is reused: it is valid only until the next call to `next()` or `fill()`
 * on the same reader. Consumers copy the numbers they need; they never keep the object or its bytes.
 */
export interface Frame {
  /** 1-based record number in this file (pcapng: counting packet blocks only). */
  number: number;
  /** Byte offset in the file of the record (pcap record header / pcapng block start). */
  fileOffset: number;
  /** libpcap LINKTYPE_* value, per interface in pcapng (never per file). */
  linkType: number;
  /** pcapng interface id (0 for classic pcap). */
  interfaceId: number;
  /** Timestamp: whole seconds since the Unix epoch (if_tsoffset applied)... */
  seconds: number;
  /** ...plus nanoseconds, 0 ≤ nanos < 1e9. */
  nanos: number;
  /** Decimal digits the file really has for the fraction (6 for µs pcap, 9 for ns). */
  precision: number;
  /** Length on the wire (orig_len). */
  originalLength: number;
  /**
   * The reader's current chunk: the captured bytes are `chunk[dataOffset, dataOffset + dataLength)`.
   * The hot path reads them there, so that no view object is created per packet.
   */
  readonly chunk: Uint8Array;
  readonly dataOffset: number;
  /** incl_len / captured length. */
  readonly dataLength: number;
  /** The captured bytes as a subarray view (created on each read, never a copy). */
  readonly data: Uint8Array;
}

/** Container formats synfin reads. */
export type CaptureFormat = 'pcap' | 'pcapng';

/** Where a reader stopped early because the file ends inside a record. */
export interface Truncation {
  /** Offset of the record (or block) that is cut. */
  offset: number;
  /** Bytes the record needed (header + declared length) and bytes that were left. */
  needed: number;
  available: number;
  message: string;
  /**
   * `truncated` (default): the input ends inside the record. `malformed`: a length field is
   * impossible (absurd size, block lengths that disagree), so the rest of the file cannot be framed.
   */
  kind?: 'truncated' | 'malformed';
}

/** A non-fatal, file-level problem found while reading (unknown block, odd option, absurd length). */
export interface CaptureWarning {
  offset: number;
  message: string;
}

/**
 * Pull interface over a capture: `next()` is synchronous and returns whole records from the
 * chunk in memory; when it returns undefined, `await fill()` reads the next chunk (keeping any
 * partial record) and resolves false at the end of input. No per-packet promise.
 *
 *   for (;;) { let f; while ((f = r.next())) use(f); if (!(await r.fill())) break; }
 */
export interface CaptureReader {
  readonly path: string;
  readonly format: CaptureFormat;
  /** Distinct link types of all interfaces seen so far, in the order first seen (pcap: one). */
  readonly linkTypes: readonly number[];
  /** Bytes consumed so far (for progress). */
  readonly bytesRead: number;
  /** Total size when known (regular files), else undefined (stdin). */
  readonly totalBytes: number | undefined;
  /**
   * Set when reading stopped early: the input ended inside a record, or a record's length was
   * impossible (`kind: 'malformed'`). Every whole record before it was yielded.
   */
  readonly truncated: Truncation | undefined;
  readonly warnings: readonly CaptureWarning[];
  next(): Frame | undefined;
  fill(): Promise<boolean>;
  close(): Promise<void>;
}
