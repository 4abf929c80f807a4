/** A capture tool that fails in odd ways gives a CaptureToolError, leaves no file and never hangs (no root needed). */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CaptureToolError } from '../../src/live/errors.js';
import { liveCaptureCount } from '../../src/live/reaper.js';
import { CaptureSession } from '../../src/live/session.js';

const work = mkdtempSync(join(tmpdir(), 'synfin-fake-tools-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A directory holding one fake `tcpdump` with this script. */
function fakeTool(name: string, script: string): string {
  const directory = join(work, name);
  mkdirSync(directory);
  writeFileSync(join(directory, 'tcpdump'), script);
  chmodSync(join(directory, 'tcpdump'), 0o755);
  return directory;
}

async function startError(searchPath: string, keep?: string): Promise<CaptureToolError> {
  try {
    const session = await CaptureSession.start({ ports: [9], searchPath, ...(keep ? { keep } : {}) });
    await session.abort();
  } catch (error) {
    expect(error).toBeInstanceOf(CaptureToolError);
    return error as CaptureToolError;
  }
  throw new Error('the capture started');
}

describe('capture tools that fail', () => {
  it('exits at once with a message: that message, and the kept file is not left behind', async () => {
    const keep = join(work, 'kept.pcap');
    const error = await startError(fakeTool('exits', '#!/bin/sh\necho "tcpdump: BIOCSETIF: bad thing happened" >&2\nexit 1\n'), keep);
    expect(error.kind).toBe('failed');
    expect(error.message).toBe('tcpdump could not capture on lo: tcpdump: BIOCSETIF: bad thing happened');
    expect(existsSync(keep)).toBe(false);
    expect(liveCaptureCount()).toBe(0);
  });

  it('cannot be started at all (a broken interpreter line)', async () => {
    const error = await startError(fakeTool('broken', '#!/nonexistent/interpreter\n'));
    expect(error.kind).toBe('failed');
    expect(error.message).toMatch(/^tcpdump could not capture on lo: .*ENOENT/);
    expect(liveCaptureCount()).toBe(0);
  });

  it('says it listens but never captures anything: the probe is never seen', async () => {
    const error = await startError(fakeTool('silent', '#!/bin/sh\necho "listening on lo" >&2\nexec sleep 30\n'));
    expect(error.message).toBe('tcpdump is running on lo but no probe packet reached the capture (at start, within 10 s)');
    expect(liveCaptureCount()).toBe(0);
  }, 20_000);

  it('a directory named tcpdump is not a tool', async () => {
    const directory = join(work, 'dir');
    mkdirSync(join(directory, 'tcpdump'), { recursive: true });
    expect((await startError(directory)).kind).toBe('not-installed');
  });
});
