import { describe, expect, it } from 'vitest';
import { CaptureFormatError } from '../../src/errors.js';
import {
  BlockType,
  buildPcapng,
  patternBytes,
  pcapngBlock,
  pcapngBlockOffsets,
  type PcapngSpec,
} from '../helpers/capture-builder.js';
import { epoch, hexOf, readAll } from './read-all.js';

const packetA = patternBytes(61, 0x10);
const packetB = patternBytes(64, 0x20);
const packetC = patternBytes(1, 0x30);

/** One section: two interfaces (Ethernet µs, SLL ns), an EPB on each. */
function twoInterfaces(bigEndian: boolean): PcapngSpec {
  return {
    sections: [
      {
        bigEndian,
        interfaces: [{ linkType: 1 }, { linkType: 113, tsresol: 9 }],
        blocks: [
          { type: 'epb', interfaceId: 0, timestamp: 1_700_000_000_123_456, data: packetA, originalLength: 1514 },
          { type: 'epb', interfaceId: 1, timestamp: 1_700_000_000_987_654_321n, data: packetB },
        ],
      },
    ],
  };
}

describe('pcapng: section byte order', () => {
  for (const bigEndian of [false, true]) {
    it(`reads a ${bigEndian ? 'big' : 'little'}-endian section with per-interface link type and unit`, async () => {
      const spec = twoInterfaces(bigEndian);
      const { frames, reader } = await readAll(buildPcapng(spec));
      const offsets = pcapngBlockOffsets(spec).filter((b) => b.kind === 'epb').map((b) => b.offset);
      expect(reader.format).toBe('pcapng');
      expect(reader.linkTypes).toEqual([1, 113]);
      expect(reader.truncated).toBeUndefined();
      expect(reader.warnings).toEqual([]);
      expect(frames).toEqual([
        {
          number: 1,
          fileOffset: offsets[0],
          linkType: 1,
          interfaceId: 0,
          seconds: 1_700_000_000,
          nanos: 123_456_000,
          precision: 6,
          originalLength: 1514,
          data: hexOf(packetA),
        },
        {
          number: 2,
          fileOffset: offsets[1],
          linkType: 113,
          interfaceId: 1,
          seconds: 1_700_000_000,
          nanos: 987_654_321,
          precision: 9,
          originalLength: 64,
          data: hexOf(packetB),
        },
      ]);
    });
  }

  it('switches byte order and restarts interface ids at each new section', async () => {
    const spec: PcapngSpec = {
      sections: [
        { bigEndian: true, interfaces: [{ linkType: 1 }, { linkType: 0 }], blocks: [{ type: 'epb', interfaceId: 1, timestamp: 5_000_000, data: packetA }] },
        { bigEndian: false, interfaces: [{ linkType: 101, tsresol: 3 }], blocks: [{ type: 'epb', interfaceId: 0, timestamp: 7_250, data: packetB }] },
        { bigEndian: true, interfaces: [{ linkType: 1 }], blocks: [{ type: 'epb', interfaceId: 0, timestamp: 9_000_001, data: packetC }] },
      ],
    };
    const { frames, reader } = await readAll(buildPcapng(spec));
    expect(reader.linkTypes).toEqual([1, 0, 101]);
    expect(frames.map((f) => [f.number, f.linkType, f.interfaceId, epoch(f), f.precision])).toEqual([
      [1, 0, 1, '5.000000000', 6],
      [2, 101, 0, '7.250000000', 3],
      [3, 1, 0, '9.000001000', 6],
    ]);
  });
});

