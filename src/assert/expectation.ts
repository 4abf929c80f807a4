import type { ConnectionReport, Report } from '../report/model.js';
import { expectationKeys, findKey, type ExpectationKey } from './keys.js';
import { requestsText } from './reuse.js';

export type Operator = '=' | '<=' | '>=';

/** One `KEY=N`, `KEY<=N` or `KEY>=N`, parsed. */
export interface Expectation {
  text: string;
  key: ExpectationKey;
  operator: Operator;
  expected: number;
}

/** A malformed expectation or an unknown key: a usage error, found before any capture is read. */
export class ExpectationSyntaxError extends Error {
  override name = 'ExpectationSyntaxError';
}

const SYNTAX = /^([a-z][a-z.-]*)(<=|>=|=)(\d+(?:\.\d+)?)$/;

export function parseExpectation(text: string): Expectation {
  const match = SYNTAX.exec(text.replace(/\s+/g, ''));
  if (!match) {
    throw new ExpectationSyntaxError(`'${text}' is not KEY=N, KEY<=N or KEY>=N (N a number, e.g. handshakes=1)`);
  }
  const [, name, operator, value] = match;
  const key = findKey(name!);
  if (!key) {
    throw new ExpectationSyntaxError(
      `unknown key '${name}' in '${text}'; keys: ${expectationKeys.map((k) => k.name).join(', ')}`,
    );
  }
  return { text, key, operator: operator as Operator, expected: Number(value) };
}

export interface ExpectationResult {
  expectation: Expectation;
  /** null: there is no value (e.g. requests per connection when no connection carried any). */
  actual: number | null;
  /** Where the value came from, when a key has more than one source. */
  source?: string;
  holds: boolean;
  /** The connections behind the verdict, and what they are. */
  involved: ConnectionReport[];
  involvedAre: string;
}

function compare(actual: number, operator: Operator, expected: number): boolean {
  // Ratios are fractions: equal within rounding.
  const equal = Math.abs(actual - expected) < 1e-9;
  if (operator === '=') return equal;
  if (operator === '<=') return actual < expected || equal;
  return actual > expected || equal;
}

export function checkExpectation(report: Report, expectation: Expectation): ExpectationResult {
  const { key, operator, expected } = expectation;
  const connections = report.connections;
  if (key.kind === 'count') {
    const counted = connections.filter((c) => key.counts(c));
    const actual = counted.length;
    const holds = compare(actual, operator, expected);
    // Too few: the connections that did not count are the ones to look at (if there are any).
    const uncounted = connections.filter((c) => !key.counts(c));
    if (!holds && actual < expected && uncounted.length > 0) {
      return { expectation, actual, holds, involved: uncounted, involvedAre: `not ${key.name}` };
    }
    return { expectation, actual, holds, involved: counted, involvedAre: key.name === 'connections' ? 'seen' : key.name };
  }
  if (key.kind === 'sum') {
    const involved = connections.filter((c) => key.amount(c) > 0);
    const actual = connections.reduce((total, c) => total + key.amount(c), 0);
    return { expectation, actual, holds: compare(actual, operator, expected), involved, involvedAre: `with ${key.name}` };
  }
  const { value: actual, source } = key.value(report);
  const holds = actual !== null && compare(actual, operator, expected);
  return { expectation, actual, source, holds, involved: connections.filter((c) => key.involves(c)), involvedAre: 'that carried requests' };
}

export function checkExpectations(report: Report, expectations: readonly Expectation[]): ExpectationResult[] {
  return expectations.map((expectation) => checkExpectation(report, expectation));
}

function closingText(connection: ConnectionReport): string {
  if (connection.closedBy === null) return 'open';
  return `closed by ${connection.closedBy} ${connection.closedWith!.toUpperCase()}${connection.simultaneousClose ? ' (simultaneous)' : ''}`;
}

/** `#2 127.0.0.1:54710 → 127.0.0.1:8087 (handshake complete, closed by client FIN, 1 request (data bursts))` */
export function connectionText(connection: ConnectionReport, withRequests = true): string {
  const parts = [`handshake ${connection.handshake}`, closingText(connection)];
  if (withRequests) parts.push(requestsText(connection));
  if (connection.synRetransmits > 0) parts.push(`${connection.synRetransmits} SYN retransmits`);
  return `#${connection.id} ${connection.client} → ${connection.server} (${parts.join(', ')})`;
}

const MAX_LISTED = 10;

/** Connections as one line, the first few in full: failure lines stay readable on big captures. */
export function connectionsText(connections: readonly ConnectionReport[], withRequests = true): string {
  if (connections.length === 0) return 'none';
  const listed = connections.slice(0, MAX_LISTED).map((c) => connectionText(c, withRequests)).join('; ');
  return connections.length > MAX_LISTED ? `${listed}; and ${connections.length - MAX_LISTED} more` : listed;
}

function actualText(result: ExpectationResult): string {
  const { actual, source } = result;
  const text = actual === null ? 'none' : Number.isInteger(actual) ? String(actual) : actual.toFixed(3).replace(/0+$/, '');
  return source ? `${text} (${source})` : text;
}

/** `expected closed-by.server=3, actual 2; connections not closed-by.server: #3 ...` */
export function failureLine(result: ExpectationResult): string {
  const { key, operator, expected } = result.expectation;
  return (
    `expected ${key.name}${operator}${expected}, actual ${actualText(result)}; ` +
    `connections ${result.involvedAre}: ${connectionsText(result.involved, key.aboutRequests ?? false)}`
  );
}
