/**
 * Vitest matchers for synfin reports. Import once (in a test file or a setup file):
 *
 *   import 'synfin/vitest';
 *   const report = await analyze('cap.pcap', { ports: [8087] });
 *   expect(report).toHaveHandshakes(1);
 *   expect(report).toBeClosedBy('server', { with: 'fin' });
 *
 * A failure shows the table of the connections involved.
 */
import { expect } from 'vitest';
import {
  closedBy,
  haveConnections,
  haveHandshakes,
  reuseConnections,
  type ClosedByOptions,
  type MatcherOutcome,
} from './assert/matchers.js';
import type { Side } from './report/model.js';

export type { ClosedByOptions } from './assert/matchers.js';

export interface SynfinMatchers<R = unknown> {
  /** Exactly `count` connections (after the analysis' port/host filter). */
  toHaveConnections(count: number): R;
  /** Exactly `count` complete handshakes (SYN, SYN-ACK, ACK). */
  toHaveHandshakes(count: number): R;
  /**
   * Every connection (at least one) was closed first by `side`; with `count`, exactly that many
   * were; with `with`, only closes by that flag count.
   */
  toBeClosedBy(side: Side, options?: ClosedByOptions): R;
  /**
   * Some connection carried more than one request: HTTP requests when the report has them
   * (`connections[i].requests.count`), else runs of client data answered by the server.
   * `.not` asserts that no connection did.
   */
  toReuseConnections(): R;
}

declare module 'vitest' {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  interface Assertion<T = any> extends SynfinMatchers<T> {}
  interface AsymmetricMatchersContaining extends SynfinMatchers {}
}

interface State {
  isNot: boolean;
}

function result(state: State, outcome: MatcherOutcome): { pass: boolean; message: () => string } {
  return { pass: outcome.pass, message: () => outcome.message(state.isNot) };
}

/** The matcher functions, for `expect.extend(synfinMatchers)` in another expect-compatible runner. */
export const synfinMatchers = {
  toHaveConnections(this: State, received: unknown, count: number) {
    return result(this, haveConnections(received, count));
  },
  toHaveHandshakes(this: State, received: unknown, count: number) {
    return result(this, haveHandshakes(received, count));
  },
  toBeClosedBy(this: State, received: unknown, side: Side, options?: ClosedByOptions) {
    return result(this, closedBy(received, side, options));
  },
  toReuseConnections(this: State, received: unknown) {
    return result(this, reuseConnections(received));
  },
};

expect.extend(synfinMatchers);