describe('pcapng: timestamps (if_tsresol, if_tsoffset)', () => {
  async function one(tsresol: number | undefined, timestamp: number | bigint | { high: number; low: number }, tsoffset?: number) {
    const spec: PcapngSpec = {
      sections: [{ interfaces: [{ linkType: 1, tsresol, tsoffset }], blocks: [{ type: 'epb', timestamp, data: packetA }] }],
    };
    const { frames, reader } = await readAll(buildPcapng(spec));
    expect(reader.warnings).toEqual([]);
    return frames[0]!;
  }

  it('defaults to microseconds', async () => {
    expect(epoch(await one(undefined, 1_519_128_000_195_312))).toBe('1519128000.195312000');
  });

  it('reads decimal units 10^-n (high bit clear)', async () => {
    expect(await one(0, 1_519_128_000)).toMatchObject({ seconds: 1_519_128_000, nanos: 0, precision: 0 });
    expect(await one(3, 1_519_128_000_195)).toMatchObject({ seconds: 1_519_128_000, nanos: 195_000_000, precision: 3 });
    expect(await one(9, 1_519_128_000_195_312_500n)).toMatchObject({ seconds: 1_519_128_000, nanos: 195_312_500, precision: 9 });
    // Picoseconds: finer than Frame can hold; truncated to nanoseconds, precision capped at 9.
    // (2^64 ps is only ~213 days, so a small count.)
    expect(await one(12, 1_000_000_195_312_500_123n)).toMatchObject({ seconds: 1_000_000, nanos: 195_312_500, precision: 9 });
  });

  it('reads binary units 2^-n (high bit set), as gopacket test902 does with 2^-8', async () => {
    expect(await one(0x88, 1_519_128_000 * 256 + 50)).toMatchObject({ seconds: 1_519_128_000, nanos: 195_312_500, precision: 3 });
    expect(await one(0x80, 42)).toMatchObject({ seconds: 42, nanos: 0, precision: 0 });
    expect(await one(0x80 | 30, { high: 0, low: 3 * 2 ** 30 + 2 ** 29 })).toMatchObject({ seconds: 3, nanos: 500_000_000, precision: 9 });
    expect(await one(0x80 | 32, { high: 1_519_128_000, low: 2 ** 31 })).toMatchObject({ seconds: 1_519_128_000, nanos: 500_000_000 });
    expect(await one(0x80 | 40, { high: 7 * 256 + 64, low: 0 })).toMatchObject({ seconds: 7, nanos: 250_000_000 });
  });

  it('keeps full precision for 64-bit counts beyond 2^53 (no BigInt, no rounding)', async () => {
    const units = 18_446_744_073_709_551_615n; // 2^64 - 1 nanoseconds
    expect(epoch(await one(9, units))).toBe('18446744073.709551615');
    expect(epoch(await one(6, units))).toBe('18446744073709.551615000');
  });

  it('adds if_tsoffset seconds, also when negative', async () => {
    expect(await one(6, 1_500_000, 1_000_000_000)).toMatchObject({ seconds: 1_000_000_001, nanos: 500_000_000 });
    expect(await one(6, 1_500_000, -1)).toMatchObject({ seconds: 0, nanos: 500_000_000 });
  });

  it('agrees with BigInt arithmetic for random counts and every unit', async () => {
    const { TimeScale } = await import('../../src/capture/pcapng/timestamp.js');
    let seed = 12345;
    const random32 = (): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed;
    };
    const frame = { seconds: 0, nanos: 0 } as Parameters<InstanceType<typeof TimeScale>['apply']>[2];
    const resolutions = [...Array.from({ length: 20 }, (_, n) => n), ...Array.from({ length: 64 }, (_, n) => 0x80 | n)];
    for (const tsresol of resolutions) {
      const scale = new TimeScale(tsresol);
      for (let i = 0; i < 200; i++) {
        const high = random32() >>> (i % 32);
        const low = random32();
        scale.apply(high, low, frame);
        const units = (BigInt(high) << 32n) | BigInt(low);
        const binary = (tsresol & 0x80) !== 0;
        const perSecond = binary ? 1n << BigInt(tsresol & 0x7f) : 10n ** BigInt(tsresol);
        const seconds = units / perSecond;
        const nanos = ((units % perSecond) * 1_000_000_000n) / perSecond;
        const label = `tsresol ${tsresol.toString(16)} units ${units}`;
        if (seconds < 2n ** 53n) expect(frame.seconds, label).toBe(Number(seconds));
        // Finer than 2^-32, only the top 32 fraction bits are used: at most 1 ns low.
        const slack = binary && (tsresol & 0x7f) > 32 ? 1 : 0;
        expect(Number(nanos) - frame.nanos, label).toBeGreaterThanOrEqual(0);
        expect(Number(nanos) - frame.nanos, label).toBeLessThanOrEqual(slack);
      }
    }
  });
});

