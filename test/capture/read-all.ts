import { openCapture, type CaptureInput, type OpenCaptureOptions } from '../../src/capture/open.js';
import type { CaptureReader, Frame } from '../../src/capture/types.js';

/**
 * A Frame copied out of the reader (the reader's own object and bytes are reused), bytes as hex.
 * Where the bytes sat in the reader's chunk depends on the chunk size, so only the bytes are kept.
 */
export type FrameCopy = Omit<Frame, 'data' | 'chunk' | 'dataOffset' | 'dataLength'> & { data: string };

export function copyFrame(frame: Frame): FrameCopy {
  const { number, fileOffset, linkType, interfaceId, seconds, nanos, precision, originalLength } = frame;
  return { number, fileOffset, linkType, interfaceId, seconds, nanos, precision, originalLength, data: Buffer.from(frame.data).toString('hex') };
}

/** Drain a reader with the documented loop. */
export async function drain(reader: CaptureReader): Promise<FrameCopy[]> {
  const frames: FrameCopy[] = [];
  for (;;) {
    let frame: Frame | undefined;
    while ((frame = reader.next())) frames.push(copyFrame(frame));
    if (!(await reader.fill())) break;
  }
  return frames;
}

export interface ReadResult {
  frames: FrameCopy[];
  reader: CaptureReader;
}

/** Open, read every frame, close. */
export async function readAll(input: CaptureInput, options?: OpenCaptureOptions): Promise<ReadResult> {
  const reader = await openCapture(input, options);
  try {
    return { frames: await drain(reader), reader };
  } finally {
    await reader.close();
  }
}

/** `seconds.nanoseconds` as tshark prints frame.time_epoch. */
export function epoch(frame: { seconds: number; nanos: number }): string {
  return `${frame.seconds}.${String(frame.nanos).padStart(9, '0')}`;
}

export function hexOf(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}
