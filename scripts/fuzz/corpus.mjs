// @ts-check
/** The captures to damage: the project's fixtures and the shared public samples beside the repo. */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const corpusDirs = [join(repoRoot, 'fixtures'), resolve(repoRoot, '../shared/captures/files')];

/** @returns {{ name: string, path: string }[]} every .pcap / .pcapng file found, by name */
export function corpusFiles(dirs = corpusDirs) {
  const files = [];
  for (const dir of dirs) {
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (/\.(pcap|pcapng)$/.test(name) && statSync(path).isFile()) files.push({ name, path });
    }
  }
  return files;
}

export function readCorpusFile(file) {
  return new Uint8Array(readFileSync(file.path));
}
