/**
 * Text to UTF-8 in chunks of 256 KiB, for writing large output piece by piece. Each piece
 * is encoded straight into the chunk: joining the pieces into one long string first made V8
 * flatten it, which cost several times the encoding.
 */

/** Up to three chunks are alive (filling, written, spare); 1 MiB ones cost ~2 MB of RSS and no speed. */
const CHUNK_BYTES = 1 << 18;
/** A UTF-16 code unit never takes more than 3 bytes of UTF-8 (a surrogate pair takes 4 for 2). */
const MAX_BYTES_PER_UNIT = 3;

export class Utf8Chunks {
  private chunk: Buffer = Buffer.allocUnsafeSlow(CHUNK_BYTES);
  private used = 0;
  /** A handed-out chunk its reader is done with, to fill again instead of touching new memory. */
  private spare: Buffer | undefined;
  /** The chunk handed out last: the only one release() takes back. */
  private handedOut: Buffer | undefined;

  constructor(private readonly chunkBytes = CHUNK_BYTES) {
    if (chunkBytes !== CHUNK_BYTES) this.chunk = Buffer.allocUnsafeSlow(chunkBytes);
  }

  /**
   * Adds `text`; returns the chunk it filled, if it did. A returned chunk is not written again
   * unless it is given back with release(), so it can go straight to a stream that may hold it.
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

  /**
   * add() for a generator that hands chunks to a reader: yields the chunk `text` filled, if it
   * did, and fills it again once the reader answers true (written out, held no more).
   */
  *emit(text: string): Generator<Uint8Array, void, boolean | undefined> {
    const full = this.add(text);
    if (full !== undefined && (yield full) === true) this.release(full);
  }

  /** What is left; undefined when nothing is. */
  take(): Uint8Array | undefined {
    if (this.used === 0) return undefined;
    const full = this.chunk.subarray(0, this.used);
    this.handedOut = this.chunk;
    this.chunk = this.spare ?? Buffer.allocUnsafeSlow(this.chunkBytes);
    this.spare = undefined;
    this.used = 0;
    return full;
  }

  /**
   * Gives back the chunk handed out last, once it was written out and is referenced no more:
   * filling fresh memory for every chunk cost more than encoding into it on a 100k-connection
   * capture, and the freed chunks stayed in the process.
   */
  release(chunk: Uint8Array): void {
    const last = this.handedOut;
    if (last !== undefined && chunk.buffer === last.buffer) {
      this.spare = last;
      this.handedOut = undefined;
    }
  }
}
