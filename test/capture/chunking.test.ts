import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ByteSource, MemoryPuller } from '../../src/capture/source.js';
import { buildPcap, buildPcapng, joinBytes, patternBytes, pcapFileHeader, pcapRecord } from '../helpers/capture-builder.js';
import { readAll } from './read-all.js';

const capturesDir = resolve(import.meta.dirname, '../../../shared/captures/files');

const pcapFile = buildPcap({
  nanosecond: true,
  records: [
    { seconds: 1, fraction: 5, data: patternBytes(60) },
    { seconds: 2, fraction: 6, data: patternBytes(300, 7) },
    { seconds: 3, fraction: 7, data: patternBytes(1) },
    { seconds: 4, fraction: 8, data: patternBytes(0) },
    { seconds: 5, fraction: 9, data: patternBytes(129, 9) },
  ],
});

const pcapngFile = buildPcapng({
  sections: [
    {
      bigEndian: true,
      interfaces: [{ linkType: 1, tsresol: 9 }, { linkType: 113 }],
      blocks: [
        { type: 'epb', interfaceId: 1, timestamp: 1_234_567, data: patternBytes(70) },
        { type: 'raw', blockType: 0xbad, body: patternBytes(33) },
        { type: 'spb', data: patternBytes(90) },
        { type: 'epb', interfaceId: 0, timestamp: 9_876_543_210, data: patternBytes(257) },
      ],
    },
    {
      interfaces: [{ linkType: 101, tsresol: 0x88 }],
      blocks: [
        { type: 'pb', timestamp: 1000, data: patternBytes(40) },
        { type: 'epb', timestamp: 1001, data: patternBytes(3) },
      ],
    },
  ],
});

const inputs: [string, Uint8Array][] = [
  ['built pcap', pcapFile],
  ['built pcap cut mid-record', pcapFile.subarray(0, pcapFile.length - 50)],
  ['built pcapng', pcapngFile],
  ['built pcapng cut mid-block', pcapngFile.subarray(0, pcapngFile.length - 10)],
];
for (const name of ['test202.pcapng', 'DERIVED_resp_1_benchmark_cut.pcap', 'pptp.pcap', 'pcapng-example.pcapng']) {
  const path = resolve(capturesDir, name);
  if (existsSync(path)) inputs.push([name, readFileSync(path)]);
}

