import { DEFAULT_CHUNK_SIZE } from './limits.js';

/** Where the bytes come from: a file descriptor, a stream, or an array in memory. */
export interface Puller {
  /** Read up to `length` bytes into `target` at `offset`; resolves the count, 0 at end of input. */
  pull(target: Uint8Array, offset: number, length: number): Promise<number>;
  /** Why the input ended early (e.g. a cut gzip stream), read once pull() has resolved 0. */
  readonly endProblem?: string | undefined;
  close(): Promise<void>;
}

export interface SourceOptions {
  /** Bytes per read; default 1 MiB. Tests use tiny chunks to make records straddle reads. */
  chunkSize?: number;
  /** Size of the input when known (regular files, memory). */
  totalBytes?: number | undefined;
}

/**
 * A window over the input: `buffer[0, length)` holds the bytes from file offset `base` on.
 * The buffer is reused from chunk to chunk: refill() moves the unconsumed tail (a partial record)
 * to the front and reads after it. It grows only when one record is larger than it, and only as
 * that record's bytes arrive, up to MAX_RECORD_LENGTH (the readers reject longer records before
 * asking for them).
 */
export class ByteSource {
  buffer: Uint8Array;
  length: number;
  base = 0;
  eof: boolean;
  readonly totalBytes: number | undefined;
  private readonly chunkSize: number;

  constructor(
    private readonly puller: Puller | undefined,
    options: SourceOptions = {},
    /** Bytes already in hand: the whole input when there is no puller. */
    initial?: Uint8Array,
  ) {
    this.chunkSize = Math.max(1, Math.floor(options.chunkSize ?? DEFAULT_CHUNK_SIZE));
    this.totalBytes = options.totalBytes;
    if (puller === undefined) {
      this.buffer = initial ?? new Uint8Array(0);
      this.length = this.buffer.length;
      this.eof = true;
    } else {
      // A small file gets a small buffer: no 1 MiB allocation to read 100 bytes.
      const known = options.totalBytes;
      const size = known !== undefined && known > 0 ? Math.min(this.chunkSize, known) : this.chunkSize;
      this.buffer = new Uint8Array(Math.max(size, initial?.length ?? 0));
      this.length = 0;
      if (initial !== undefined) {
        this.buffer.set(initial);
        this.length = initial.length;
      }
      this.eof = false;
    }
  }

  /** Why the input ended early, if it did (set once eof is reached). */
  get endProblem(): string | undefined {
    return this.eof ? this.puller?.endProblem : undefined;
  }

  /**
   * Drop the first `consumed` bytes, then read until at least `needed` bytes are held or the input
   * ends. Resolves false when no byte was added (end of input).
   */
  async refill(consumed: number, needed: number): Promise<boolean> {
    // Input held in memory is never moved (it may be the caller's array) and never grows.
    if (this.puller === undefined) return false;
    if (consumed > 0) {
      if (consumed < this.length) this.buffer.copyWithin(0, consumed, this.length);
      this.length = Math.max(0, this.length - consumed);
      this.base += consumed;
    }
    if (this.eof) return false;
    let added = 0;
    for (;;) {
      // Grow as bytes arrive, never ahead of them: a corrupt length that claims megabytes in a
      // short input costs what the input holds, not what the length says.
      if (this.length === this.buffer.length && this.length < needed) this.grow(needed);
      const room = this.buffer.length - this.length;
      if (room === 0) break;
      const n = await this.puller.pull(this.buffer, this.length, Math.min(room, this.chunkSize));
      if (n === 0) {
        this.eof = true;
        break;
      }
      this.length += n;
      added += n;
      if (this.length >= needed) break;
    }
    return added > 0;
  }

  /** Double the buffer (at least one chunk more), capped at `needed`: copies stay linear in the input. */
  private grow(needed: number): void {
    const size = Math.min(needed, Math.max(this.buffer.length * 2, this.length + this.chunkSize));
    const grown = new Uint8Array(size);
    grown.set(this.buffer.subarray(0, this.length));
    this.buffer = grown;
  }

  async close(): Promise<void> {
    await this.puller?.close();
  }
}

/** Reads an array in memory chunk by chunk (to test record straddling); no copy otherwise. */
export class MemoryPuller implements Puller {
  private offset = 0;
  constructor(private readonly bytes: Uint8Array) {}

  pull(target: Uint8Array, offset: number, length: number): Promise<number> {
    const n = Math.min(length, this.bytes.length - this.offset);
    target.set(this.bytes.subarray(this.offset, this.offset + n), offset);
    this.offset += n;
    return Promise.resolve(n);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

/** Read until the source holds at least `count` bytes from its start; false if the input is shorter. */
export async function ensureBytes(source: ByteSource, count: number): Promise<boolean> {
  while (source.length < count) {
    if (!(await source.refill(0, count))) return source.length >= count;
  }
  return true;
}
