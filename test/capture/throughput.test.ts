import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { openCapture } from '../../src/capture/open.js';
import { joinBytes, pcapFileHeader, pcapRecord } from '../helpers/capture-builder.js';

const dir = mkdtempSync(join(tmpdir(), 'synfin-throughput-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/*
 * A guard against gross regressions only (a per-frame promise or copy costs 10x or more): the
 * reader frames ~5 GB/s of 1500-byte records on a laptop; the bar here is far lower so that a
 * loaded CI machine passes.
 */
it('frames a 32 MiB file of full-size records quickly, in constant memory', async () => {
  const record = pcapRecord({ seconds: 1, fraction: 2, data: new Uint8Array(1500) });
  const count = Math.floor((32 << 20) / record.length);
  const body = new Uint8Array(record.length * count);
  for (let i = 0; i < count; i++) body.set(record, i * record.length);
  const path = join(dir, 'big.pcap');
  writeFileSync(path, joinBytes(pcapFileHeader({}), body));

  const started = performance.now();
  const reader = await openCapture(path, { chunkSize: 1 << 20 });
  let frames = 0;
  let bytes = 0;
  for (;;) {
    let frame;
    while ((frame = reader.next())) {
      frames++;
      bytes += frame.data.length;
    }
    if (!(await reader.fill())) break;
  }
  await reader.close();
  const seconds = (performance.now() - started) / 1000;
  expect(frames).toBe(count);
  expect(bytes).toBe(count * 1500);
  expect(reader.truncated).toBeUndefined();
  expect(body.length / seconds).toBeGreaterThan(100e6);
});
