import { describe, expect, it } from 'vitest';
import { CaptureFormatError } from '../../src/errors.js';
import {
  buildPcap,
  patternBytes,
  pcapRecordOffsets,
  PCAP_FILE_HEADER_LENGTH,
  PCAP_RECORD_HEADER_LENGTH,
  type PcapSpec,
} from '../helpers/capture-builder.js';
import { hexOf, readAll } from './read-all.js';

const records = [
  { seconds: 1_700_000_000, fraction: 123_456, data: patternBytes(60, 1) },
  { seconds: 1_700_000_001, fraction: 999_999, data: patternBytes(64, 2), originalLength: 1514 },
  { seconds: 4_294_967_295, fraction: 0, data: patternBytes(1, 3) },
];

describe('classic pcap: the four magics', () => {
  for (const nanosecond of [false, true]) {
    for (const bigEndian of [false, true]) {
      const name = `${nanosecond ? 'nanosecond' : 'microsecond'} ${bigEndian ? 'big' : 'little'}-endian`;
      it(`reads ${name} records with their timestamps, lengths and bytes`, async () => {
        const spec: PcapSpec = { linkType: 276, nanosecond, bigEndian, records };
        const { frames, reader } = await readAll(buildPcap(spec));
        expect(reader.format).toBe('pcap');
        expect(reader.linkTypes).toEqual([276]);
        expect(reader.truncated).toBeUndefined();
        expect(reader.warnings).toEqual([]);
        const offsets = pcapRecordOffsets(spec);
        expect(frames).toEqual(
          records.map((r, i) => ({
            number: i + 1,
            fileOffset: offsets[i],
            linkType: 276,
            interfaceId: 0,
            seconds: r.seconds,
            nanos: nanosecond ? r.fraction : r.fraction * 1000,
            precision: nanosecond ? 9 : 6,
            originalLength: r.originalLength ?? r.data.length,
            data: hexOf(r.data),
          })),
        );
      });
    }
  }

  it('gives the same frames for both byte orders (twins)', async () => {
    const little = await readAll(buildPcap({ records }));
    const big = await readAll(buildPcap({ records, bigEndian: true }));
    expect(big.frames).toEqual(little.frames);
  });
});

describe('classic pcap: header fields', () => {
  it('takes the link type from the low 16 bits and reports FCS bits (draft-ietf-opsawg-pcap)', async () => {
    // FCS length 2 (16-bit words → 4 bytes) with the P bit set, link type 1.
    const field = (2 << 28) | 0x04000000 | 1;
    const { frames, reader } = await readAll(buildPcap({ linkTypeField: field, records }));
    expect(reader.linkTypes).toEqual([1]);
    expect(frames[0]?.linkType).toBe(1);
    expect(reader.warnings.map((w) => w.message)).toEqual([expect.stringContaining('4-byte FCS')]);
  });

  it('keeps link types above 255 (SLL2 = 276, not 20)', async () => {
    const { reader } = await readAll(buildPcap({ linkType: 276, records }));
    expect(reader.linkTypes).toEqual([276]);
  });

  it('reads a header-only file as a capture with no packets', async () => {
    const { frames, reader } = await readAll(buildPcap({ records: [] }));
    expect(frames).toEqual([]);
    expect(reader.truncated).toBeUndefined();
    expect(reader.bytesRead).toBe(PCAP_FILE_HEADER_LENGTH);
  });

  it('warns about an unusual version but reads on', async () => {
    const { frames, reader } = await readAll(buildPcap({ versionMajor: 3, records }));
    expect(frames).toHaveLength(3);
    expect(reader.warnings[0]?.message).toMatch(/version 3\.4/);
  });

  it('carries a fraction of a second or more into the seconds', async () => {
    const micro = await readAll(buildPcap({ records: [{ seconds: 10, fraction: 2_500_000, data: [1] }] }));
    expect(micro.frames[0]).toMatchObject({ seconds: 12, nanos: 500_000_000 });
    const nano = await readAll(buildPcap({ nanosecond: true, records: [{ seconds: 10, fraction: 1_000_000_001, data: [1] }] }));
    expect(nano.frames[0]).toMatchObject({ seconds: 11, nanos: 1 });
  });

  it('reports bytesRead and totalBytes', async () => {
    const file = buildPcap({ records });
    const { reader } = await readAll(file);
    expect(reader.bytesRead).toBe(file.length);
    expect(reader.totalBytes).toBe(file.length);
  });
});

