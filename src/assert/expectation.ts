import type { ConnectionReport, Report } from '../report/model.js';
import { expectationKeys, findKey, type CarriedRequests, type ExpectationKey } from './keys.js';
import { requestsOf, requestsText } from './reuse.js';

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
  /**
   * The connections behind the verdict, and what they are: all of them from checkExpectation,
   * the first few from an ExpectationTally that was asked to keep only those.
   */
  involved: ConnectionReport[];
  /** How many connections are involved (more than `involved` holds when only the first were kept). */
  involvedCount: number;
  involvedAre: string;
}

function compare(actual: number, operator: Operator, expected: number): boolean {
  // Ratios are fractions: equal within rounding.
  const equal = Math.abs(actual - expected) < 1e-9;
  if (operator === '=') return equal;
  if (operator === '<=') return actual < expected || equal;
  return actual > expected || equal;
}

/** Connections that satisfied a predicate: the first `keep` of them, and how many there were. */
class Matches {
  readonly kept: ConnectionReport[] = [];
  count = 0;

  constructor(private readonly keep: number) {}

  add(connection: ConnectionReport): void {
    if (this.count++ < this.keep) this.kept.push(connection);
  }
}

/** One expectation's numbers so far. */
class KeyTally {
  /** Count keys: connections that counted; sum keys: with an amount; report keys: involved. */
  readonly matched: Matches;
  /** Count keys: connections that did not count. */
  readonly unmatched: Matches;
  sum = 0;

  constructor(readonly expectation: Expectation, keep: number) {
    this.matched = new Matches(keep);
    this.unmatched = new Matches(keep);
  }

  add(connection: ConnectionReport): void {
    const key = this.expectation.key;
    if (key.kind === 'count') {
      if (key.counts(connection)) this.matched.add(connection);
      else this.unmatched.add(connection);
    } else if (key.kind === 'sum') {
      const amount = key.amount(connection);
      this.sum += amount;
      if (amount > 0) this.matched.add(connection);
    } else if (key.involves(connection)) {
      this.matched.add(connection);
    }
  }

  result(report: Pick<Report, 'summary'>, carried: CarriedRequests): ExpectationResult {
    const { expectation, matched, unmatched } = this;
    const { key, operator, expected } = expectation;
    const involving = (found: Matches, involvedAre: string) => ({ involved: found.kept, involvedCount: found.count, involvedAre });
    if (key.kind === 'count') {
      const actual = matched.count;
      const holds = compare(actual, operator, expected);
      // Too few: the connections that did not count are the ones to look at (if there are any).
      if (!holds && actual < expected && unmatched.count > 0) {
        return { expectation, actual, holds, ...involving(unmatched, `not ${key.name}`) };
      }
      return { expectation, actual, holds, ...involving(matched, key.name === 'connections' ? 'seen' : key.name) };
    }
    if (key.kind === 'sum') {
      return { expectation, actual: this.sum, holds: compare(this.sum, operator, expected), ...involving(matched, `with ${key.name}`) };
    }
    const { value: actual, source } = key.value(report, carried);
    const holds = actual !== null && compare(actual, operator, expected);
    return { expectation, actual, source, holds, ...involving(matched, 'that carried requests') };
  }
}

/**
 * Expectations judged one connection at a time: add() each connection's report, then ask for
 * the results with the report's summary. With `keep`, only the first `keep` connections of each
 * list are held (a failure line shows MAX_LISTED), so millions of connections cost a few numbers.
 */
export class ExpectationTally {
  private readonly keys: KeyTally[];
  private readonly carried: CarriedRequests = { requests: 0, connections: 0 };

  constructor(expectations: readonly Expectation[], keep = Number.POSITIVE_INFINITY) {
    this.keys = expectations.map((expectation) => new KeyTally(expectation, keep));
  }

  add(connection: ConnectionReport): void {
    for (const key of this.keys) key.add(connection);
    const requests = requestsOf(connection).count;
    if (requests > 0) {
      this.carried.requests += requests;
      this.carried.connections++;
    }
  }

  results(report: Pick<Report, 'summary'>): ExpectationResult[] {
    return this.keys.map((key) => key.result(report, this.carried));
  }
}

export function checkExpectation(report: Report, expectation: Expectation): ExpectationResult {
  return checkExpectations(report, [expectation])[0]!;
}

export function checkExpectations(report: Report, expectations: readonly Expectation[]): ExpectationResult[] {
  const tally = new ExpectationTally(expectations);
  for (const connection of report.connections) tally.add(connection);
  return tally.results(report);
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

/** How many connections a failure line lists in full (ExpectationTally's `keep` in the CLI). */
export const MAX_LISTED = 10;

/**
 * Connections as one line, the first few in full: failure lines stay readable on big captures.
 * `count`: how many there are, when `connections` holds only the first of them.
 */
export function connectionsText(connections: readonly ConnectionReport[], withRequests = true, count = connections.length): string {
  if (count === 0) return 'none';
  const listed = connections.slice(0, MAX_LISTED).map((c) => connectionText(c, withRequests)).join('; ');
  return count > MAX_LISTED ? `${listed}; and ${count - MAX_LISTED} more` : listed;
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
    `connections ${result.involvedAre}: ${connectionsText(result.involved, key.aboutRequests ?? false, result.involvedCount)}`
  );
}
