/**
 * Text to UTF-8 in chunks of about a MiB, for writing large output piece by piece. Each piece
 * is encoded straight into the chunk: joining the pieces into one long string first made V8
 * flatten it, which cost several times the encoding.
 */

const CHUNK_BYTES = 1 << 20;
/** A UTF-16 code unit never takes more than 3 bytes of UTF-8 (a surrogate pair takes 4 for 2). */
const MAX_BYTES_PER_UNIT = 3;

export class Utf8Chunks {
  private chunk = Buffer.allocUnsafeSlow(CHUNK_BYTES);
  private used = 0;

  constructor(private readonly chunkBytes = CHUNK_BYTES) {
    if (chunkBytes !== CHUNK_BYTES) this.chunk = Buffer.allocUnsafeSlow(chunkBytes);
  }

  /**
   * Adds `text`; returns the chunk it filled, if it did. A returned chunk is never written
   * again (a stream may still hold it), so it can go straight to `write`.
   */
  add(text: string): Uint8Array | undefined {
    const worst = text.length * MAX_BYTES_PER_UNIT;
    if (this.used + worst <= this.chunkBytes) {
      this.used += this.chunk.write(text, this.used, 'utf8');
      return undefined;
    }
    const full = this.take();
    if (worst > this.chunkBytes) {
      // Longer than a chunk on its own: its own chunk, after the one it did not fit in.
      const own = Buffer.from(text, 'utf8');
      return full === undefined ? own : Buffer.concat([full, own]);
    }
    this.used = this.chunk.write(text, 0, 'utf8');
    return full;
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