describe('classic pcap: cut and damaged files', () => {
  const spec: PcapSpec = { records };
  const file = buildPcap(spec);
  const offsets = pcapRecordOffsets(spec);
  const ends = records.map((r, i) => offsets[i]! + PCAP_RECORD_HEADER_LENGTH + r.data.length);

  it('rejects every prefix of the file header', async () => {
    for (let cut = 0; cut < PCAP_FILE_HEADER_LENGTH; cut++) {
      const error = await readAll(file.subarray(0, cut), { path: 'cut.pcap' }).catch((e: unknown) => e);
      expect(error, `cut at ${cut}`).toBeInstanceOf(CaptureFormatError);
      const failure = (error as CaptureFormatError).failure;
      expect(failure, `cut at ${cut}`).toBe(cut === 0 ? 'empty' : 'malformed-header');
      expect((error as Error).message).toContain('cut.pcap');
    }
  });

  it('yields every whole record of every shorter file, then says where it was cut', async () => {
    for (let cut = PCAP_FILE_HEADER_LENGTH; cut <= file.length; cut++) {
      const { frames, reader } = await readAll(file.subarray(0, cut));
      const whole = ends.filter((end) => end <= cut).length;
      expect(frames.length, `cut at ${cut}`).toBe(whole);
      const atBoundary = cut === PCAP_FILE_HEADER_LENGTH || ends.includes(cut);
      if (atBoundary) {
        expect(reader.truncated, `cut at ${cut}`).toBeUndefined();
        continue;
      }
      const offset = offsets[whole]!;
      const record = records[whole]!;
      const available = cut - offset;
      expect(reader.truncated, `cut at ${cut}`).toMatchObject({ offset, available, kind: 'truncated' });
      const needed = available < PCAP_RECORD_HEADER_LENGTH ? PCAP_RECORD_HEADER_LENGTH : PCAP_RECORD_HEADER_LENGTH + record.data.length;
      expect(reader.truncated?.needed).toBe(needed);
      expect(reader.truncated?.message).toContain(`record ${whole + 1} at offset ${offset}`);
    }
  });

  it('accepts a record longer than its original length with one warning', async () => {
    const odd = [
      { seconds: 1, data: patternBytes(80), originalLength: 60 },
      { seconds: 2, data: patternBytes(80), originalLength: 60 },
    ];
    const { frames, reader } = await readAll(buildPcap({ records: odd }));
    expect(frames).toHaveLength(2);
    expect(reader.warnings).toHaveLength(1);
    expect(reader.warnings[0]).toMatchObject({ offset: 24 });
    expect(reader.warnings[0]?.message).toMatch(/captured length 80 exceeds its original length 60/);
  });

  it('stops at a record longer than its original length and any sane snaplen', async () => {
    const bad = [records[0]!, { seconds: 2, data: patternBytes(300_000), originalLength: 60 }, records[1]!];
    const { frames, reader } = await readAll(buildPcap({ snaplen: 65535, records: bad }));
    expect(frames).toHaveLength(1);
    expect(reader.truncated).toMatchObject({ offset: 24 + 16 + 60, kind: 'malformed' });
    expect(reader.truncated?.message).toMatch(/record 2 at offset 100 claims 300000 captured bytes/);
  });

  it('stops at an absurd record length at once, naming it and its offset', async () => {
    const bad = [records[0]!, { seconds: 2, data: patternBytes(10), includedLength: 0x7fff_ffff, originalLength: 0x7fff_ffff }];
    const { frames, reader } = await readAll(buildPcap({ records: bad }));
    expect(frames).toHaveLength(1);
    expect(reader.truncated).toMatchObject({ offset: 100, needed: 16 + 0x7fff_ffff, available: 26, kind: 'malformed' });
    expect(reader.truncated?.message).toBe('absurd record length 2147483647 at offset 100 (record 2); reading stopped');
  });
});
