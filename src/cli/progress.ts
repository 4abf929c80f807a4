import type { AnalyzeProgress } from '../analyze.js';
import type { ProgramIo } from './io.js';

/** Files smaller than this finish before a bar would be worth drawing. */
const MIN_BYTES_FOR_PROGRESS = 8 * 1024 * 1024;

export interface Progress {
  update(progress: AnalyzeProgress): void;
  done(): void;
}

function megabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(0)} MB`;
}

/**
 * A one-line progress bar on stderr, for people only: nothing when stderr is not a terminal,
 * nothing for small files, and the line is erased when the work is done.
 */
export function createProgress(io: ProgramIo, now: () => number = Date.now): Progress | undefined {
  if (!io.stderrIsTty) return undefined;
  const started = now();
  let drawn = false;
  let lastDraw = 0;
  return {
    update(progress) {
      const { bytesRead, totalBytes } = progress;
      if ((totalBytes ?? bytesRead) < MIN_BYTES_FOR_PROGRESS) return;
      const time = now();
      if (time - lastDraw < 100) return;
      lastDraw = time;
      const seconds = Math.max(0.001, (time - started) / 1000);
      const rate = `${(bytesRead / 1e6 / seconds).toFixed(0)} MB/s`;
      const width = 24;
      let bar = '';
      let done = '';
      if (totalBytes) {
        const fraction = Math.min(1, bytesRead / totalBytes);
        const filled = Math.round(fraction * width);
        bar = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${(fraction * 100).toFixed(0).padStart(3)}% `;
        done = `${megabytes(bytesRead)}/${megabytes(totalBytes)}`;
      } else {
        done = megabytes(bytesRead);
      }
      io.stderr(`\r${bar}${done} · ${progress.packets} packets · ${progress.connections} connections · ${rate}\x1b[K`);
      drawn = true;
    },
    done() {
      if (drawn) io.stderr('\r\x1b[K');
      drawn = false;
    },
  };
}
