import type { ConnectionReport, Report } from '../report/model.js';

/**
 * Requests per connection. HTTP insight (when the report carries it) gives `requests.count`
 * per connection and `summary.requests` / `summary.reuseRatio`; without it, or on a
 * connection it could not read, the client's data bursts stand in for requests: on a
 * turn-taking protocol each request is one run of client payload ended by the server's reply.
 * The HTTP fields are read as optional so reports without them stay valid input.
 */
interface HttpConnectionFields {
  requests?: { count: number } | null;
}

interface HttpSummaryFields {
  requests?: number;
  reuseRatio?: number | null;
}

export type RequestSource = 'http' | 'data bursts';

export interface RequestCount {
  count: number;
  source: RequestSource;
}

export function requestsOf(connection: ConnectionReport): RequestCount {
  const http = (connection as ConnectionReport & HttpConnectionFields).requests;
  if (http !== undefined && http !== null) return { count: http.count, source: 'http' };
  return { count: connection.dataBursts.client, source: 'data bursts' };
}

/**
 * `summary.requests` when HTTP insight saw requests, else undefined. A report without HTTP has
 * `requests: 0, reuseRatio: null`: that means "no HTTP", not "no requests", so data bursts stand in.
 */
export function summaryRequests(report: Pick<Report, 'summary'>): number | undefined {
  const summary = report.summary as HttpSummaryFields;
  return summary.reuseRatio === undefined || summary.reuseRatio === null ? undefined : summary.requests;
}

/** `summary.reuseRatio` (requests per connection that carried requests) when HTTP was seen, else undefined. */
export function summaryReuseRatio(report: Pick<Report, 'summary'>): number | undefined {
  return (report.summary as HttpSummaryFields).reuseRatio ?? undefined;
}

/** Connections that carried more than one request (or client data burst). */
export function reusedConnections(report: Report): ConnectionReport[] {
  return report.connections.filter((connection) => requestsOf(connection).count > 1);
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** `3 requests (http)` or `1 request (data bursts)`. */
export function requestsText(connection: ConnectionReport): string {
  const { count, source } = requestsOf(connection);
  return `${plural(count, 'request')} (${source})`;
}
