import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { openCapture } from '../../src/capture/open.js';
import { CaptureFormatError } from '../../src/errors.js';
import { buildPcap, buildPcapng, patternBytes } from '../helpers/capture-builder.js';
import { drain, readAll } from './read-all.js';

const dir = mkdtempSync(join(tmpdir(), 'synfin-capture-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, bytes: Uint8Array | string): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

const pcap = buildPcap({
  records: [
    { seconds: 1, fraction: 2, data: patternBytes(60) },
    { seconds: 3, fraction: 4, data: patternBytes(70) },
  ],
});
const pcapng = buildPcapng({ sections: [{ interfaces: [{ linkType: 1 }], blocks: [{ type: 'epb', timestamp: 5, data: patternBytes(50) }] }] });

async function failure(input: Parameters<typeof openCapture>[0]): Promise<CaptureFormatError> {
  const error = await openCapture(input).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CaptureFormatError);
  return error as CaptureFormatError;
}

describe('openCapture: sniffing the format', () => {
  it('opens a pcap file by path, with its size as totalBytes', async () => {
    const path = file('a.pcap', pcap);
    const { frames, reader } = await readAll(path);
    expect(reader.format).toBe('pcap');
    expect(reader.path).toBe(path);
    expect(reader.totalBytes).toBe(pcap.length);
    expect(frames).toHaveLength(2);
  });

  it('opens a pcapng file regardless of its name', async () => {
    const { reader, frames } = await readAll(file('actually-ng.pcap', pcapng));
    expect(reader.format).toBe('pcapng');
    expect(frames).toHaveLength(1);
  });

  it('opens bytes in memory and a readable stream, with the path option as the name', async () => {
    expect((await readAll(pcap, { path: 'mem.pcap' })).reader.path).toBe('mem.pcap');
    expect((await readAll(pcap)).reader.path).toBe('<memory>');
    const streamed = await readAll(Readable.from([Buffer.from(pcapng)]));
    expect(streamed.reader.path).toBe('<stream>');
    expect(streamed.frames).toHaveLength(1);
  });

  it("reads standard input for '-'", async () => {
    const stdin = vi.spyOn(process, 'stdin', 'get').mockReturnValue(Readable.from([Buffer.from(pcap)]) as typeof process.stdin);
    try {
      const { frames, reader } = await readAll('-');
      expect(reader.path).toBe('stdin');
      expect(reader.totalBytes).toBeUndefined();
      expect(frames).toHaveLength(2);
    } finally {
      stdin.mockRestore();
    }
  });

  it('decompresses gzip input on the fly, from a file or a stream', async () => {
    const plain = await readAll(pcap);
    const gz = gzipSync(pcap);
    const fromFile = await readAll(file('a.pcap.gz', gz), { chunkSize: 7 });
    expect(fromFile.frames).toEqual(plain.frames);
    expect(fromFile.reader.totalBytes).toBeUndefined();
    expect(fromFile.reader.warnings).toEqual([]);
    const fromStream = await readAll(Readable.from([gz.subarray(0, 5), gz.subarray(5)]));
    expect(fromStream.frames).toEqual(plain.frames);
    expect((await readAll(gzipSync(pcapng))).reader.format).toBe('pcapng');
  });

  it('reads a cut gzip file up to where it breaks, with a warning and the cut record', async () => {
    const big = buildPcap({ records: Array.from({ length: 200 }, (_, i) => ({ seconds: i, data: patternBytes(200, i) })) });
    const gz = gzipSync(big);
    const { frames, reader } = await readAll(file('cut.pcap.gz', gz.subarray(0, Math.floor(gz.length / 2))));
    expect(frames.length).toBeGreaterThan(0);
    expect(frames.length).toBeLessThan(200);
    expect(reader.warnings.map((w) => w.message)).toEqual([expect.stringMatching(/^input ended early: gzip data: /)]);
  });
});

describe('openCapture: inputs that are not captures', () => {
  it('says a file is missing', async () => {
    const error = await failure(join(dir, 'nope.pcap'));
    expect(error.failure).toBe('missing');
    expect(error.message).toBe(`${join(dir, 'nope.pcap')}: no such file`);
  });

  it('says a path is a directory', async () => {
    const error = await failure(dir);
    expect(error.failure).toBe('directory');
    expect(error.message).toContain(dir);
  });

  it.skipIf(process.getuid?.() === 0)('says a file cannot be read', async () => {
    const path = file('locked.pcap', pcap);
    const { chmodSync } = await import('node:fs');
    chmodSync(path, 0o000);
    const error = await failure(path);
    expect(error.failure).toBe('unreadable');
    expect(error.message).toBe(`${path}: permission denied`);
  });

  it('maps other file errors to unreadable, naming the file and the error code', async () => {
    const { fileError } = await import('../../src/capture/source-file.js');
    const denied = fileError(Object.assign(new Error('x'), { code: 'EACCES' }), 'f.pcap');
    expect([denied.failure, denied.message]).toEqual(['unreadable', 'f.pcap: permission denied']);
    const io = fileError(Object.assign(new Error('i/o error'), { code: 'EIO' }), 'f.pcap', 4096);
    expect([io.failure, io.message, io.offset]).toEqual(['unreadable', 'f.pcap: cannot read the file (EIO)', 4096]);
  });

  it('says a file is empty', async () => {
    const path = file('empty.pcap', '');
    const error = await failure(path);
    expect(error.failure).toBe('empty');
    expect(error.message).toBe(`${path}: file is empty (0 bytes)`);
    expect((await failure(new Uint8Array(0))).failure).toBe('empty');
  });

  it('shows the first bytes of a text file in hex and says it looks like text', async () => {
    const path = file('notes.pcap', 'HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html>');
    const error = await failure(path);
    expect(error.failure).toBe('not-a-capture');
    expect(error.message).toBe(
      `${path}: is not a pcap or pcapng capture: it starts with 48 54 54 50 2f 31 2e 31 20 32 30 30 20 4f 4b 0d ... (looks like text: "HTTP/1.1 200 OK Content-Type: text/html")`,
    );
  });

  it('shows the first bytes of a binary file in hex', async () => {
    const error = await failure(Uint8Array.from([0xde, 0xad, 0xbe, 0xef, 0, 1, 2]));
    expect(error.message).toBe('<memory>: is not a pcap or pcapng capture: it starts with de ad be ef 00 01 02');
  });

  it('names the tool for compressed formats it does not decompress', async () => {
    const error = await failure(file('a.pcap.zst', Uint8Array.from([0x28, 0xb5, 0x2f, 0xfd, 0, 0, 0, 0])));
    expect(error.failure).toBe('compressed');
    expect(error.message).toMatch(/a\.pcap\.zst: is zstd-compressed; decompress it first \(zstd -d\)$/);
    expect((await failure(Uint8Array.from([0x42, 0x5a, 0x68, 0x39, 1]))).message).toMatch(/bzip2/);
  });

  it('says what a gzip file holds when it is not a capture', async () => {
    const error = await failure(gzipSync(Buffer.from('hello world, not a capture')));
    expect(error.failure).toBe('not-a-capture');
    expect(error.message).toMatch(/is gzip-compressed, and what it holds is not a pcap or pcapng capture: .*looks like text/);
    expect((await failure(gzipSync(new Uint8Array(0)))).failure).toBe('empty');
  });

  it('recognises other capture formats and says how to convert them', async () => {
    const error = await failure(Uint8Array.from([0xa1, 0xb2, 0xcd, 0x34, 0, 2, 0, 4]));
    expect(error.failure).toBe('not-a-capture');
    expect(error.message).toMatch(/modified \(Kuznetzov\) pcap.*editcap -F pcap/);
  });

  it('says a file shorter than a magic number is cut, when it starts like one', async () => {
    expect((await failure(Uint8Array.from([0xd4, 0xc3]))).failure).toBe('malformed-header');
    expect((await failure(Uint8Array.from([0x0a, 0x0d, 0x0d]))).failure).toBe('malformed-header');
    expect((await failure(Uint8Array.from([0x41, 0x42]))).failure).toBe('not-a-capture');
  });
});

describe('openCapture: any bytes at all', () => {
  const starts = [
    [0xd4, 0xc3, 0xb2, 0xa1],
    [0xa1, 0xb2, 0x3c, 0x4d],
    [0x0a, 0x0d, 0x0d, 0x0a, 0x1c, 0x00, 0x00, 0x00, 0x4d, 0x3c, 0x2b, 0x1a],
    [0x0a, 0x0d, 0x0d, 0x0a, 0x00, 0x00, 0x00, 0x1c, 0x1a, 0x2b, 0x3c, 0x4d],
    [],
  ];

  it('never throws anything but a CaptureFormatError, and never loops', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...starts),
        fc.uint8Array({ maxLength: 400 }),
        fc.integer({ min: 1, max: 64 }),
        async (start, rest, chunkSize) => {
          const bytes = Uint8Array.from([...start, ...rest]);
          let reader;
          try {
            reader = await openCapture(bytes, { chunkSize });
          } catch (error) {
            expect(error).toBeInstanceOf(CaptureFormatError);
            return;
          }
          const frames = await drain(reader);
          expect(frames.length).toBeLessThanOrEqual(bytes.length / 12);
          for (const frame of frames) {
            expect(frame.nanos).toBeGreaterThanOrEqual(0);
            expect(frame.nanos).toBeLessThan(1e9);
          }
        },
      ),
      { numRuns: 400 },
    );
  });
});
