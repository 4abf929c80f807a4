// @ts-check
/** The built library (dist/), as the fuzz engine's `deps`. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { repoRoot } from './corpus.mjs';

export async function loadDistDeps() {
  const dist = join(repoRoot, 'dist');
  if (!existsSync(join(dist, 'index.js'))) {
    throw new Error(`${dist}/index.js not found; run \`npm run build\` first`);
  }
  const lib = await import(pathToFileURL(join(dist, 'index.js')).href);
  const { captureNotes } = await import(pathToFileURL(join(dist, 'cli/messages.js')).href);
  return {
    analyze: lib.analyze,
    openCapture: lib.openCapture,
    CaptureFormatError: lib.CaptureFormatError,
    decodePacket: lib.decodePacket,
    createDecodedPacket: lib.createDecodedPacket,
    DecodeStatus: lib.DecodeStatus,
    renderTable: lib.renderTable,
    renderJson: lib.renderJson,
    captureNotes,
    gzip: (/** @type {Uint8Array} */ bytes) => new Uint8Array(gzipSync(bytes)),
  };
}
