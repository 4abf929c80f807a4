/**
 * A report as it reads without HTTP insight (no summary.requests/reuseRatio, no per-connection
 * requests): for tests of the data-burst fallback that must hold whether or not insight runs.
 */
import type { Report } from '../../src/report/model.js';

export function withoutHttpInsight(report: Report): Report {
  const summary = { ...report.summary } as Record<string, unknown>;
  delete summary.requests;
  delete summary.reuseRatio;
  const connections = report.connections.map((connection) => {
    const copy = { ...connection } as Record<string, unknown>;
    delete copy.requests;
    return copy;
  });
  return { ...report, summary, connections } as unknown as Report;
}
