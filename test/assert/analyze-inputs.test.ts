/** analyze() takes a path, several paths, bytes (Buffer or Uint8Array) or a stream, and gives the --json report. */
import { createReadStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/index.js';
import { runCli } from '../helpers/run-cli.js';
import { repoRoot } from '../helpers/shared-captures.js';

const file = join(repoRoot, 'fixtures', 'server-closes.pcap');
const other = join(repoRoot, 'fixtures', 'refused.pcap');

/** The parts of a report that do not depend on how the input was named. */
function shape(report: Awaited<ReturnType<typeof analyze>>) {
  return { summary: report.summary, connections: report.connections };
}

describe('analyze(input)', () => {
  it('a path gives exactly what synfin --json prints', async () => {
    const report = await analyze(file, { ports: [8087] });
    const cli = await runCli([file, '--port', '8087', '--json']);
    expect(JSON.parse(cli.stdout)).toEqual(JSON.parse(JSON.stringify(report)));
    expect(report.summary).toMatchObject({ connections: 3, handshakes: 3, closedBy: { server: 3, client: 0 } });
  });

  it('a Buffer, a Uint8Array and a Readable give the same connections as the path', async () => {
    const byPath = shape(await analyze(file));
    const buffer = readFileSync(file);
    expect(shape(await analyze(buffer))).toEqual(byPath);
    expect(shape(await analyze(new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength)))).toEqual(byPath);
    expect(shape(await analyze(createReadStream(file)))).toEqual(byPath);
    // A stream that hands over the bytes in small uneven pieces.
    const pieces = Array.from({ length: Math.ceil(buffer.length / 7) }, (_, i) => buffer.subarray(i * 7, i * 7 + 7));
    expect(shape(await analyze(Readable.from(pieces)))).toEqual(byPath);
  });

  it('several paths are one capture, merged by time', async () => {
    const report = await analyze([file, other]);
    expect(report.captures.map((c) => c.path)).toEqual([file, other]);
    expect(report.summary.connections).toBe(3 + 2);
    expect(report.summary.closedWith).toEqual({ fin: 3, rst: 2 });
  });

  it('no input at all is an error', async () => {
    await expect(analyze([])).rejects.toThrow('analyze() needs at least one capture');
  });
});
