import type { TrackedAnalysis } from '../analyze.js';
import { bottomRule, boxRow, cellWidth, topRule, widen } from './box-table.js';
import { connectionReport } from './build.js';
import { summarizeTracked } from './json-stream.js';
import { carriesRequests, summaryLineOf, TABLE_HEAD, tableRow } from './table.js';
import { Utf8Chunks } from './utf8-chunks.js';

/**
 * The table in pieces of UTF-8: the same text as renderTable(buildReport(...)), byte for byte,
 * without every connection's report in memory at once (100k connections took 4-5 s and ~500 MB
 * that way). One walk sizes the columns and counts the connections that carried requests, a
 * second writes the rows; each report is built, used and dropped. next(true) releases the
 * chunk just yielded, as in renderJsonChunks.
 */
export function* renderTableChunks(analysis: Omit<TrackedAnalysis, 'connections'>): Generator<Uint8Array, void, boolean | undefined> {
  const { insight } = analysis;
  const count = analysis.connectionCount;
  const { summary, verdicts } = summarizeTracked(analysis);
  const widths = TABLE_HEAD.map(cellWidth);
  let carrying = 0;
  for (let i = 0; i < count; i++) {
    const report = connectionReport(analysis.connectionAt(i), insight);
    widen(widths, tableRow(report));
    if (carriesRequests(report)) carrying++;
  }
  const chunks = new Utf8Chunks();
  const add = (text: string) => chunks.add(text);
  let full: Uint8Array | undefined;
  if (count > 0) {
    full = add(`${topRule(widths)}\n${boxRow(TABLE_HEAD, widths)}\n`);
    if (full !== undefined && (yield full) === true) chunks.release(full);
    for (let i = 0; i < count; i++) {
      full = add(`${boxRow(tableRow(connectionReport(analysis.connectionAt(i), insight)), widths)}\n`);
      if (full !== undefined && (yield full) === true) chunks.release(full);
    }
    full = add(`${bottomRule(widths)}\n`);
    if (full !== undefined && (yield full) === true) chunks.release(full);
  }
  const tail = [summaryLineOf(summary, carrying), ...verdicts.map((verdict) => verdict.text)];
  full = add(`${tail.join('\n')}\n`);
  if (full !== undefined && (yield full) === true) chunks.release(full);
  const rest = chunks.take();
  if (rest !== undefined) yield rest;
}
