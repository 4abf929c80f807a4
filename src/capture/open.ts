import { CaptureFormatError } from '../errors.js';
import { gunzipSource } from './gzip.js';
import { openPcap } from './pcap.js';
import { openPcapng } from './pcapng.js';
import { describeStart, sniff } from './sniff.js';
import { ByteSource, ensureBytes, MemoryPuller } from './source.js';
import { openFileSource } from './source-file.js';
import { StreamPuller } from './source-stream.js';
import type { CaptureReader } from './types.js';

const SNIFF_LENGTH = 64;

export interface OpenCaptureOptions {
  /** Bytes per read (default 1 MiB). Tests use tiny chunks so records straddle reads. */
  chunkSize?: number;
  /** Name used in messages and as reader.path (default: the file path, `stdin`, `<memory>`, `<stream>`). */
  path?: string;
}

/** Input given as a path, `-` for standard input, bytes in memory, or a readable stream. */
export type CaptureInput = string | Uint8Array | NodeJS.ReadableStream;

async function openSource(input: CaptureInput, options: OpenCaptureOptions): Promise<{ source: ByteSource; path: string }> {
  const sourceOptions = { chunkSize: options.chunkSize };
  if (typeof input === 'string') {
    if (input === '-') {
      // Reading a capture from a terminal would wait for typing that never comes: say what to do.
      if ((process.stdin as { isTTY?: boolean }).isTTY === true) {
        const path = options.path ?? 'stdin';
        throw new CaptureFormatError(`${path}: is a terminal, not a capture; pipe one in (tcpdump -w - ... | synfin -)`, path, 0, 'unreadable');
      }
      return { source: new ByteSource(new StreamPuller(process.stdin), sourceOptions), path: options.path ?? 'stdin' };
    }
    const path = options.path ?? input;
    return { source: await openFileSource(input, sourceOptions), path };
  }
  if (input instanceof Uint8Array) {
    const path = options.path ?? '<memory>';
    const totalBytes = input.length;
    // Without a chunk size the reader walks the array in place; with one it is read in pieces.
    const source =
      options.chunkSize === undefined
        ? new ByteSource(undefined, { totalBytes }, input)
        : new ByteSource(new MemoryPuller(input), { chunkSize: options.chunkSize, totalBytes });
    return { source, path };
  }
  return { source: new ByteSource(new StreamPuller(input), sourceOptions), path: options.path ?? '<stream>' };
}

async function readerFor(source: ByteSource, path: string, options: OpenCaptureOptions, compressed: boolean): Promise<CaptureReader> {
  const fail = (message: string, failure: CaptureFormatError['failure']): CaptureFormatError =>
    new CaptureFormatError(message, path, 0, failure);
  const what = compressed ? 'is gzip-compressed, and what it holds is' : 'is';
  // Enough for any file header and for a readable excerpt when the input is not a capture.
  await ensureBytes(source, SNIFF_LENGTH);
  const start = source.buffer.subarray(0, source.length);
  if (start.length === 0) {
    throw fail(compressed ? `${path}: is gzip-compressed and decompresses to nothing` : `${path}: file is empty (0 bytes)`, 'empty');
  }
  const sniffed = sniff(start);
  switch (sniffed.kind) {
    case 'pcap':
      return openPcap(source, path);
    case 'pcapng':
      return openPcapng(source, path);
    case 'gzip':
      if (compressed) throw fail(`${path}: is gzip-compressed twice; gunzip it first`, 'compressed');
    {
      const inner = gunzipSource(source, options);
      try {
        return await readerFor(inner, path, options, true);
      } catch (error) {
        await inner.close().catch(() => undefined);
        throw error;
      }
    }
    case 'compressed':
      throw fail(`${path}: is ${sniffed.name}-compressed; decompress it first (${sniffed.command})`, 'compressed');
    case 'other-capture':
      throw fail(`${path}: ${what} a ${sniffed.name} capture, which synfin does not read; convert it with \`editcap -F pcap\``, 'not-a-capture');
    case 'short':
      throw fail(`${path}: ${compressed ? 'is gzip-compressed, and what it holds ends' : 'file ends'} after ${start.length} bytes, inside the capture file header`, 'malformed-header');
    case 'unknown':
      throw fail(`${path}: ${what} not a pcap or pcapng capture: ${describeStart(start)}`, 'not-a-capture');
  }
}

/**
 * Open a capture and return the reader for its format (classic pcap or pcapng, sniffed from the
 * magic; gzip-compressed input is decompressed on the fly). Fails with a CaptureFormatError that
 * names the input: missing, directory, unreadable, empty, not-a-capture, compressed, malformed-header.
 */
export async function openCapture(input: CaptureInput, options: OpenCaptureOptions = {}): Promise<CaptureReader> {
  const { source, path } = await openSource(input, options);
  try {
    return await readerFor(source, path, options, false);
  } catch (error) {
    await source.close().catch(() => undefined);
    if (error instanceof CaptureFormatError) throw error;
    throw new CaptureFormatError(`${path}: cannot read the input (${error instanceof Error ? error.message : String(error)})`, path, 0, 'unreadable');
  }
}
