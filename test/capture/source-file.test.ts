import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openFileSource } from '../../src/capture/source-file.js';
import { repoRoot } from '../helpers/shared-captures.js';

const fixture = join(repoRoot, 'fixtures', 'server-closes.pcap');
const dir = mkdtempSync(join(tmpdir(), 'synfin-source-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** File-system requests waiting on libuv's thread pool. */
function poolRequests(): number {
  return process.getActiveResourcesInfo().filter((name) => name === 'FSReqPromise' || name === 'FSReqCallback').length;
}

async function readAll(path: string): Promise<Buffer> {
  const source = await openFileSource(path, { chunkSize: 4096 });
  const parts: Buffer[] = [];
  try {
    let consumed = 0;
    while (await source.refill(consumed, 1)) {
      parts.push(Buffer.from(source.buffer.subarray(0, source.length)));
      consumed = source.length;
    }
  } finally {
    await source.close();
  }
  return Buffer.concat(parts);
}

describe('openFileSource', () => {
  it('opens, reads and closes a regular file without the thread pool', async () => {
    const before = poolRequests();
    const opening = openFileSource(fixture);
    expect(poolRequests()).toBe(before);
    const source = await opening;
    expect(source.totalBytes).toBe(readFileSync(fixture).length);
    await source.close();
    expect(await readAll(fixture)).toEqual(readFileSync(fixture));
  });

  const noMkfifo = spawnSync('mkfifo', ['--version']).status !== 0;
  it.skipIf(noMkfifo)('opens a named pipe on the thread pool, so that a writer in this same process can open its end', async () => {
    const fifo = join(dir, 'pipe.pcap');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const writer = createWriteStream(fifo);
    writer.on('open', () => writer.end(readFileSync(fixture)));
    expect(await readAll(fifo)).toEqual(readFileSync(fixture));
  });
});
