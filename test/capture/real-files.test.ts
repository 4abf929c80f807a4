import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { epoch, readAll } from './read-all.js';

/*
 * Real captures from public repositories, checked against tshark/capinfos answers stored in
 * ../shared/captures/truth/<name>.json (see its MANIFEST.md). Skipped when the folder is absent.
 */

const capturesRoot = resolve(import.meta.dirname, '../../../shared/captures');
const filesDir = resolve(capturesRoot, 'files');
const truthDir = resolve(capturesRoot, 'truth');
const available = existsSync(filesDir) && existsSync(truthDir);

interface Truth {
  container: {
    size_bytes: number;
    format: 'pcap' | 'pcapng';
    ts_resolution?: 'usec' | 'nsec';
    linktype?: number;
    records_complete?: number;
    records_incl_lt_orig?: number;
    truncated_file?: string;
    sections?: { interfaces: { linktype: number }[] }[];
    packets_truncated_by_snaplen?: number;
  };
  capinfos: { 'Number of packets': string };
  connections: { first_frame: number; first_time: string; last_frame: number; last_time: string }[];
}

const names = available ? readdirSync(filesDir).filter((name) => existsSync(resolve(truthDir, `${name}.json`))).sort() : [];

describe.skipIf(!available)('real captures agree with tshark and capinfos', () => {
  it('finds the corpus', () => {
    expect(names.length).toBeGreaterThan(30);
  });

  for (const name of names) {
    it(name, async () => {
      const truth = JSON.parse(readFileSync(resolve(truthDir, `${name}.json`), 'utf8')) as Truth;
      const container = truth.container;
      const { frames, reader } = await readAll(resolve(filesDir, name));

      expect(reader.format).toBe(container.format);
      expect(reader.totalBytes).toBe(container.size_bytes);
      expect(frames.length).toBe(Number(truth.capinfos['Number of packets']));
      const cutBySnaplen = frames.filter((f) => f.data.length / 2 < f.originalLength).length;

      if (container.format === 'pcap') {
        expect(reader.linkTypes).toEqual([container.linktype]);
        expect(frames.length).toBe(container.records_complete);
        expect(cutBySnaplen).toBe(container.records_incl_lt_orig);
        const precision = container.ts_resolution === 'nsec' ? 9 : 6;
        expect(frames.every((f) => f.precision === precision)).toBe(true);
      } else {
        const linkTypes = [...new Set(container.sections!.flatMap((s) => s.interfaces.map((i) => i.linktype)))];
        expect(reader.linkTypes).toEqual(linkTypes);
        expect(cutBySnaplen).toBe(container.packets_truncated_by_snaplen);
      }

      if (container.truncated_file === undefined) {
        expect(reader.truncated).toBeUndefined();
        expect(reader.bytesRead).toBe(container.size_bytes);
      } else {
        // e.g. "record 78 cut: header says 68 bytes, 30 present"
        const [, record, detail] = /^record (\d+) cut: (.*)$/.exec(container.truncated_file)!;
        expect(reader.truncated?.kind).toBe('truncated');
        expect(reader.truncated?.message).toContain(`record ${record} at offset`);
        expect(reader.truncated?.message).toContain(detail);
      }

      // tshark's frame.time_epoch for the first and last frame of every connection.
      for (const connection of truth.connections) {
        expect(epoch(frames[connection.first_frame - 1]!), `frame ${connection.first_frame}`).toBe(connection.first_time);
        expect(epoch(frames[connection.last_frame - 1]!), `frame ${connection.last_frame}`).toBe(connection.last_time);
      }
      expect(frames.map((f) => f.number)).toEqual(frames.map((_, i) => i + 1));
    });
  }

  it('reads binary if_tsresol 2^-8 in test902.pcapng as tshark does (1519128000.1953125)', async () => {
    const { frames } = await readAll(resolve(filesDir, 'test902.pcapng'));
    expect(frames.map((f) => [epoch(f), f.precision])).toEqual([['1519128000.195312500', 3]]);
  });

  it('reads the 3 sections of alternating byte order in test202.pcapng', async () => {
    const { frames, reader } = await readAll(resolve(filesDir, 'test202.pcapng'));
    // tshark -T fields -e frame.interface_id -e frame.len -e frame.cap_len -e frame.time_epoch
    // (its records 1, 7 and 10 are custom blocks; SPBs have no timestamp).
    const t = '1340954905.298858000';
    const u = '1340954905.301858000';
    expect(frames.map((f) => [f.interfaceId, f.linkType, f.originalLength, f.data.length / 2, epoch(f)])).toEqual([
      [0, 1, 314, 96, t],
      [0, 1, 342, 96, t],
      [1, 0, 168, 168, u],
      [0, 1, 314, 128, '0.000000000'],
      [0, 1, 342, 128, t],
      [0, 1, 314, 128, '0.000000000'],
      [0, 1, 342, 128, t],
      [1, 0, 168, 168, u],
    ]);
    expect(reader.linkTypes).toEqual([1, 0]);
    expect(reader.warnings).toEqual([]);
  });
});
