import type { TrackedAnalysis } from '../analyze.js';
import { closingOf, handshakeOf } from '../track/classify.js';
import type { TrackedConnection } from '../track/connection.js';
import { connectionReport, serverText, type ConnectionInsight } from './build.js';
import { connectionJson } from './connection-json.js';
import type { ConnectionReport, Summary, Verdict } from './model.js';
import { Utf8Chunks } from './utf8-chunks.js';
import { VerdictTally } from './verdict.js';

/** Connections by index through a reused view (see TrackedAnalysis). */
export interface ConnectionWalk {
  connectionCount: number;
  connectionAt(index: number): TrackedConnection;
  insight: ConnectionInsight;
  /** Packets were tracked in time order: no connection can end before it starts. */
  inTimeOrder?: boolean;
}

/** What summarizeTracked sums up; `carrying`: the connections that carried at least one request. */
export interface Summarized {
  summary: Summary;
  verdicts: Verdict[];
  carrying: number;
}

/**
 * The summary and verdicts of buildReport, from the tracked connections, summed up as they are
 * walked: nothing per connection is kept.
 */
export function summarizeTracked(walk: ConnectionWalk): Summarized {
  const count = walk.connectionCount;
  const { insight } = walk;
  const counts = {
    connections: count,
    handshakes: 0,
    closedBy: { client: 0, server: 0 },
    closedWith: { fin: 0, rst: 0 },
    open: 0,
    packets: 0,
  };
  const tally = new VerdictTally();
  for (let i = 0; i < count; i++) {
    const connection = walk.connectionAt(i);
    if (handshakeOf(connection) === 'complete') counts.handshakes++;
    const { closedBy, closedWith } = closingOf(connection);
    if (closedBy === null) counts.open++;
    else counts.closedBy[closedBy]++;
    if (closedWith !== null) counts.closedWith[closedWith]++;
    counts.packets += connection.endpoints[0].packets + connection.endpoints[1].packets;
    const requests = insight.requestsEvidenceOf === undefined ? insight.requestsOf(connection) : insight.requestsEvidenceOf(connection);
    const tls = insight.tlsOf(connection);
    if (requests !== null || tls !== null) tally.add(serverText(connection.server), closedBy, closedWith, requests, tls);
  }
  return { summary: { ...counts, ...tally.totals() }, verdicts: tally.verdicts(), carrying: tally.carryingRequests };
}

/** Reports of the connections whose last packet is timestamped before their first (for the notes). */
export function negativeDurations(walk: ConnectionWalk): ConnectionReport[] {
  const found: ConnectionReport[] = [];
  // The usual capture: no walk over every connection for a note it cannot need.
  if (walk.inTimeOrder === true) return found;
  for (let i = 0; i < walk.connectionCount; i++) {
    const connection = walk.connectionAt(i);
    if (!connection.endsBeforeStart) continue;
    const report = connectionReport(connection, walk.insight);
    if (report.durationMs < 0) found.push(report);
  }
  return found;
}

/**
 * `--json` in pieces of UTF-8: the same text as renderJson(buildReport(...)), byte for byte, but
 * each connection's report is built, turned into text and dropped before the next one, so
 * memory holds the tracked numbers and one chunk of output, never every report at once.
 * Pass `true` to next() when the chunk just yielded was written out and is held no more: its
 * memory is then filled again (a plain for-of never does, so chunks stay valid while held).
 * `summarized`: summarizeTracked(analysis), when the caller needs it too; `each`: called with
 * every connection's report as it is written (to judge --expect in the same walk).
 */
export function* renderJsonChunks(
  analysis: Omit<TrackedAnalysis, 'connections'>,
  summarized: Summarized = summarizeTracked(analysis),
  each?: (report: ConnectionReport) => void,
): Generator<Uint8Array, void, boolean | undefined> {
  const { captures, filter, insight } = analysis;
  const count = analysis.connectionCount;
  const { summary, verdicts } = summarized;
  // The Report's keys in order: the head, then `connections`, then `verdicts`.
  const head = JSON.stringify(
    { schemaVersion: 1, captures, filter: { ports: [...filter.ports], hosts: [...filter.hosts] }, summary },
    null,
    2,
  );
  // `{\n  "verdicts": ...\n}` without its opening brace.
  const tail = JSON.stringify({ verdicts }, null, 2).slice(1);
  const open = `${head.slice(0, head.length - 2)},\n  "connections": `;
  const chunks = new Utf8Chunks();
  yield* chunks.emit(count === 0 ? `${open}[]` : `${open}[\n`);
  for (let i = 0; i < count; i++) {
    const report = connectionReport(analysis.connectionAt(i), insight);
    each?.(report);
    // One add() and a yield per connection, not emit(): a generator object and its results for
    // each piece cost ~20 ms per 100k connections.
    const text = connectionJson(report);
    const full = chunks.add(i + 1 < count ? `${text},\n` : `${text}\n  ]`);
    if (full !== undefined && (yield full) === true) chunks.release(full);
  }
  yield* chunks.emit(`,${tail}\n`);
  const rest = chunks.take();
  if (rest !== undefined) yield rest;
}
