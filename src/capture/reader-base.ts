import { CaptureFormatError } from '../errors.js';
import { ChunkFrame } from './frame.js';
import { MAX_WARNINGS } from './limits.js';
import type { ByteSource } from './source.js';
import type { CaptureFormat, CaptureReader, CaptureWarning, Frame, Truncation } from './types.js';

/**
 * What the pcap and pcapng readers share: the window over the source (`buf[pos, end)` unread),
 * the reused Frame, refilling, and how reading stops (end of input, cut record, malformed length).
 * Subclasses implement next() and say how many bytes from `pos` the next record needs.
 */
export abstract class ChunkedReader implements CaptureReader {
  abstract readonly format: CaptureFormat;
  readonly linkTypes: number[] = [];
  truncated: Truncation | undefined;
  readonly warnings: CaptureWarning[] = [];

  protected buf: Uint8Array;
  /** Over the whole of `buf`, created once per buffer (explicit byteOffset and byteLength). */
  protected view: DataView;
  protected pos: number;
  protected end: number;
  /** Bytes from `pos` that the next record needs; set by next() before it returns undefined. */
  protected needed = 1;
  /** next() has returned undefined for want of bytes since the last refill. */
  private starved = false;
  protected stopped = false;
  private suppressedWarnings = 0;

  protected readonly frame = new ChunkFrame();

  constructor(
    protected readonly source: ByteSource,
    readonly path: string,
    /** Offset in the source's buffer where records start (after the file header). */
    start: number,
  ) {
    this.buf = source.buffer;
    this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
    this.pos = start;
    this.end = source.length;
  }

  get bytesRead(): number {
    return this.source.base + this.pos;
  }

  get totalBytes(): number | undefined {
    return this.source.totalBytes;
  }

  abstract next(): Frame | undefined;

  /** How to name the record that the input ends inside, for the truncation message. */
  protected abstract describeCut(offset: number, needed: number, available: number): string;

  async fill(): Promise<boolean> {
    if (this.stopped) return false;
    const source = this.source;
    if (!source.eof) {
      const base = source.base;
      let more: boolean;
      try {
        more = await source.refill(this.pos, this.needed);
      } catch (error) {
        this.stopped = true;
        if (error instanceof CaptureFormatError) throw error;
        const offset = base + this.pos;
        const detail = error instanceof Error ? error.message : String(error);
        throw new CaptureFormatError(`${this.path}: read failed at offset ${offset}: ${detail}`, this.path, offset, 'unreadable');
      }
      this.pos -= source.base - base;
      this.end = source.length;
      if (source.buffer !== this.buf) {
        this.buf = source.buffer;
        this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
      }
      this.starved = false;
      if (more || !source.eof) return true;
      // The input just ended: bytes still held may be whole records; next() takes those first.
      if (this.end > this.pos) return true;
    } else if (!this.starved && this.end > this.pos) {
      // fill() called before next() ran out of whole records.
      return true;
    }
    this.finish();
    return false;
  }

  /** End of input: whatever is left is the start of a record that the file does not complete. */
  private finish(): void {
    this.stopped = true;
    const problem = this.source.endProblem;
    if (problem !== undefined) this.warn(this.bytesRead, `input ended early: ${problem}`);
    const available = this.end - this.pos;
    if (available > 0) {
      const offset = this.bytesRead;
      const needed = Math.max(this.needed, available + 1);
      this.truncated = { offset, needed, available, message: this.describeCut(offset, needed, available), kind: 'truncated' };
    }
  }

  /** next() cannot go on without `needed` bytes from `pos`. */
  protected starve(needed: number): undefined {
    this.needed = needed;
    this.starved = true;
    return undefined;
  }

  async close(): Promise<void> {
    this.stopped = true;
    await this.source.close();
  }

  /** Stop reading for good: a length field cannot be right, so nothing after it can be framed. */
  protected stopMalformed(offset: number, needed: number, message: string): undefined {
    const total = this.source.totalBytes;
    const available = total !== undefined ? Math.max(0, total - offset) : this.end - this.pos;
    this.truncated = { offset, needed, available, message, kind: 'malformed' };
    this.stopped = true;
    return undefined;
  }

  /** Record a non-fatal problem; after MAX_WARNINGS, only a count is kept. */
  protected warn(offset: number, message: string): void {
    if (this.warnings.length < MAX_WARNINGS) {
      this.warnings.push({ offset, message });
      return;
    }
    this.suppressedWarnings++;
    const last = this.warnings[MAX_WARNINGS];
    const summary = `${this.suppressedWarnings} further warning(s) not listed`;
    if (last === undefined) this.warnings.push({ offset, message: summary });
    else last.message = summary;
  }

  /** Remember a link type (distinct, in the order first seen). */
  protected noteLinkType(linkType: number): void {
    if (!this.linkTypes.includes(linkType)) this.linkTypes.push(linkType);
  }
}
