/**
 * The seeded fuzz pass: every capture of the corpus (fixtures/ and ../shared/captures/files) cut at
 * every offset (small files) or at offsets around sampled record boundaries (larger ones), then
 * damaged by a fixed number of seeded random mutations (header bit and byte flips, bytes anywhere,
 * absurd lengths, gzip then cut). The same engine runs for minutes with `npm run fuzz`.
 * Invariants: see scripts/fuzz/engine.mjs.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { corpusDirs, corpusFiles, readCorpusFile } from '../../scripts/fuzz/corpus.mjs';
import { caseSeed, checkCut, checkDamaged, cutOffsets, frameCapture, MAX_RECORD_LENGTH as ENGINE_MAX_RECORD_LENGTH, profileCapture, randomCase } from '../../scripts/fuzz/engine.mjs';
import { MAX_RECORD_LENGTH } from '../../src/capture/limits.js';
import { buildPcap, buildPcapng, patternBytes } from '../helpers/capture-builder.js';
import { srcDeps, type Deps } from './deps.js';

const SEED = 7;
/** Files up to this size are cut at every offset. */
const EVERY_OFFSET_UP_TO = 8192;
const RANDOM_CASES_PER_FILE = 60;
/** Read sizes for the cut pass, in turn: mostly in place, sometimes in small pieces. */
const CHUNK_SIZES = [undefined, undefined, 7, undefined, undefined, 64];

const files = corpusFiles();

function report(name: string, findings: string[]): void {
  expect(findings.slice(0, 10), `${name}: ${findings.length} finding(s)`).toEqual([]);
}

describe('seeded mutation fuzzing over the corpus', () => {
  it('finds the corpus: the fixtures, and the shared captures when they are beside the repository', () => {
    expect(files.filter((f) => f.path.startsWith(corpusDirs[0]!)).length).toBeGreaterThanOrEqual(8);
    if (existsSync(corpusDirs[1]!)) expect(files.filter((f) => f.path.startsWith(corpusDirs[1]!)).length).toBeGreaterThan(30);
  });

  files.forEach((file, fileIndex) => {
    it(`${file.name}: cut anywhere, every whole record before the cut is counted and the cut is named`, { timeout: 120_000 }, async () => {
      const profile = await profileCapture(file.name, readCorpusFile(file), srcDeps);
      expect(profile, 'the fuzzer can frame it').toBeDefined();
      const findings: string[] = [];
      const offsets = cutOffsets(profile!, EVERY_OFFSET_UP_TO);
      for (const [i, cut] of offsets.entries()) {
        const chunkSize = CHUNK_SIZES[i % CHUNK_SIZES.length];
        const options = { chunkSize, gzip: i % 97 === 0, render: i % 16 === 0 };
        for (const problem of await checkCut(profile!, cut, srcDeps, options)) {
          findings.push(`cut at ${cut} (chunk ${chunkSize ?? 'none'}): ${problem}`);
        }
      }
      report(file.name, findings);
    });

    it(`${file.name}: ${RANDOM_CASES_PER_FILE} seeded header flips, byte changes, absurd lengths and gzip cuts`, { timeout: 120_000 }, async () => {
      const profile = (await profileCapture(file.name, readCorpusFile(file), srcDeps))!;
      const findings: string[] = [];
      for (let i = 0; i < RANDOM_CASES_PER_FILE; i++) {
        const result = await randomCase(profile, caseSeed(SEED, fileIndex * 100_000 + i), srcDeps);
        for (const problem of result.problems) findings.push(`${result.kind} ${result.detail}: ${problem}`);
      }
      report(file.name, findings);
    });
  });
});

