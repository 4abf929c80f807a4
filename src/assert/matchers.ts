import { summarize } from '../report/build.js';
import type { ConnectionReport, Report, Side } from '../report/model.js';
import { renderTable } from '../report/table.js';
import { checkExpectation, type ExpectationResult } from './expectation.js';
import { findKey } from './keys.js';
import { requestsText, reusedConnections } from './reuse.js';

/**
 * The assertions behind `synfin/vitest`, as plain functions of a Report: each returns whether
 * it passed and the message for either outcome (so `.not` reads right), with the table of
 * the connections involved. Kept free of vitest so any runner's `expect.extend` can use them.
 */
export interface MatcherOutcome {
  pass: boolean;
  message(isNot: boolean): string;
}

export interface ClosedByOptions {
  /** Only closes made this way count (the first FIN or RST of the connection). */
  with?: 'fin' | 'rst';
  /** Exactly this many connections closed so; without it, every connection must be (and there must be one). */
  count?: number;
}

function isReport(value: unknown): value is Report {
  const report = value as Report | null;
  return typeof report === 'object' && report !== null && Array.isArray(report.connections) &&
    typeof report.summary === 'object' && report.summary !== null;
}

export function assertReport(value: unknown): Report {
  if (!isReport(value)) {
    const what = value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
    throw new TypeError(`expected a synfin Report (from analyze() or captureDuring()), got ${what}`);
  }
  return value;
}

function assertCount(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new TypeError(`${what} must be a whole number >= 0, got ${String(value)}`);
  }
  return value;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** The connections as synfin prints them, with their own summary line. */
export function connectionsTable(report: Report, connections: readonly ConnectionReport[]): string {
  if (connections.length === 0) return '(no connections)';
  return renderTable({ ...report, connections: [...connections], summary: summarize(connections) }).trimEnd();
}

function withTable(head: string, report: Report, label: string, connections: readonly ConnectionReport[]): string {
  return `${head}\n\n${label}:\n${connectionsTable(report, connections)}`;
}

function countOutcome(report: Report, keyName: string, expected: number, noun: string): MatcherOutcome {
  const key = findKey(keyName)!;
  const result: ExpectationResult = checkExpectation(report, { text: `${keyName}=${expected}`, key, operator: '=', expected });
  return {
    pass: result.holds,
    message: (isNot) =>
      withTable(
        `expected ${isNot ? 'not ' : ''}${plural(expected, noun)}, got ${result.actual}`,
        report,
        `connections ${result.involvedAre}`,
        result.involved,
      ),
  };
}

export function haveConnections(received: unknown, count: unknown): MatcherOutcome {
  return countOutcome(assertReport(received), 'connections', assertCount(count, 'toHaveConnections(count)'), 'connection');
}

export function haveHandshakes(received: unknown, count: unknown): MatcherOutcome {
  return countOutcome(assertReport(received), 'handshakes', assertCount(count, 'toHaveHandshakes(count)'), 'complete handshake');
}

export function closedBy(received: unknown, side: unknown, options: ClosedByOptions = {}): MatcherOutcome {
  const report = assertReport(received);
  if (side !== 'client' && side !== 'server') throw new TypeError(`toBeClosedBy(side): side must be 'client' or 'server', got ${String(side)}`);
  if (options.with !== undefined && options.with !== 'fin' && options.with !== 'rst') {
    throw new TypeError(`toBeClosedBy(side, { with }): with must be 'fin' or 'rst', got ${String(options.with)}`);
  }
  const how = `closed by ${side}${options.with ? ` with ${options.with.toUpperCase()}` : ''}`;
  const matches = (c: ConnectionReport) => c.closedBy === (side as Side) && (options.with === undefined || c.closedWith === options.with);
  const matching = report.connections.filter(matches);
  const others = report.connections.filter((c) => !matches(c));
  if (options.count !== undefined) {
    const count = assertCount(options.count, 'toBeClosedBy(side, { count })');
    const tooFew = matching.length < count && others.length > 0;
    return {
      pass: matching.length === count,
      message: (isNot) =>
        withTable(
          `expected ${isNot ? 'not ' : ''}${plural(count, 'connection')} ${how}, got ${matching.length}`,
          report,
          tooFew ? `connections not ${how}` : `connections ${how}`,
          tooFew ? others : matching,
        ),
    };
  }
  const total = report.connections.length;
  return {
    pass: total > 0 && others.length === 0,
    message: (isNot) => {
      if (total === 0) return `expected every connection to be ${how}, but the report has no connections`;
      if (isNot) return withTable(`expected not every connection to be ${how}, but all ${total} were`, report, 'connections', matching);
      return withTable(`expected every connection to be ${how}, but ${others.length} of ${total} were not`, report, `connections not ${how}`, others);
    },
  };
}

export function reuseConnections(received: unknown): MatcherOutcome {
  const report = assertReport(received);
  const reused = reusedConnections(report);
  const lines = (connections: readonly ConnectionReport[]) =>
    connections.map((c) => `  #${c.id} ${c.client} → ${c.server}: ${requestsText(c)}`).join('\n');
  return {
    pass: reused.length > 0,
    message: (isNot) => {
      if (isNot) {
        return withTable(
          `expected no connection to carry more than one request, but ${reused.length} did:\n${lines(reused)}`,
          report,
          'connections reused',
          reused,
        );
      }
      const head = report.connections.length === 0
        ? 'expected a connection to carry more than one request, but the report has no connections'
        : `expected a connection to carry more than one request, but none did:\n${lines(report.connections)}`;
      return withTable(head, report, 'connections', report.connections);
    },
  };
}
