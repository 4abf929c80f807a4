import type { TrackedAnalysis } from '../analyze.js';
import { closingOf, handshakeOf } from '../track/classify.js';
import type { TrackedConnection } from '../track/connection.js';
import { connectionReport, type ConnectionInsight } from './build.js';
import type { ConnectionReport, Summary, Verdict } from './model.js';
import { requestTotals, verdictsOf } from './verdict.js';

/** Connections per chunk: big enough that writing costs little, small enough to stay a few hundred KB. */
const CONNECTIONS_PER_CHUNK = 256;

/** Connections by index through a reused view (see TrackedAnalysis). */
export interface ConnectionWalk {
  connectionCount: number;
  connectionAt(index: number): TrackedConnection;
  insight: ConnectionInsight;
}

/**
 * The summary and verdicts of buildReport, from the tracked connections: only connections that
 * carried HTTP or TLS get their report built here (verdicts and request totals read nothing else).
 */
export function summarizeTracked(walk: ConnectionWalk): { summary: Summary; verdicts: Verdict[] } {
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
  const carrying: ConnectionReport[] = [];
  for (let i = 0; i < count; i++) {
    const connection = walk.connectionAt(i);
    if (handshakeOf(connection) === 'complete') counts.handshakes++;
    const closing = closingOf(connection);
    if (closing.closedBy === null) counts.open++;
    else counts.closedBy[closing.closedBy]++;
    if (closing.closedWith !== null) counts.closedWith[closing.closedWith]++;
    counts.packets += connection.endpoints[0].packets + connection.endpoints[1].packets;
    if (insight.requestsOf(connection) !== null || insight.tlsOf(connection) !== null) {
      carrying.push(connectionReport(connection, insight));
    }
  }
  return { summary: { ...counts, ...requestTotals(carrying) }, verdicts: verdictsOf(carrying) };
}

/** Reports of the connections whose last packet is timestamped before their first (for the notes). */
export function negativeDurations(walk: ConnectionWalk): ConnectionReport[] {
  const found: ConnectionReport[] = [];
  for (let i = 0; i < walk.connectionCount; i++) {
    const connection = walk.connectionAt(i);
    const { first, last } = connection;
    if (last.seconds > first.seconds || (last.seconds === first.seconds && last.nanos >= first.nanos)) continue;
    const report = connectionReport(connection, walk.insight);
    if (report.durationMs < 0) found.push(report);
  }
  return found;
}

/**
 * `--json` in pieces: the same text as renderJson(buildReport(...)), byte for byte, but each
 * connection's report is built, turned into text and dropped before the next one, so memory
 * holds the tracked numbers and one chunk of text, never every connection's report at once.
 */
export function* renderJsonChunks(analysis: Omit<TrackedAnalysis, 'connections'>): Generator<string> {
  const { captures, filter, insight } = analysis;
  const count = analysis.connectionCount;
  const { summary, verdicts } = summarizeTracked(analysis);
  // The Report's keys in order: the head, then `connections`, then `verdicts`.
  const head = JSON.stringify(
    { schemaVersion: 1, captures, filter: { ports: [...filter.ports], hosts: [...filter.hosts] }, summary },
    null,
    2,
  );
  // `{\n  "verdicts": ...\n}` without its opening brace.
  const tail = JSON.stringify({ verdicts }, null, 2).slice(1);
  const open = `${head.slice(0, head.length - 2)},\n  "connections": `;
  if (count === 0) {
    yield `${open}[],${tail}\n`;
    return;
  }
  let chunk = `${open}[\n`;
  for (let i = 0; i < count; i++) {
    const text = JSON.stringify(connectionReport(analysis.connectionAt(i), insight), null, 2);
    chunk += `    ${text.replaceAll('\n', '\n    ')}${i + 1 < count ? ',\n' : '\n'}`;
    if ((i + 1) % CONNECTIONS_PER_CHUNK === 0) {
      yield chunk;
      chunk = '';
    }
  }
  yield `${chunk}  ],${tail}\n`;
}
