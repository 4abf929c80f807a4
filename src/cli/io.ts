/** What the program may touch of the outside world; tests pass their own. */
export interface ProgramIo {
  stdout(text: string): void;
  /**
   * Bytes for stdout (large `--json`). True when they were written out at once and the array
   * is held no more (it may then be refilled); else a promise that settles once the stream has
   * taken everything queued (backpressure: a slow reader of a pipe must not make synfin hold the
   * whole output). Without it the bytes are decoded and passed to stdout().
   */
  stdoutBytes?(bytes: Uint8Array): true | Promise<true>;
  stderr(text: string): void;
  /** stderr is a terminal (progress and colour are only for people). */
  stderrIsTty: boolean;
  stdoutIsTty: boolean;
  env: Readonly<Record<string, string | undefined>>;
  /** Terminal width when known. */
  columns?: number;
}

/** Exit codes scripts can rely on (documented in the README). */
export const ExitCode = {
  Ok: 0,
  /** An --expect did not hold. */
  ExpectationFailed: 1,
  Usage: 2,
  /** A capture file is missing, unreadable or not a capture. */
  BadCapture: 3,
  /** synfin run / captureDuring could not capture: no tcpdump/dumpcap, not permitted, no such interface. */
  CaptureUnavailable: 4,
  /** synfin run: the command could not be started (as a shell says). */
  CommandNotFound: 127,
  /** A bug in synfin (EX_SOFTWARE). */
  Internal: 70,
} as const;

/** A bytes writer over a text writer; a UTF-8 character split between two chunks is decoded whole. */
export function decodingTo(write: (text: string) => void): (bytes: Uint8Array) => true {
  const decoder = new TextDecoder();
  return (bytes) => {
    const text = decoder.decode(bytes, { stream: true });
    if (text !== '') write(text);
    return true;
  };
}

/**
 * stdoutBytes over a stream: true when the stream took the bytes at once (a file, /dev/null, an
 * empty pipe), else a promise that settles when this write is done. Waiting for the write's own
 * callback, not for 'drain': a write below the high-water mark that still had to queue (a full
 * pipe) gets no 'drain'.
 */
export function bytesWriter(stream: NodeJS.WritableStream & { readonly writableLength: number }): (bytes: Uint8Array) => true | Promise<true> {
  return (bytes) => {
    let done!: (value: true) => void;
    const written = new Promise<true>((resolve) => (done = resolve));
    stream.write(bytes, () => done(true));
    return stream.writableLength === 0 ? true : written;
  };
}

