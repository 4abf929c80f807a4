import { Readable } from 'node:stream';
import type { Puller } from './source.js';

/**
 * Pulls from a Node stream in paused mode: `read()` drains what the stream has buffered, and
 * only when it has nothing does pull() wait for 'readable' or 'end'. Returns as soon as some bytes
 * are copied, so a slow producer (a live `tcpdump -w -`) is not held up until a whole chunk fills.
 */
export class StreamPuller implements Puller {
  private readonly stream: Readable;
  private pending: Uint8Array | undefined;
  private pendingOffset = 0;
  private ended = false;
  private failure: Error | undefined;
  private wake: (() => void) | undefined;
  endProblem: string | undefined;

  private readonly onReadable = (): void => this.notify();
  private readonly onEnd = (): void => {
    this.ended = true;
    this.notify();
  };
  private readonly onError = (error: Error): void => {
    this.failure = error;
    this.notify();
  };

  /**
   * @param errorEndsInput when true (decompressed input), a stream error ends the input like EOF
   *   and is reported as `endProblem`; otherwise pull() rejects with it.
   */
  constructor(
    input: NodeJS.ReadableStream,
    private readonly errorEndsInput = false,
    private readonly owned = false,
  ) {
    this.stream = input instanceof Readable ? input : new Readable().wrap(input);
    this.stream.on('readable', this.onReadable);
    this.stream.on('end', this.onEnd);
    this.stream.on('error', this.onError);
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  async pull(target: Uint8Array, offset: number, length: number): Promise<number> {
    for (;;) {
      if (this.pending !== undefined) {
        const n = Math.min(length, this.pending.length - this.pendingOffset);
        target.set(this.pending.subarray(this.pendingOffset, this.pendingOffset + n), offset);
        this.pendingOffset += n;
        if (this.pendingOffset >= this.pending.length) this.pending = undefined;
        return n;
      }
      if (this.failure !== undefined) {
        if (!this.errorEndsInput) throw this.failure;
        this.endProblem ??= this.failure.message;
        return 0;
      }
      const chunk: unknown = this.stream.read();
      if (chunk !== null && chunk !== undefined) {
        this.pending = typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : (chunk as Uint8Array);
        this.pendingOffset = 0;
        continue;
      }
      if (this.ended || this.stream.readableEnded || this.stream.destroyed) {
        if (this.failure !== undefined) continue;
        return 0;
      }
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  close(): Promise<void> {
    this.stream.off('readable', this.onReadable);
    this.stream.off('end', this.onEnd);
    // The 'error' listener stays: an error after close must not become an uncaught exception.
    // A stream we created (file stream, gunzip) is ours to destroy; a caller's stream is not.
    if (this.owned) this.stream.destroy();
    this.notify();
    return Promise.resolve();
  }
}
