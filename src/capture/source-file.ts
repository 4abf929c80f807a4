import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { CaptureFormatError, type CaptureFailure } from '../errors.js';
import { ByteSource, type Puller, type SourceOptions } from './source.js';

/**
 * Reads a regular file with positioned reads straight into the source's buffer (no intermediate
 * copy), synchronously, from open to close: the data is in the page cache or one disk read away,
 * and handing each call to the thread pool only leaves the main thread idle while it waits. A run
 * that never uses the pool also never starts its four threads, nor waits for them at exit
 * (docs/benchmarks.md).
 */
class RegularFilePuller implements Puller {
  private position = 0;
  constructor(
    private readonly fd: number,
    private readonly path: string,
  ) {}

  pull(target: Uint8Array, offset: number, length: number): Promise<number> {
    try {
      const bytesRead = readSync(this.fd, target, offset, length, this.position);
      this.position += bytesRead;
      return Promise.resolve(bytesRead);
    } catch (error) {
      return Promise.reject(fileError(error, this.path, this.position));
    }
  }

  close(): Promise<void> {
    closeSync(this.fd);
    return Promise.resolve();
  }
}

/**
 * Reads anything else that has a path (a named pipe, `<(zcat x.pcap.gz)`, a character device)
 * on the thread pool, from open on: opening a pipe waits for its writer, which may be this
 * very process, and reading it waits for data.
 */
class PoolFilePuller implements Puller {
  private position = 0;
  constructor(
    private readonly handle: FileHandle,
    private readonly path: string,
  ) {}

  async pull(target: Uint8Array, offset: number, length: number): Promise<number> {
    try {
      // From the current offset, not positioned: pread fails on a pipe with ESPIPE.
      const bytesRead = (await this.handle.read(target, offset, length, null)).bytesRead;
      this.position += bytesRead;
      return bytesRead;
    } catch (error) {
      throw fileError(error, this.path, this.position);
    }
  }

  close(): Promise<void> {
    return this.handle.close();
  }
}

/** Map a Node fs error to a CaptureFormatError that names the file and says what is wrong. */
export function fileError(error: unknown, path: string, offset = 0): CaptureFormatError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const detail = error instanceof Error ? error.message : String(error);
  let failure: CaptureFailure = 'unreadable';
  let message = `${path}: cannot read the file (${code ?? detail})`;
  if (code === 'ENOENT') {
    failure = 'missing';
    message = `${path}: no such file`;
  } else if (code === 'EISDIR') {
    failure = 'directory';
    message = `${path}: is a directory, not a capture file`;
  } else if (code === 'EACCES' || code === 'EPERM') {
    message = `${path}: permission denied`;
  }
  return new CaptureFormatError(message, path, offset, failure);
}

/** A regular file opened without the thread pool; undefined for anything else (stat does not wait for a pipe's writer). */
function openRegularFile(path: string, options: SourceOptions): ByteSource | undefined {
  let fd: number;
  try {
    if (!statSync(path).isFile()) return undefined;
    fd = openSync(path, 'r');
  } catch (error) {
    throw fileError(error, path);
  }
  try {
    return new ByteSource(new RegularFilePuller(fd, path), { ...options, totalBytes: fstatSync(fd).size });
  } catch (error) {
    closeSync(fd);
    throw fileError(error, path);
  }
}

/** Open a file for reading. Its size (fstat) becomes the source's totalBytes. */
export async function openFileSource(path: string, options: SourceOptions = {}): Promise<ByteSource> {
  const regular = openRegularFile(path, options);
  if (regular !== undefined) return regular;
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw fileError(error, path);
  }
  try {
    const stat = await handle.stat();
    // On Linux, open(2) succeeds on a directory with O_RDONLY; only read(2) fails.
    if (stat.isDirectory()) throw Object.assign(new Error('EISDIR'), { code: 'EISDIR' });
    const totalBytes = stat.isFile() ? stat.size : undefined;
    return new ByteSource(new PoolFilePuller(handle, path), { ...options, totalBytes });
  } catch (error) {
    await handle.close().catch(() => undefined);
    throw fileError(error, path);
  }
}
