/** The library under test (src/), as the fuzz engine's `deps` (scripts/fuzz/engine.mjs). */
import { gzipSync } from 'node:zlib';
import { analyze } from '../../src/analyze.js';
import { openCapture } from '../../src/capture/open.js';
import { captureNotes } from '../../src/cli/messages.js';
import { createDecodedPacket, DecodeStatus } from '../../src/decode/decoded.js';
import { decodePacket } from '../../src/decode/packet.js';
import { CaptureFormatError } from '../../src/errors.js';
import { renderJson } from '../../src/report/json.js';
import { renderTable } from '../../src/report/table.js';

export const srcDeps = {
  analyze,
  openCapture,
  CaptureFormatError,
  decodePacket,
  createDecodedPacket,
  DecodeStatus,
  renderTable,
  renderJson,
  captureNotes,
  gzip: (bytes: Uint8Array): Uint8Array => new Uint8Array(gzipSync(bytes)),
};

export type Deps = typeof srcDeps;
