import { boxTable } from './box-table.js';
import { requestsCell, requestsClause, verdictLines } from './insight-text.js';
import type { ConnectionReport, Report, Summary } from './model.js';

export function formatDuration(ms: number): string {
  if (ms < 1) return `${(ms * 1000).toFixed(0)} µs`;
  if (ms < 1000) return `${ms.toFixed(ms < 10 ? 2 : 1)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 3 : 1)} s`;
}

function closedText(connection: ConnectionReport): string {
  if (connection.closedBy === null) return 'open';
  const how = `${connection.closedBy} ${connection.closedWith!.toUpperCase()}`;
  return connection.simultaneousClose ? `${how} (simultaneous)` : how;
}

function handshakeText(connection: ConnectionReport): string {
  return connection.synRetransmits > 0
    ? `${connection.handshake} (+${connection.synRetransmits} SYN)`
    : connection.handshake;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** `3 connections · 3 handshakes · closed by server 2, client 1 · 0 open` (then requests, if any). */
export function summaryLine(summary: Summary, connections: readonly ConnectionReport[] = []): string {
  return summaryLineOf(summary, connections.filter(carriesRequests).length);
}

/** A connection that carried at least one HTTP request. */
function carriesRequests(connection: ConnectionReport): boolean {
  return (connection.requests?.count ?? 0) > 0;
}

/** summaryLine, with the number of connections that carried requests already counted. */
export function summaryLineOf(summary: Summary, carrying: number): string {
  const closers: string[] = [];
  const { client, server } = summary.closedBy;
  // The larger count first: that is the answer a reader looks for.
  if (server >= client) closers.push(`server ${server}`, `client ${client}`);
  else closers.push(`client ${client}`, `server ${server}`);
  const requests = requestsClause(summary, carrying);
  return [
    plural(summary.connections, 'connection'),
    plural(summary.handshakes, 'handshake'),
    `closed by ${closers.join(', ')}`,
    `${summary.open} open`,
    ...(requests === undefined ? [] : [requests]),
  ].join(' · ');
}

export const TABLE_HEAD: readonly string[] = ['#', 'client', 'server', 'handshake', 'packets c→s / s→c', 'bytes c→s / s→c', 'duration', 'closed by', 'requests'];

/** A connection's cells in the table, in TABLE_HEAD's order. */
export function tableRow(connection: ConnectionReport): string[] {
  return [
    String(connection.id),
    connection.client,
    connection.server,
    handshakeText(connection),
    `${connection.packets.client} / ${connection.packets.server}`,
    `${connection.payloadBytes.client} / ${connection.payloadBytes.server}`,
    formatDuration(connection.durationMs),
    closedText(connection),
    requestsCell(connection),
  ];
}

/**
 * One row per connection, in order of first packet, then the summary line and the verdicts.
 * No rule between rows (boxTable): a long capture stays one screen of rows, not two.
 */
export function renderTable(report: Report): string {
  const lines: string[] = [];
  if (report.connections.length > 0) lines.push(boxTable(TABLE_HEAD, report.connections.map(tableRow)));
  lines.push(summaryLine(report.summary, report.connections), ...verdictLines(report));
  return `${lines.join('\n')}\n`;
}
