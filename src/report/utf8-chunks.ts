/**
 * Output as UTF-8 in chunks of about a MiB, written piece by piece straight into the chunk.
 * Building each connection's text as a string first cost more than everything else in the
 * report: a template of ~70 pieces leaves ~70 string nodes, which V8 then flattens into a copy
 * before encoding it, and the collector sweeps up all three.
 *
 * Two ways in: add(text) for whole strings, or reserve(bytes) followed by the small writers
 * (ascii, text, integer, number) for a record whose size is bounded in advance.
 */

const CHUNK_BYTES = 1 << 20;
/** A UTF-16 code unit never takes more than 3 bytes of UTF-8 (a surrogate pair takes 4 for 2). */
export const MAX_BYTES_PER_UNIT = 3;
const DIGIT_0 = 0x30;

export class Utf8Chunks {
  private chunk: Buffer;
  private used = 0;

  constructor(private readonly chunkBytes = CHUNK_BYTES) {
    this.chunk = Buffer.allocUnsafeSlow(chunkBytes);
  }

  /**
   * Adds `text`; returns the chunk it filled, if it did. A returned chunk is never written
   * again (a stream may still hold it), so it can go straight to `write`.
   */
  add(text: string): Uint8Array | undefined {
    const full = this.reserve(text.length * MAX_BYTES_PER_UNIT);
    this.text(text);
    return full;
  }

  /**
   * Makes room for `bytes` more bytes; returns the chunk that had too little, if one did. The
   * writers below do not check room: callers reserve the most a record can take first.
   */
  reserve(bytes: number): Uint8Array | undefined {
    if (this.used + bytes <= this.chunk.length) return undefined;
    const full = this.take();
    // A record longer than a chunk gets a chunk of its own size.
    if (bytes > this.chunk.length) this.chunk = Buffer.allocUnsafeSlow(bytes);
    return full;
  }

  /** Bytes already encoded (constant parts of a layout). */
  ascii(bytes: Uint8Array): void {
    this.chunk.set(bytes, this.used);
    this.used += bytes.length;
  }

  text(text: string): void {
    this.used += this.chunk.write(text, this.used, 'utf8');
  }

  /** A non-negative integer below 2^31 in decimal, else as JSON writes the number. */
  integer(value: number): void {
    if (!(value >= 0 && value < 0x80000000 && value === Math.floor(value))) {
      this.number(value);
      return;
    }
    const chunk = this.chunk;
    let digits = 1;
    for (let rest = value; rest >= 10; rest = Math.floor(rest / 10)) digits++;
    let at = this.used + digits;
    this.used = at;
    let rest = value;
    do {
      chunk[--at] = DIGIT_0 + (rest % 10);
      rest = Math.floor(rest / 10);
    } while (rest > 0);
  }

  /** A number as JSON writes it: non-finite numbers become null. */
  number(value: number): void {
    this.used += this.chunk.write(Number.isFinite(value) ? String(value) : 'null', this.used, 'latin1');
  }

  /** What is left; undefined when nothing is. */
  take(): Uint8Array | undefined {
    if (this.used === 0) return undefined;
    const full = this.chunk.subarray(0, this.used);
    this.chunk = Buffer.allocUnsafeSlow(this.chunkBytes);
    this.used = 0;
    return full;
  }
}
