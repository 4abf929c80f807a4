/** The table's words for payload insight: a `requests` cell, the summary clause, verdict lines. */
import type { ConnectionReport, Report, Summary } from './model.js';

/** `3`, `27+` (a lower bound: not every byte was seen), `TLS`, `TLS resumed`, or `-`. */
export function requestsCell(connection: ConnectionReport): string {
  // Loose checks: a report saved before these fields existed renders too.
  const { requests, tls } = connection;
  if (requests != null) return requests.known ? String(requests.count) : `${requests.count}+`;
  if (tls != null) return tls.resumed ? 'TLS resumed' : 'TLS';
  return '-';
}

/**
 * `4 requests over 2 connections (reuse 2.0)`, or undefined when no connection carried a request;
 * `carrying`: the connections that carried at least one.
 */
export function requestsClause(summary: Summary, carrying: number): string | undefined {
  if (summary.reuseRatio == null) return undefined;
  const requests = `${summary.requests} request${summary.requests === 1 ? '' : 's'}`;
  const over = `${carrying} connection${carrying === 1 ? '' : 's'}`;
  return `${requests} over ${over} (reuse ${summary.reuseRatio.toFixed(1)})`;
}

/** One line per server endpoint, as the verdicts say it. */
export function verdictLines(report: Report): string[] {
  return (report.verdicts ?? []).map((verdict) => verdict.text);
}
