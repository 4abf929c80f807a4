import type { Frame } from './types.js';

/** The one Frame a reader refills for every record; `data` is made only for callers that ask for it. */
export class ChunkFrame implements Frame {
  number = 0;
  fileOffset = 0;
  linkType = 0;
  interfaceId = 0;
  seconds = 0;
  nanos = 0;
  precision = 6;
  originalLength = 0;
  chunk: Uint8Array = new Uint8Array(0);
  dataOffset = 0;
  dataLength = 0;

  get data(): Uint8Array {
    return this.chunk.subarray(this.dataOffset, this.dataOffset + this.dataLength);
  }

  /** Point at the captured bytes `chunk[offset, offset + length)`. */
  setData(chunk: Uint8Array, offset: number, length: number): void {
    this.chunk = chunk;
    this.dataOffset = offset;
    this.dataLength = length;
  }
}