describe('the fuzz checks can fail', () => {
  const capture = buildPcap({
    records: Array.from({ length: 5 }, (_, i) => ({ seconds: i, data: patternBytes(40 + i) })),
  });

  /** A pipeline that lies in one way, to show each invariant catches it. */
  function lying(change: (report: Awaited<ReturnType<Deps['analyze']>>) => void): Deps {
    return {
      ...srcDeps,
      analyze: async (...args: Parameters<Deps['analyze']>) => {
        const result = await srcDeps.analyze(...args);
        change(result);
        return result;
      },
    };
  }

  async function problemsAt(deps: Deps, cut: number): Promise<string[]> {
    const profile = (await profileCapture('built.pcap', capture, srcDeps))!;
    return checkCut(profile, cut, deps);
  }

  it('the honest pipeline passes', async () => {
    expect(await problemsAt(srcDeps, capture.length - 3)).toEqual([]);
  });

  it('a reader that silently drops a cut tail is caught', async () => {
    const problems = await problemsAt(lying((r) => { r.captures[0]!.truncated = false; r.captures[0]!.truncation = null; }), capture.length - 3);
    expect(problems).toContainEqual(expect.stringMatching(/inside the record at \d+, not reported/));
  });

  it('a reader that loses the last whole record is caught', async () => {
    const problems = await problemsAt(lying((r) => { r.captures[0]!.packets--; }), capture.length - 3);
    expect(problems).toContainEqual(expect.stringMatching(/packets, expected the 4 whole records before the cut/));
  });

  it('a truncation at the wrong offset, or not naming its packet, is caught', async () => {
    const problems = await problemsAt(
      lying((r) => { r.captures[0]!.truncation!.offset += 1; r.captures[0]!.truncation!.message = 'cut somewhere'; }),
      capture.length - 3,
    );
    expect(problems).toContainEqual(expect.stringMatching(/does not name its offset/));
    expect(problems).toContainEqual(expect.stringMatching(/truncation at offset \d+, expected \d+/));
    expect(problems).toContainEqual(expect.stringMatching(/does not name packet 5/));
  });

  it('a record lost after damage to bytes that do not frame records (a timestamp) is caught', async () => {
    const profile = (await profileCapture('built.pcap', capture, srcDeps))!;
    const damaged = capture.slice();
    damaged[24] ^= 0x01; // the first record's timestamp
    expect(await checkDamaged(profile, damaged, 24, srcDeps, undefined, [24])).toEqual([]);
    const problems = await checkDamaged(profile, damaged, 24, lying((r) => { r.captures[0]!.packets--; r.captures[0]!.skipped.nonIp--; }), undefined, [24]);
    expect(problems).toContainEqual('only non-framing bytes changed, yet 4 packets of 5');
  });

  it('a crash other than CaptureFormatError is caught', async () => {
    const problems = await problemsAt({ ...srcDeps, analyze: () => Promise.reject(new RangeError('Offset is outside the bounds of the DataView')) }, 100);
    expect(problems).toEqual([expect.stringMatching(/^threw RangeError: Offset is outside/)]);
  });

  it('counts that do not add up, or a non-finite number, are caught', async () => {
    const problems = await problemsAt(lying((r) => { r.captures[0]!.skipped.nonIp += 1; r.summary.packets = Number.NaN; }), capture.length);
    expect(problems).toContainEqual(expect.stringMatching(/but TCP \+ skipped \+ issues/));
    expect(problems).toContainEqual('report.summary.packets is NaN');
  });
});

describe('the framing oracle', () => {
  it("uses the readers' cap for an absurd length", () => {
    expect(ENGINE_MAX_RECORD_LENGTH).toBe(MAX_RECORD_LENGTH);
  });

  it('walks pcap records and pcapng blocks of both byte orders independently of the readers', () => {
    const pcap = frameCapture(buildPcap({ bigEndian: true, records: [{ seconds: 1, data: patternBytes(10) }, { seconds: 2, data: patternBytes(3) }] }))!;
    expect(pcap.records.map((r) => [r.offset, r.end])).toEqual([[24, 50], [50, 69]]);
    const ng = frameCapture(
      buildPcapng({
        sections: [
          { interfaces: [{ linkType: 1 }], blocks: [{ type: 'epb', data: patternBytes(5) }] },
          { bigEndian: true, interfaces: [{ linkType: 1 }], blocks: [{ type: 'spb', data: patternBytes(7) }] },
        ],
      }),
    )!;
    expect(ng.format).toBe('pcapng');
    expect(ng.records.map((r) => r.packet)).toEqual([false, true, false, false, true]);
    expect(ng.records.at(-1)!.littleEndian).toBe(false);
  });
});
