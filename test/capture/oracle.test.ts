import { existsSync, readdirSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildPcap, patternBytes } from '../helpers/capture-builder.js';
import { readAll } from './read-all.js';

/*
 * Oracle: the npm `pcap-parser` package (an independent classic-pcap reader) must see exactly our
 * frames. It only reads microsecond pcap (magic a1b2c3d4 in either byte order), and silently drops
 * a cut last record, so it is compared on whole records only.
 */

interface OracleHeader {
  timestampSeconds: number;
  timestampMicroseconds: number;
  capturedLength: number;
  originalLength: number;
}
interface OracleParser {
  on(event: 'packet', listener: (packet: { header: OracleHeader; data: Buffer }) => void): OracleParser;
  on(event: 'end', listener: () => void): OracleParser;
  on(event: 'error', listener: (error: Error) => void): OracleParser;
}
const require = createRequire(import.meta.url);
const pcapParser = require('pcap-parser') as { parse(input: string): OracleParser };

interface OracleFrame {
  seconds: number;
  nanos: number;
  originalLength: number;
  data: string;
}

/** Every packet pcap-parser reports, or undefined when it refuses the file. */
function oracle(path: string): Promise<OracleFrame[] | undefined> {
  return new Promise((done) => {
    const frames: OracleFrame[] = [];
    let failed = false;
    pcapParser
      .parse(path)
      .on('packet', ({ header, data }) => {
        expect(data.length).toBe(header.capturedLength);
        frames.push({
          seconds: header.timestampSeconds,
          nanos: header.timestampMicroseconds * 1000,
          originalLength: header.originalLength,
          data: data.toString('hex'),
        });
      })
      .on('error', () => {
        failed = true;
      })
      .on('end', () => done(failed ? undefined : frames));
  });
}

async function ours(path: string): Promise<OracleFrame[]> {
  const { frames } = await readAll(path);
  return frames.map(({ seconds, nanos, originalLength, data }) => ({ seconds, nanos, originalLength, data }));
}

const filesDir = resolve(import.meta.dirname, '../../../shared/captures/files');
const realFiles = existsSync(filesDir) ? readdirSync(filesDir).filter((name) => name.endsWith('.pcap')).sort() : [];

const dir = mkdtempSync(join(tmpdir(), 'synfin-oracle-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('pcap-parser (npm) sees the same frames', () => {
  it('on a file built by the capture builder, in both byte orders', async () => {
    for (const bigEndian of [false, true]) {
      const path = join(dir, `built-${bigEndian ? 'be' : 'le'}.pcap`);
      writeFileSync(
        path,
        buildPcap({
          bigEndian,
          records: Array.from({ length: 50 }, (_, i) => ({
            seconds: 1_600_000_000 + i,
            fraction: (i * 19_997) % 1_000_000,
            data: patternBytes(20 + ((i * 37) % 1500), i),
            originalLength: 20 + ((i * 37) % 1500) + (i % 3),
          })),
        }),
      );
      const expected = await oracle(path);
      expect(expected).toHaveLength(50);
      expect(await ours(path)).toEqual(expected);
    }
  });

  it.skipIf(realFiles.length === 0)('on every classic microsecond pcap of the corpus', async () => {
    let compared = 0;
    for (const name of realFiles) {
      const path = resolve(filesDir, name);
      const expected = await oracle(path);
      if (expected === undefined) continue; // nanosecond pcap: pcap-parser refuses it
      expect(await ours(path), name).toEqual(expected);
      compared++;
    }
    expect(compared).toBeGreaterThanOrEqual(25);
  });
});