describe('pcapng: decimal timestamps below 2^52 units', () => {
  it('splits counts next to a whole second and next to 2^52 exactly as BigInt does', async () => {
    const { TimeScale } = await import('../../src/capture/pcapng/timestamp.js');
    const frame = { seconds: 0, nanos: 0 } as Parameters<InstanceType<typeof TimeScale>['apply']>[2];
    for (const tsresol of [0, 3, 6, 9]) {
      const scale = new TimeScale(tsresol);
      const perSecond = 10n ** BigInt(tsresol);
      const edges = [0n, 1n, perSecond - 1n, perSecond, (2n ** 52n / perSecond) * perSecond, 2n ** 52n - 1n, 2n ** 52n, 2n ** 53n + 1n];
      for (const whole of [1_700_000_000n, 4_503_599n]) edges.push(whole * perSecond - 1n, whole * perSecond, whole * perSecond + 1n);
      for (const units of edges) {
        scale.apply(Number(units >> 32n), Number(units & 0xffffffffn), frame);
        const label = `tsresol ${tsresol} units ${units}`;
        expect(frame.seconds, label).toBe(Number(units / perSecond));
        expect(frame.nanos, label).toBe(Number(((units % perSecond) * 1_000_000_000n) / perSecond));
      }
    }
  });
});

describe('pcapng: packet block types', () => {
  it('reads Simple Packet Blocks on interface 0: captured = min(original, snaplen, block room)', async () => {
    const spec: PcapngSpec = {
      sections: [
        {
          interfaces: [{ linkType: 1, snaplen: 40 }],
          blocks: [
            { type: 'spb', data: patternBytes(30), originalLength: 30 }, // fits: 30 (block padded to 32)
            { type: 'spb', data: patternBytes(60), originalLength: 1514 }, // snaplen: 40
            { type: 'spb', data: patternBytes(30), originalLength: 27 }, // original shorter than the room: 27
          ],
        },
        {
          interfaces: [{ linkType: 1, snaplen: 0 }],
          blocks: [{ type: 'spb', data: patternBytes(20), originalLength: 1514 }], // block room: 20
        },
      ],
    };
    const { frames, reader } = await readAll(buildPcapng(spec));
    expect(reader.warnings).toEqual([]);
    expect(frames.map((f) => [f.number, f.data.length / 2, f.originalLength, f.interfaceId, f.seconds, f.nanos])).toEqual([
      [1, 30, 30, 0, 0, 0],
      [2, 40, 1514, 0, 0, 0],
      [3, 27, 27, 0, 0, 0],
      [4, 20, 1514, 0, 0, 0],
    ]);
  });

  it('reads obsolete Packet Blocks (appendix A) like EPBs, with a 16-bit interface id', async () => {
    const spec: PcapngSpec = {
      sections: [
        {
          bigEndian: true,
          interfaces: [{ linkType: 1 }, { linkType: 12, tsresol: 0x88 }],
          blocks: [{ type: 'pb', interfaceId: 1, dropsCount: 3, timestamp: 256 * 5 + 128, data: packetA, originalLength: 100 }],
        },
      ],
    };
    const { frames } = await readAll(buildPcapng(spec));
    expect(frames).toMatchObject([{ number: 1, linkType: 12, interfaceId: 1, seconds: 5, nanos: 500_000_000, originalLength: 100, data: hexOf(packetA) }]);
  });

  it('counts only packet blocks in Frame.number, and points fileOffset at the block', async () => {
    const spec: PcapngSpec = {
      sections: [
        {
          interfaces: [{ linkType: 1 }],
          blocks: [
            { type: 'raw', blockType: BlockType.NameResolution, body: [0, 0, 0, 0] },
            { type: 'epb', data: packetA },
            { type: 'raw', blockType: BlockType.InterfaceStatistics, body: patternBytes(12) },
            { type: 'idb', linkType: 113 },
            { type: 'spb', data: packetB },
            { type: 'raw', blockType: BlockType.Custom, body: patternBytes(9) },
            { type: 'raw', blockType: BlockType.DecryptionSecrets, body: patternBytes(8) },
            { type: 'epb', interfaceId: 1, data: packetC },
          ],
        },
      ],
    };
    const blocks = pcapngBlockOffsets(spec);
    const { frames, reader } = await readAll(buildPcapng(spec));
    expect(reader.warnings).toEqual([]);
    expect(reader.linkTypes).toEqual([1, 113]);
    expect(frames.map((f) => [f.number, f.fileOffset, f.linkType])).toEqual([
      [1, blocks[3]!.offset, 1],
      [2, blocks[6]!.offset, 1],
      [3, blocks[9]!.offset, 113],
    ]);
  });

  it('skips unknown blocks by their length, warning once per type', async () => {
    const spec: PcapngSpec = {
      sections: [
        {
          interfaces: [{ linkType: 1 }],
          blocks: [
            { type: 'raw', blockType: 0x1234, body: patternBytes(13) },
            { type: 'epb', data: packetA },
            { type: 'raw', blockType: 0x1234, body: [] },
            { type: 'epb', data: packetB },
          ],
        },
      ],
    };
    const { frames, reader } = await readAll(buildPcapng(spec));
    expect(frames).toHaveLength(2);
    expect(reader.warnings).toHaveLength(1);
    expect(reader.warnings[0]?.message).toMatch(/unknown block type 0x00001234 skipped/);
  });

  it('skips a packet on a missing interface, or one whose length overflows its block, with a warning', async () => {
    const spec: PcapngSpec = {
      sections: [
        {
          interfaces: [{ linkType: 1 }],
          blocks: [
            { type: 'epb', interfaceId: 5, data: packetA },
            { type: 'epb', data: packetA, capturedLength: 500 },
            { type: 'epb', data: packetB },
          ],
        },
        { blocks: [{ type: 'spb', data: packetC }] },
      ],
    };
    const { frames, reader } = await readAll(buildPcapng(spec));
    expect(frames.map((f) => f.number)).toEqual([3]);
    expect(reader.warnings.map((w) => w.message)).toEqual([
      'packet 1: enhanced packet block refers to interface 5, but its section has only 1 interface(s); skipped',
      'packet 2: enhanced packet block captured length 500 does not fit in its 96-byte block; skipped',
      'packet 4: simple packet block refers to interface 0, but its section has no interface description; skipped',
    ]);
  });

  it('keeps at most 100 warnings and counts the rest', async () => {
    const blocks = Array.from({ length: 150 }, () => ({ type: 'epb' as const, interfaceId: 9, data: packetC }));
    const { frames, reader } = await readAll(buildPcapng({ sections: [{ interfaces: [{ linkType: 1 }], blocks }] }));
    expect(frames).toEqual([]);
    expect(reader.warnings).toHaveLength(101);
    expect(reader.warnings[100]?.message).toBe('50 further warning(s) not listed');
  });

  it('reads IDB options after others and survives a bad option length', async () => {
    const spec: PcapngSpec = {
      sections: [
        {
          interfaces: [
            { linkType: 1, options: [{ code: 2, value: 'eth0' }], tsresol: 9 },
            { linkType: 1, options: [{ code: 9, value: [] }] },
          ],
          blocks: [{ type: 'epb', interfaceId: 0, timestamp: 1_000_000_001, data: packetA }],
        },
      ],
    };
    const { frames, reader } = await readAll(buildPcapng(spec));
    expect(frames[0]).toMatchObject({ seconds: 1, nanos: 1 });
    expect(reader.warnings.map((w) => w.message)).toEqual(['interface 1 (section 1): if_tsresol option is empty; using 10^-6']);
  });
});

