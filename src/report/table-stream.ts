import type { TrackedAnalysis } from '../analyze.js';
import { bottomRule, boxRow, cellWidth, topRule, widen } from './box-table.js';
import { connectionReport } from './build.js';
import type { ConnectionReport } from './model.js';
import { summarizeTracked, type Summarized } from './json-stream.js';
import { summaryLineOf, TABLE_HEAD, tableRow } from './table.js';
import { Utf8Chunks } from './utf8-chunks.js';

/**
 * The table in pieces of UTF-8: the same text as renderTable(buildReport(...)), byte for byte,
 * without every connection's report in memory at once (100k connections took 4-5 s and ~500 MB
 * that way). One walk sizes the columns, a second writes the rows; each report is built, used
 * and dropped. next(true) releases the chunk just yielded; `summarized` and `each` are as in
 * renderJsonChunks (`each` sees the reports of the second walk, the one that writes rows).
 */
export function* renderTableChunks(
  analysis: Omit<TrackedAnalysis, 'connections'>,
  summarized: Summarized = summarizeTracked(analysis),
  each?: (report: ConnectionReport) => void,
): Generator<Uint8Array, void, boolean | undefined> {
  const { insight } = analysis;
  const count = analysis.connectionCount;
  const widths = TABLE_HEAD.map(cellWidth);
  for (let i = 0; i < count; i++) widen(widths, tableRow(connectionReport(analysis.connectionAt(i), insight)));
  const chunks = new Utf8Chunks();
  if (count > 0) {
    yield* chunks.emit(`${topRule(widths)}\n${boxRow(TABLE_HEAD, widths)}\n`);
    for (let i = 0; i < count; i++) {
      const report = connectionReport(analysis.connectionAt(i), insight);
      each?.(report);
      // add() and a yield, not emit(): no generator per row (see renderJsonChunks).
      const full = chunks.add(`${boxRow(tableRow(report), widths)}\n`);
      if (full !== undefined && (yield full) === true) chunks.release(full);
    }
    yield* chunks.emit(`${bottomRule(widths)}\n`);
  }
  const { summary, verdicts, carrying } = summarized;
  yield* chunks.emit(`${[summaryLineOf(summary, carrying), ...verdicts.map((verdict) => verdict.text)].join('\n')}\n`);
  const rest = chunks.take();
  if (rest !== undefined) yield rest;
}