describe('records straddling reads', () => {
  for (const [name, bytes] of inputs) {
    it(`gives the same frames, truncation and warnings for chunk sizes 1..64 (${name})`, async () => {
      const whole = await readAll(bytes);
      expect(whole.frames.length).toBeGreaterThan(0);
      const sizes = [...Array.from({ length: 64 }, (_, i) => i + 1), 100, 1000, 4096];
      for (const chunkSize of sizes) {
        const chunked = await readAll(bytes, { chunkSize });
        expect(chunked.frames, `chunk ${chunkSize}`).toEqual(whole.frames);
        expect(chunked.reader.truncated, `chunk ${chunkSize}`).toEqual(whole.reader.truncated);
        expect(chunked.reader.warnings, `chunk ${chunkSize}`).toEqual(whole.reader.warnings);
        expect(chunked.reader.bytesRead, `chunk ${chunkSize}`).toBe(whole.reader.bytesRead);
      }
    });
  }

  it('gives the same frames from a file read in chunks smaller than its records', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'synfin-chunks-'));
    try {
      for (const [name, bytes] of inputs) {
        const whole = await readAll(bytes);
        const path = join(dir, 'capture');
        writeFileSync(path, bytes);
        for (const chunkSize of [1, 7, 64, 1000, undefined]) {
          const read = await readAll(path, { chunkSize, path: '<memory>' });
          expect(read.frames, `${name}, chunk ${chunkSize}`).toEqual(whole.frames);
          expect(read.reader.truncated, `${name}, chunk ${chunkSize}`).toEqual(whole.reader.truncated);
          expect(read.reader.warnings, `${name}, chunk ${chunkSize}`).toEqual(whole.reader.warnings);
          expect(read.reader.totalBytes, `${name}, chunk ${chunkSize}`).toBe(bytes.length);
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('gives the same frames from a stream delivering uneven pieces', async () => {
    for (const [name, bytes] of inputs) {
      const whole = await readAll(bytes);
      const pieces: Uint8Array[] = [];
      for (let at = 0, size = 1; at < bytes.length; at += size, size = (size * 7 + 3) % 97 || 1) {
        pieces.push(bytes.slice(at, at + size));
      }
      for (const chunkSize of [5, 64, undefined]) {
        const streamed = await readAll(Readable.from(pieces), { chunkSize });
        expect(streamed.frames, `${name}, chunk ${chunkSize}`).toEqual(whole.frames);
        expect(streamed.reader.truncated, `${name}, chunk ${chunkSize}`).toEqual(whole.reader.truncated);
        expect(streamed.reader.totalBytes).toBeUndefined();
      }
    }
  });
});

describe('fill() called early', () => {
  it('loses no record and reports no cut when called while whole records are still held', async () => {
    const { openCapture } = await import('../../src/capture/open.js');
    const { drain } = await import('./read-all.js');
    for (const [name, bytes] of inputs) {
      const whole = await readAll(bytes);
      const reader = await openCapture(bytes, { chunkSize: 4096 });
      expect(await reader.fill(), name).toBe(true);
      expect(await reader.fill(), name).toBe(true);
      expect(await drain(reader), name).toEqual(whole.frames);
      expect(reader.truncated, name).toEqual(whole.reader.truncated);
      await reader.close();
    }
  });
});

describe('ByteSource', () => {
  it('keeps the unconsumed tail at the front and grows only for a record larger than the buffer', async () => {
    const bytes = patternBytes(1000);
    const source = new ByteSource(new MemoryPuller(bytes), { chunkSize: 8, totalBytes: bytes.length });
    expect(await source.refill(0, 8)).toBe(true);
    expect([source.base, source.length, source.buffer.length]).toEqual([0, 8, 8]);
    // Consume 5 bytes, keep 3, ask for a 20-byte record: the buffer grows to 20, not more.
    expect(await source.refill(5, 20)).toBe(true);
    expect([source.base, source.length, source.buffer.length]).toEqual([5, 20, 20]);
    expect(Array.from(source.buffer.subarray(0, 20))).toEqual(Array.from(bytes.subarray(5, 25)));
    const buffer = source.buffer;
    expect(await source.refill(20, 1)).toBe(true);
    expect(source.buffer).toBe(buffer); // reused
    expect(source.base).toBe(25);
  });

  it('does not move or copy an array held in memory', async () => {
    const bytes = patternBytes(100);
    const source = new ByteSource(undefined, { totalBytes: 100 }, bytes);
    expect(source.buffer).toBe(bytes);
    expect(await source.refill(50, 10)).toBe(false);
    expect(source.buffer).toBe(bytes);
    expect(Array.from(bytes.subarray(0, 3))).toEqual([0, 1, 2]);
  });
});

describe('absurd lengths', () => {
  it('are rejected before reading on: a stream of endless zeros after the header is not buffered', async () => {
    let pulled = 0;
    const head = joinBytes(pcapFileHeader({}), pcapRecord({ seconds: 1, data: [], includedLength: 0x7000_0000 }));
    async function* endless(): AsyncGenerator<Uint8Array> {
      pulled += head.length;
      yield head;
      for (;;) {
        pulled += 65536;
        yield new Uint8Array(65536);
      }
    }
    const stream = Readable.from(endless());
    const { frames, reader } = await readAll(stream, { chunkSize: 1 << 16 });
    stream.destroy();
    expect(frames).toEqual([]);
    expect(reader.truncated?.message).toBe('absurd record length 1879048192 at offset 24 (record 1); reading stopped');
    expect(pulled).toBeLessThan(1 << 20);
  });
});