describe('pcapng: damaged and cut files', () => {
  const spec = twoInterfaces(false);
  const file = buildPcapng(spec);
  const blocks = pcapngBlockOffsets(spec);
  const shbLength = blocks[0]!.length;

  it('rejects a first block whose two lengths disagree', async () => {
    const bad = buildPcapng({ sections: [{ shb: { trailingLength: 32 }, interfaces: [{ linkType: 1 }] }] });
    const error = await readAll(bad, { path: 'bad.pcapng' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CaptureFormatError);
    expect(error).toMatchObject({ failure: 'malformed-header', offset: 0 });
    expect((error as Error).message).toBe('bad.pcapng: first block: section header lengths disagree: 28 at the start, 32 at the end');
  });

  it('rejects a bad byte-order magic and an unknown major version', async () => {
    const badMagic = buildPcapng({ sections: [{}] });
    badMagic.set([1, 2, 3, 4], 8);
    await expect(readAll(badMagic)).rejects.toThrow(/bad byte-order magic 0x01020304/);
    await expect(readAll(buildPcapng({ sections: [{ versionMajor: 2 }] }))).rejects.toThrow(/pcapng version 2\.0 is not supported/);
  });

  it('stops at a later block whose lengths disagree, keeping the packets before it', async () => {
    const damaged: PcapngSpec = {
      sections: [
        {
          interfaces: [{ linkType: 1 }],
          blocks: [
            { type: 'epb', data: packetA },
            { type: 'epb', data: packetB, trailingLength: 80 },
            { type: 'epb', data: packetC },
          ],
        },
      ],
    };
    const at = pcapngBlockOffsets(damaged)[3]!.offset;
    const { frames, reader } = await readAll(buildPcapng(damaged));
    expect(frames).toHaveLength(1);
    expect(reader.truncated).toMatchObject({ offset: at, kind: 'malformed' });
    expect(reader.truncated?.message).toBe(`enhanced packet block (packet 2) at offset ${at}: block lengths disagree (96 at the start, 80 at the end); reading stopped`);
  });

  it('stops at a block length below 12 or not a multiple of 4', async () => {
    for (const totalLength of [8, 30]) {
      const damaged: PcapngSpec = {
        sections: [{ interfaces: [{ linkType: 1 }], blocks: [{ type: 'epb', data: packetA }, { type: 'raw', blockType: 0x99, body: patternBytes(20), totalLength }] }],
      };
      const { frames, reader } = await readAll(buildPcapng(damaged));
      expect(frames).toHaveLength(1);
      expect(reader.truncated?.kind).toBe('malformed');
      expect(reader.truncated?.message).toMatch(new RegExp(`impossible length ${totalLength}`));
    }
  });

  it('stops at an absurd block length at once', async () => {
    const damaged: PcapngSpec = {
      sections: [{ interfaces: [{ linkType: 1 }], blocks: [{ type: 'epb', data: packetA, totalLength: 0xfffffff0 }] }],
    };
    const at = pcapngBlockOffsets(damaged)[2]!.offset;
    const { frames, reader } = await readAll(buildPcapng(damaged));
    expect(frames).toEqual([]);
    expect(reader.truncated?.message).toBe(`absurd record length 4294967280 at offset ${at} (enhanced packet block, packet 1); reading stopped`);
  });

  it('stops at a later section header with a bad byte-order magic', async () => {
    const two = buildPcapng({ sections: [{ interfaces: [{ linkType: 1 }], blocks: [{ type: 'epb', data: packetA }] }, {}] });
    const second = two.length - 28;
    two.set([9, 9, 9, 9], second + 8);
    const { frames, reader } = await readAll(two);
    expect(frames).toHaveLength(1);
    expect(reader.truncated).toMatchObject({ offset: second, kind: 'malformed' });
  });

  it('rejects every prefix of the section header block', async () => {
    for (let cut = 0; cut < shbLength; cut++) {
      const error = await readAll(file.subarray(0, cut)).catch((e: unknown) => e);
      expect(error, `cut at ${cut}`).toBeInstanceOf(CaptureFormatError);
      expect((error as CaptureFormatError).failure, `cut at ${cut}`).toBe(cut === 0 ? 'empty' : 'malformed-header');
    }
  });

  it('yields every whole packet block of every shorter file, then says where it was cut', async () => {
    const ends = blocks.map((b) => b.offset + b.length);
    for (let cut = shbLength; cut <= file.length; cut++) {
      const { frames, reader } = await readAll(file.subarray(0, cut));
      const whole = blocks.filter((b) => b.kind === 'epb' && b.offset + b.length <= cut).length;
      expect(frames.length, `cut at ${cut}`).toBe(whole);
      if (ends.includes(cut)) {
        expect(reader.truncated, `cut at ${cut}`).toBeUndefined();
        continue;
      }
      const block = blocks.find((b) => b.offset < cut && cut < b.offset + b.length)!;
      const available = cut - block.offset;
      expect(reader.truncated, `cut at ${cut}`).toMatchObject({ offset: block.offset, available, kind: 'truncated' });
      expect(reader.truncated?.needed, `cut at ${cut}`).toBe(available < 12 ? 12 : block.length);
      expect(reader.truncated?.message).toContain(`offset ${block.offset}`);
    }
  });

  it('rejects a truncated SHB body even if the file has more blocks after it', async () => {
    const shb = pcapngBlock({ type: 'raw', blockType: BlockType.SectionHeader, body: [0x4d, 0x3c, 0x2b, 0x1a] });
    await expect(readAll(shb)).rejects.toThrow(/section header length 16 is impossible/);
  });
});
