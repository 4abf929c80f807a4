/**
 * What the fuzzer found, one test per behaviour, on the smallest input that shows it.
 */
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import { ByteSource, MemoryPuller } from '../../src/capture/source.js';
import { buildPcapng, joinBytes, patternBytes, pcapFileHeader, pcapngBlockOffsets, pcapRecord, type PcapngSpec } from '../helpers/capture-builder.js';

const twoSections: PcapngSpec = {
  sections: [
    { interfaces: [{ linkType: 1 }], blocks: [{ type: 'epb', timestamp: 1, data: patternBytes(60) }] },
    { bigEndian: true, interfaces: [{ linkType: 1 }], blocks: [{ type: 'epb', timestamp: 2, data: patternBytes(60) }] },
  ],
};

describe('fuzz findings', () => {
  it('an absurd length in a later section header block is called absurd, not merely impossible', async () => {
    const bytes = buildPcapng(twoSections);
    const second = pcapngBlockOffsets(twoSections).filter((b) => b.kind === 'shb')[1]!.offset;
    new DataView(bytes.buffer).setUint32(second + 4, 0xffffffff, false);
    const report = await analyze(bytes);
    expect(report.captures[0]).toMatchObject({
      packets: 1,
      truncation: { kind: 'malformed', offset: second, message: `absurd record length 4294967295 at offset ${second} (section header block); reading stopped` },
    });
  });

  it('a pcapng file cut inside a block header names the packet before the cut', async () => {
    const bytes = buildPcapng(twoSections);
    const blocks = pcapngBlockOffsets(twoSections);
    const lastEpb = blocks.at(-1)!.offset;
    const report = await analyze(bytes.subarray(0, lastEpb + 5));
    expect(report.captures[0]!.truncation?.message).toBe(`file ends inside a block header at offset ${lastEpb}, after packet 1: 5 of 8 bytes present`);
    const first = blocks.find((b) => b.kind === 'epb')!.offset;
    const early = await analyze(bytes.subarray(0, first + 3));
    expect(early.captures[0]!.truncation?.message).toBe(`file ends inside a block header at offset ${first}, before the first packet: 3 of 8 bytes present`);
  });

  it('a length that claims more than a stream holds costs what the stream holds, not what the length says', async () => {
    // Before: the buffer was grown to the claimed length at once (60 MB for a 1 KB pipe).
    const source = new ByteSource(new MemoryPuller(patternBytes(1000)), { chunkSize: 256 });
    while (await source.refill(0, 60_000_000));
    expect(source.buffer.length).toBeLessThanOrEqual(2048);
    const head = joinBytes(pcapFileHeader({}), pcapRecord({ seconds: 1, data: patternBytes(40), includedLength: 60_000_000, originalLength: 60_000_000 }));
    const report = await analyze(Readable.from([Buffer.from(head)]));
    expect(report.captures[0]).toMatchObject({ packets: 0, truncation: { kind: 'truncated', offset: 24, needed: 60_000_016, available: 56 } });
  });
});
