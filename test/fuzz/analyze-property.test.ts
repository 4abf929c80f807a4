/**
 * Properties of the whole pipeline (analyze(): reader → decode → filter → tracker → report) over
 * arbitrary input. The reader alone and the decoder alone have their own properties
 * (test/capture/open.test.ts, test/decode/property.test.ts); these check what a user gets.
 */
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { checkReport } from '../../scripts/fuzz/engine.mjs';
import { analyze } from '../../src/analyze.js';
import { captureNotes } from '../../src/cli/messages.js';
import { LinkType } from '../../src/decode/constants.js';
import { CaptureFormatError } from '../../src/errors.js';
import type { Report } from '../../src/report/model.js';
import { buildPcap, buildPcapng } from '../helpers/capture-builder.js';
import { ipv4, linkFrame, tcp } from '../helpers/packet-builder.js';
import { srcDeps } from './deps.js';

/** File starts that get arbitrary bytes past the magic and into the records. */
const starts: readonly (readonly number[])[] = [
  [],
  [0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 0, 1, 0, 0, 0],
  [0xa1, 0xb2, 0x3c, 0x4d, 0, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 0, 101],
  [0x0a, 0x0d, 0x0d, 0x0a, 0x1c, 0, 0, 0, 0x4d, 0x3c, 0x2b, 0x1a, 1, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x1c, 0, 0, 0],
  [0x0a, 0x0d, 0x0d, 0x0a, 0, 0, 0, 0x1c, 0x1a, 0x2b, 0x3c, 0x4d, 0, 1, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0x1c],
  [0x1f, 0x8b],
];

type Delivery = 'memory' | 'chunked' | 'stream' | 'gzip';

function deliver(bytes: Uint8Array, how: Delivery, chunkSize: number): Parameters<typeof analyze>[0] {
  switch (how) {
    case 'memory':
      return bytes;
    case 'chunked':
      return bytes; // with options.chunkSize below
    case 'stream': {
      const pieces: Buffer[] = [];
      for (let i = 0; i < bytes.length; i += chunkSize) pieces.push(Buffer.from(bytes.subarray(i, i + chunkSize)));
      return Readable.from(pieces);
    }
    case 'gzip':
      return gzipSync(bytes);
  }
}

/** A report that passes every consistency check, or a CaptureFormatError; nothing else. */
async function reportOrTypedError(input: Parameters<typeof analyze>[0], options: Parameters<typeof analyze>[1], size: number | undefined): Promise<Report | CaptureFormatError> {
  let report: Report;
  try {
    report = await analyze(input, options);
  } catch (error) {
    expect(error).toBeInstanceOf(CaptureFormatError);
    expect((error as Error).message).not.toMatch(/[\n\r]/);
    return error as CaptureFormatError;
  }
  expect(checkReport(report, size, srcDeps)).toEqual([]);
  return report;
}

describe('analyze() on any bytes', () => {
  test.prop(
    [
      fc.constantFrom(...starts),
      fc.uint8Array({ maxLength: 600 }),
      fc.constantFrom<Delivery>('memory', 'chunked', 'stream', 'gzip'),
      fc.integer({ min: 1, max: 50 }),
      fc.array(fc.integer({ min: 0, max: 65535 }), { maxLength: 2 }),
    ],
    { numRuns: 600 },
  )('gives a consistent report or a CaptureFormatError, whether read in place, in pieces, as a stream or gzip-compressed', async (start, rest, how, chunkSize, ports) => {
    const bytes = Uint8Array.from([...start, ...rest]);
    const options = { ports, ...(how === 'chunked' ? { chunkSize } : {}) };
    const size = how === 'memory' || how === 'chunked' ? bytes.length : undefined;
    const outcome = await reportOrTypedError(deliver(bytes, how, chunkSize), options, size);
    if (!(outcome instanceof CaptureFormatError)) {
      // A record header is at least 12 bytes: no more packets than that allows.
      expect(outcome.captures[0]!.packets).toBeLessThanOrEqual(bytes.length / 12);
    }
  });

  test.prop([fc.uint8Array({ minLength: 1, maxLength: 300 })], { numRuns: 300 })('anything that is not a capture fails as one, with exit-code-3 kinds only', async (bytes) => {
    const outcome = await reportOrTypedError(bytes, {}, bytes.length);
    if (outcome instanceof CaptureFormatError) {
      expect(['not-a-capture', 'compressed', 'malformed-header', 'empty']).toContain(outcome.failure);
      expect(outcome.message.startsWith('<memory>: ')).toBe(true);
    }
  });
});

const knownLinkTypes = Object.values(LinkType) as number[];
const linkTypeArbitrary = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...knownLinkTypes) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 0xffff }) },
);

/** Some frames valid TCP for their link type, the rest arbitrary bytes. */
const framesArbitrary = (linkType: number) =>
  fc.array(
    fc.oneof(
      fc.uint8Array({ maxLength: 120 }),
      fc.record({ seq: fc.nat(), flags: fc.nat(0xff), port: fc.integer({ min: 1, max: 65535 }) }).map(({ seq, flags, port }) =>
        knownLinkTypes.includes(linkType)
          ? linkFrame(linkType, ipv4({ src: '10.0.0.1', dst: '10.0.0.2', payload: tcp({ sourcePort: port, destinationPort: 80, seq, flags }) }))
          : new Uint8Array(0),
      ),
    ),
    { maxLength: 12 },
  );

describe('analyze() on any bytes as packets of every link type', () => {
  test.prop([linkTypeArbitrary.chain((linkType) => fc.tuple(fc.constant(linkType), framesArbitrary(linkType))), fc.constantFrom([], [80], [1, 2])], { numRuns: 500 })(
    'classic pcap: every record is counted once, as TCP, skipped or an issue; unknown link types are named',
    async ([linkType, frames], ports) => {
      const bytes = buildPcap({ linkType, records: frames.map((data, i) => ({ seconds: i, data })) });
      const report = (await reportOrTypedError(bytes, { ports }, bytes.length)) as Report;
      for (const connection of report.connections) {
        if (ports.length > 0) expect(ports.some((port) => [connection.client, connection.server].some((e) => e.endsWith(`:${port}`)))).toBe(true);
      }
      const capture = report.captures[0]!;
      expect(capture.packets).toBe(frames.length);
      expect(capture.truncated).toBe(false);
      expect(capture.linkTypes).toEqual([linkType]);
      if (!knownLinkTypes.includes(linkType)) {
        expect(capture.skipped.unknownLinkType).toBe(frames.length);
        if (frames.length > 0) expect(captureNotes(report)).toContainEqual(expect.stringContaining(`unsupported link type (${linkType})`));
      }
    },
  );

  test.prop([fc.array(fc.tuple(linkTypeArbitrary, fc.uint8Array({ maxLength: 100 })), { minLength: 1, maxLength: 8 }), fc.boolean()], { numRuns: 300 })(
    'pcapng with one interface per link type: every packet block is counted, link types listed per interface',
    async (packets, bigEndian) => {
      const linkTypes = [...new Set(packets.map(([linkType]) => linkType))];
      const bytes = buildPcapng({
        sections: [
          {
            bigEndian,
            interfaces: linkTypes.map((linkType) => ({ linkType })),
            blocks: packets.map(([linkType, data], i) => ({ type: 'epb', interfaceId: linkTypes.indexOf(linkType), timestamp: i, data })),
          },
        ],
      });
      const report = (await reportOrTypedError(bytes, {}, bytes.length)) as Report;
      expect(report.captures[0]!.packets).toBe(packets.length);
      expect(report.captures[0]!.linkTypes).toEqual(linkTypes);
    },
  );
});
