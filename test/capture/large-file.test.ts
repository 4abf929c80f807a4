import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { openCapture } from '../../src/capture/open.js';
import { joinBytes, pcapFileHeader, pcapRecord } from '../helpers/capture-builder.js';

const dir = mkdtempSync(join(tmpdir(), 'synfin-large-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Speed is measured by `npm run bench`, never here: this checks a file many chunks long.
it('frames a 32 MiB file read in 1 MiB chunks, every record whole', async () => {
  const record = pcapRecord({ seconds: 1, fraction: 2, data: new Uint8Array(1500) });
  const count = Math.floor((32 << 20) / record.length);
  const body = new Uint8Array(record.length * count);
  for (let i = 0; i < count; i++) body.set(record, i * record.length);
  const path = join(dir, 'big.pcap');
  writeFileSync(path, joinBytes(pcapFileHeader({}), body));

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
  expect(frames).toBe(count);
  expect(bytes).toBe(count * 1500);
  expect(reader.truncated).toBeUndefined();
});
